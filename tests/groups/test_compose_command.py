"""`manage.py compose_cohorts`: a CSV of candidates in, proposed cohorts out, nothing stored."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from groups import competition
from groups.models import Candidate, Cohort
from members.identifiers import make_siret
from tests.factories import DeclaredConflictFactory

HEADER = "company_name,siret,naf_code,town,postcode,leader_first_name,leader_last_name,email"
# 20 activities of different classes (and mostly different divisions).
DISTINCT_NAF = [
    "62.01Z", "10.71C", "30.12Z", "49.41A", "11.05Z", "43.32A", "69.20Z", "46.38A", "55.10Z", "45.20A",
    "81.30Z", "10.20Z", "18.12Z", "73.11Z", "43.21A", "22.29A", "56.10A", "47.71Z", "71.12B", "25.62B",
]  # fmt: skip


def _row(number: int, naf_code: str, town: str = "Vannes", postcode: str = "56000") -> str:
    return (
        f"Entreprise {number:02d},{make_siret(70_000 + number)},{naf_code},{town},{postcode},"
        f"Anne,Le Gall,dirigeant{number}@example.test"
    )


def _siret(number: int) -> str:
    return make_siret(70_000 + number)


def _csv(tmp_path, rows: list[str], name: str = "candidates.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("compose_cohorts", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _json(*args: str) -> dict:
    out, _err = _run(*args, "--format", "json", "--time-limit", "3")
    return json.loads(out)


def test_compose_cohorts_json_places_everyone_without_competitors(chapter, tmp_path):
    rows = [_row(n, DISTINCT_NAF[n % 20]) for n in range(22)]  # 2 of each of 2 classes, 1 of the rest
    path = _csv(tmp_path, rows)

    result = _json("--chapter", "56", "--candidates", str(path))

    assert set(result) == {"cohorts", "unplaced", "objective"}
    members = [siret for cohort in result["cohorts"] for siret in cohort["members"]]
    assert sorted(members) == sorted(_siret(n) for n in range(22))
    assert len(result["cohorts"]) == 2
    assert all(10 <= len(cohort["members"]) <= 12 for cohort in result["cohorts"])
    naf_of = {_siret(n): DISTINCT_NAF[n % 20] for n in range(22)}
    for cohort in result["cohorts"]:
        classes = [naf_of[siret][:5] for siret in cohort["members"]]
        assert len(classes) == len(set(classes))
    assert result["unplaced"] == []
    objective = result["objective"]
    assert objective["placed"] == 22
    assert objective["diversity"] <= objective["bound"]
    assert objective["optimal"] is True
    assert {"optimal", "distance", "seconds"} <= set(objective)


def test_compose_cohorts_names_the_candidate_one_activity_too_many(chapter, tmp_path):
    # Three bakeries and 20 other activities: two groups at most, so one bakery is left out.
    rows = [_row(n, DISTINCT_NAF[n]) for n in range(20)] + [_row(20, "10.71C"), _row(21, "10.71C")]
    path = _csv(tmp_path, rows)

    result = _json("--chapter", "56", "--candidates", str(path))

    assert result["objective"]["placed"] == 21
    assert len(result["unplaced"]) == 1
    unplaced = result["unplaced"][0]
    assert unplaced["siret"] in {_siret(1), _siret(20), _siret(21)}
    assert "3 candidates share the same activity (10.71" in unplaced["reason"]
    assert "only 2 groups can be formed" in unplaced["reason"]


def test_compose_cohorts_keeps_a_declared_conflict_apart(chapter, tmp_path):
    rows = [_row(n, DISTINCT_NAF[n]) for n in range(12)]  # one group of at most 12
    path = _csv(tmp_path, rows)
    siren_a, siren_b = sorted([_siret(0)[:9], _siret(1)[:9]])
    DeclaredConflictFactory(chapter=chapter, siren_a=siren_a, siren_b=siren_b, reason="Former partners.")

    result = _json("--chapter", "56", "--candidates", str(path))

    assert result["objective"]["placed"] == 11
    (cohort,) = result["cohorts"]
    assert not {_siret(0), _siret(1)} <= set(cohort["members"])
    (unplaced,) = result["unplaced"]
    other = "Entreprise 01" if unplaced["siret"] == _siret(0) else "Entreprise 00"
    assert unplaced["reason"] == f"A declared conflict with {other} leaves no group for it."


def test_compose_cohorts_size_options_override_the_chapter(chapter, tmp_path):
    path = _csv(tmp_path, [_row(n, DISTINCT_NAF[n]) for n in range(7)])

    result = _json("--chapter", "56", "--candidates", str(path), "--min-size", "3", "--max-size", "3")

    assert [len(cohort["members"]) for cohort in result["cohorts"]] == [3, 3]
    assert len(result["unplaced"]) == 1
    assert result["unplaced"][0]["reason"] == "No room left: every group is full (3)."


def test_compose_cohorts_too_few_candidates_are_all_unplaced(chapter, tmp_path):
    path = _csv(tmp_path, [_row(n, DISTINCT_NAF[n]) for n in range(7)])

    result = _json("--chapter", "56", "--candidates", str(path))

    assert result["cohorts"] == []
    assert {item["siret"] for item in result["unplaced"]} == {_siret(n) for n in range(7)}
    assert {item["reason"] for item in result["unplaced"]} == {
        "Only 7 qualified candidates: a group needs at least 10."
    }
    assert result["objective"] == {**result["objective"], "placed": 0, "diversity": 0, "bound": 0}


def test_compose_cohorts_text_format_lists_groups_and_reasons(chapter, tmp_path):
    rows = [_row(n, DISTINCT_NAF[n]) for n in range(20)] + [_row(20, "10.71C"), _row(21, "10.71C")]
    path = _csv(tmp_path, rows)

    out, _err = _run("--chapter", "56", "--candidates", str(path), "--time-limit", "3")

    assert "Plato 56 — CCI du Morbihan: 22 candidates, groups of 10 to 12" in out
    assert "2 group(s) proposed, 21 candidate(s) placed, 1 not placed." in out
    assert "Group 1 (" in out and "Group 2 (" in out
    assert "Entreprise 05" in out
    assert "Not placed (1)" in out
    assert "share the same activity (10.71" in out


def test_compose_cohorts_stores_nothing(chapter, tmp_path):
    path = _csv(tmp_path, [_row(n, DISTINCT_NAF[n % 20]) for n in range(22)])
    candidates, cohorts = Candidate.objects.count(), Cohort.objects.count()

    _json("--chapter", "56", "--candidates", str(path))

    assert (Candidate.objects.count(), Cohort.objects.count()) == (candidates, cohorts)


def test_compose_cohorts_bad_csv_lists_every_line(chapter, tmp_path):
    rows = [
        _row(0, "62.01Z"),
        "Entreprise 01,123,62.01Z,Vannes,56000,Anne,Le Gall,a@example.test",  # line 3: bad SIRET
        _row(2, "99.99Q"),  # line 4: no such NAF code
    ]
    path = _csv(tmp_path, rows)
    out, err = StringIO(), StringIO()

    with translation.override("en"), pytest.raises(CommandError, match="2 problem"):
        call_command("compose_cohorts", "--chapter", "56", "--candidates", str(path), stdout=out, stderr=err)

    assert "Line 3:" in err.getvalue()
    assert "Line 4:" in err.getvalue()
    assert out.getvalue() == ""


def test_compose_cohorts_unknown_chapter(db, tmp_path):
    path = _csv(tmp_path, [_row(0, "62.01Z")])

    with translation.override("en"), pytest.raises(CommandError, match="“99”"):
        call_command("compose_cohorts", "--chapter", "99", "--candidates", str(path))


@pytest.mark.parametrize(
    ("low", "high", "message"),
    [("8", "6", "cannot exceed the maximum"), ("1", "6", "at least 2")],
)
def test_compose_cohorts_refuses_bad_sizes(chapter, tmp_path, low, high, message):
    path = _csv(tmp_path, [_row(0, "62.01Z")])

    with translation.override("en"), pytest.raises(CommandError, match=message):
        call_command(
            "compose_cohorts",
            "--chapter",
            "56",
            "--candidates",
            str(path),
            "--min-size",
            low,
            "--max-size",
            high,
        )


def test_compose_cohorts_missing_file(chapter, tmp_path):
    with translation.override("en"), pytest.raises(CommandError, match="Cannot read"):
        call_command("compose_cohorts", "--chapter", "56", "--candidates", str(tmp_path / "nowhere.csv"))


def test_compose_cohorts_uses_the_chapter_granularity(chapter, tmp_path):
    # 43.21A and 43.22A share the group 43.2: competitors once the chapter compares groups.
    chapter.competitor_granularity = "group"
    chapter.save()
    rows = [_row(n, DISTINCT_NAF[n]) for n in range(10) if DISTINCT_NAF[n] != "43.32A"]
    rows += [_row(40, "43.21A"), _row(41, "43.22A")]
    path = _csv(tmp_path, rows)

    result = _json("--chapter", "56", "--candidates", str(path), "--max-size", "11")

    (cohort,) = result["cohorts"]
    assert not {_siret(40), _siret(41)} <= set(cohort["members"])
    assert competition.activity_key("43.21A", "group") == competition.activity_key("43.22A", "group")
