"""The cohort composer: hand-made pools, then random ones (hypothesis) against its promises."""

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groups import competition
from groups.composer import ComposerCandidate, Proposal, compose, postcode_point
from groups.enums import CompetitorGranularity
from members.identifiers import make_siret

# Every test here reads reasons in English, the source language.
pytestmark = pytest.mark.usefixtures("_english")

SUBCLASS, CLASS, GROUP = (
    CompetitorGranularity.SUBCLASS,
    CompetitorGranularity.CLASS,
    CompetitorGranularity.GROUP,
)
# Twelve activities of different divisions.
VARIED = [
    "62.01Z", "10.71C", "30.12Z", "49.41A", "11.05Z", "43.32A", "69.20Z", "46.38A", "55.10Z", "45.20A",
    "81.30Z", "18.12Z",
]  # fmt: skip


@pytest.fixture
def _english():
    with translation.override("en"):
        yield


def candidate(
    number: int, naf_code: str, *, postcode: str = "56000", siren_seed: int | None = None, site: int = 1
):
    """Candidate `number`; `siren_seed` shared between candidates makes them one company's establishments."""
    siret = make_siret(siren_seed if siren_seed is not None else 50_000 + number)
    if site != 1:  # another establishment: same SIREN, another NIC
        from stdnum import luhn

        body = siret[:9] + f"{site:04d}"
        siret = body + luhn.calc_check_digit(body)
    return ComposerCandidate(
        key=f"candidate-{number:03d}",
        siret=siret,
        naf_code=naf_code,
        postcode=postcode,
        town="Vannes" if postcode == "56000" else "Ailleurs",
        name=f"Entreprise {number:02d}",
    )


def varied(count: int, start: int = 0, **kwargs) -> list[ComposerCandidate]:
    return [candidate(start + n, VARIED[n % len(VARIED)], **kwargs) for n in range(count)]


def check(proposal: Proposal, pool: list[ComposerCandidate], rule: competition.Rule, low: int, high: int):
    """What every proposal promises, whatever the pool."""
    by_key = {party.key: party for party in pool}
    placed = [key for cohort in proposal.cohorts for key in cohort]
    unplaced = [item.key for item in proposal.unplaced]
    assert len(placed) == len(set(placed)) == proposal.placed
    assert sorted(placed + unplaced) == sorted(by_key)
    assert all(item.reason.strip() for item in proposal.unplaced)
    for cohort in proposal.cohorts:
        assert low <= len(cohort) <= high
        members = [by_key[key] for key in cohort]
        assert rule.pairs_within(members) == []
        assert len({competition.siren_of(member.siret) for member in members}) == len(members)
    divisions = sum(
        len({competition.division_of(by_key[key].naf_code) for key in cohort}) for cohort in proposal.cohorts
    )
    assert proposal.diversity == divisions
    assert proposal.diversity <= proposal.bound <= proposal.placed
    assert not proposal.optimal or proposal.diversity == proposal.bound


def run(pool, rule, low, high, time_limit=3.0) -> Proposal:
    proposal = compose(pool, rule=rule, min_size=low, max_size=high, time_limit=time_limit)
    check(proposal, pool, rule, low, high)
    return proposal


def reasons(proposal: Proposal) -> dict[str, str]:
    return {item.key: item.reason for item in proposal.unplaced}


# --- Hand-made pools ---------------------------------------------------------------------------


def test_compose_empty_pool_proposes_nothing():
    proposal = run([], competition.Rule(CLASS), 10, 12)

    assert (proposal.cohorts, proposal.unplaced, proposal.placed, proposal.bound) == ([], [], 0, 0)
    assert proposal.optimal


def test_compose_too_few_candidates_says_how_many_are_needed():
    pool = varied(7)

    proposal = run(pool, competition.Rule(CLASS), 10, 12)

    assert proposal.cohorts == []
    assert set(reasons(proposal).values()) == {"Only 7 qualified candidates: a group needs at least 10."}


def test_compose_exact_sizes_fill_every_group():
    pool = varied(9)

    proposal = run(pool, competition.Rule(CLASS), 3, 3)

    assert sorted(map(len, proposal.cohorts)) == [3, 3, 3]
    assert proposal.placed == 9 and proposal.unplaced == []
    assert proposal.diversity == proposal.bound == 9
    assert proposal.optimal


def test_compose_one_group_full_names_the_full_groups():
    pool = varied(7)

    proposal = run(pool, competition.Rule(CLASS), 3, 3)

    assert proposal.placed == 6
    assert list(reasons(proposal).values()) == ["No room left: every group is full (3)."]


def test_compose_subclass_granularity_lets_two_subclasses_of_one_class_meet():
    pool = [candidate(0, "43.21A"), candidate(1, "43.21B"), candidate(2, "62.01Z"), candidate(3, "69.20Z")]

    by_subclass = run(pool, competition.Rule(SUBCLASS), 4, 4)
    by_class = run(pool, competition.Rule(CLASS), 4, 4)

    assert by_subclass.cohorts == [["candidate-000", "candidate-001", "candidate-002", "candidate-003"]]
    assert by_class.cohorts == []
    assert set(reasons(by_class).values()) == {
        "No group can be formed: the 4 candidates have only 3 different activities between them, "
        "and a group needs at least 4."
    }


def test_compose_class_granularity_leaves_out_one_of_a_class():
    pool = [candidate(0, "43.21A"), candidate(1, "43.21B"), candidate(2, "62.01Z"), candidate(3, "69.20Z")]

    proposal = run(pool, competition.Rule(CLASS), 3, 4)

    assert proposal.placed == 3
    ((key, reason),) = reasons(proposal).items()
    assert key in {"candidate-000", "candidate-001"}
    assert reason == (
        "2 candidates share the same activity (43.21 Installation électrique) and only 1 group "
        "can be formed: at most one per group."
    )


def test_compose_group_granularity_separates_a_whole_group():
    # 43.21A and 43.22A: different classes, same group 43.2.
    pool = [candidate(0, "43.21A"), candidate(1, "43.22A"), *varied(4, start=2)]

    by_class = run(pool, competition.Rule(CLASS), 3, 6)
    by_group = run(pool, competition.Rule(GROUP), 3, 6)

    assert by_class.placed == 6
    assert by_group.placed == 6
    for cohort in by_group.cohorts:
        assert not {"candidate-000", "candidate-001"} <= set(cohort)
    assert len(by_group.cohorts) == 2


def test_compose_declared_conflict_keeps_two_companies_apart():
    pool = varied(4)
    declaration = competition.Declaration(pool[0].siret[:9], pool[1].siret[:9], "declared by the CCI: rivals")
    rule = competition.Rule(CLASS, [declaration])

    proposal = run(pool, rule, 3, 4)

    assert proposal.placed == 3
    ((key, reason),) = reasons(proposal).items()
    other = "Entreprise 01" if key == "candidate-000" else "Entreprise 00"
    assert reason == f"A declared conflict with {other} leaves no group for it."


def test_compose_declared_conflicts_place_everyone_when_possible():
    pool = varied(8)
    siren = [party.siret[:9] for party in pool]
    rule = competition.Rule(
        CLASS,
        [competition.Declaration(siren[0], siren[1], "x"), competition.Declaration(siren[0], siren[2], "x")],
    )

    proposal = run(pool, rule, 4, 4)

    # Candidate 0 sits in the group without 1 and 2: everyone is placed.
    assert proposal.placed == 8
    assert proposal.optimal


def test_compose_declared_conflicts_with_several_companies():
    pool = varied(6)
    siren = [party.siret[:9] for party in pool]
    rule = competition.Rule(CLASS, [competition.Declaration(siren[0], siren[n], "x") for n in range(1, 5)])

    proposal = run(pool, rule, 3, 3)

    assert proposal.placed == 3
    assert reasons(proposal)["candidate-000"].startswith("Declared conflicts with Entreprise 0")
    assert reasons(proposal)["candidate-000"].endswith(" leave no group for it.")


def test_compose_two_establishments_of_one_company_never_share_a_group():
    # Same SIREN, same activity: the rule does not call them competitors, the composer still parts them.
    pool = [
        candidate(0, "62.01Z", siren_seed=7),
        candidate(1, "69.20Z", siren_seed=7, site=2),
        candidate(2, "10.71C"),
        candidate(3, "49.41A"),
    ]
    rule = competition.Rule(CLASS)
    assert rule.conflict(pool[0], pool[1]) is None

    proposal = run(pool, rule, 3, 4)

    assert proposal.placed == 3
    ((key, reason),) = reasons(proposal).items()
    assert key in {"candidate-000", "candidate-001"}
    assert reason.startswith("Another establishment of the same company (Entreprise 0")


def test_compose_one_activity_flooding_the_pool():
    electricians = [candidate(n, "43.21A") for n in range(15)]
    pool = electricians + varied(5, start=20)

    proposal = run(pool, competition.Rule(CLASS), 4, 6)

    assert len(proposal.cohorts) == 1
    assert proposal.placed == 6
    flooded = {key for key, reason in reasons(proposal).items() if reason.startswith("15 candidates share")}
    assert len(flooded) == 14
    assert reasons(proposal)[sorted(flooded)[0]] == (
        "15 candidates share the same activity (43.21 Installation électrique) and only 1 group "
        "can be formed: at most one per group."
    )


def test_compose_mixed_reasons_are_listed_per_group():
    # Three bakeries, five other activities, groups of exactly 3: two groups, six placed.
    bakeries = [candidate(n, "10.71C") for n in range(3)]
    others = [
        candidate(10 + n, naf) for n, naf in enumerate(["62.01Z", "30.12Z", "49.41A", "11.05Z", "43.32A"])
    ]

    proposal = run(bakeries + others, competition.Rule(CLASS), 3, 3)

    assert proposal.placed == 6
    bakery_keys = {party.key for party in bakeries}
    with_bakery = sum(1 for cohort in proposal.cohorts if bakery_keys & set(cohort))
    activity = competition.activity_label("10.71C", CLASS)
    for key, reason in reasons(proposal).items():
        if key not in bakery_keys:
            assert reason == "No room left: every group is full (3)."
        elif with_bakery == 1:
            assert reason == (
                f"No group can take it: 1 group already has its activity ({activity}); 1 group is full (3)."
            )
        else:
            assert reason.startswith("3 candidates share the same activity")


def test_compose_maximises_the_mix_then_reports_a_tight_bound():
    # 4 candidates of division 43 (four classes) and 4 of other divisions, 2 groups of 4:
    # the best mix puts two 43s in each group: 3 + 3 divisions.
    pool = [candidate(n, naf) for n, naf in enumerate(["43.21A", "43.22A", "43.32A", "43.99C"])]
    pool += varied(4, start=10)
    pool = [party for party in pool if party.naf_code != "43.32A" or party.key == "candidate-002"]

    proposal = run(pool, competition.Rule(CLASS), 4, 4)

    assert proposal.placed == 8
    assert proposal.diversity == proposal.bound == 6
    assert proposal.optimal
    assert proposal.gap == 0


def test_compose_keeps_towns_together():
    pool = varied(3) + varied(3, start=3, postcode="67000")
    pool = [
        ComposerCandidate(p.key, p.siret, VARIED[n], p.postcode, p.town, p.name) for n, p in enumerate(pool)
    ]

    proposal = run(pool, competition.Rule(CLASS), 3, 3)

    by_key = {party.key: party for party in pool}
    assert sorted({by_key[key].postcode for key in cohort} for cohort in proposal.cohorts) == [
        {"56000"},
        {"67000"},
    ]
    assert proposal.distance == 0


def test_compose_is_deterministic_whatever_the_order():
    pool = [candidate(n, VARIED[n % 5], postcode=["56000", "56100", "56400"][n % 3]) for n in range(30)]
    rule = competition.Rule(CLASS)

    first = run(pool, rule, 4, 6)
    second = run(list(reversed(pool)), rule, 4, 6)

    assert (first.cohorts, first.unplaced, first.diversity, first.distance) == (
        second.cohorts,
        second.unplaced,
        second.diversity,
        second.distance,
    )


def test_compose_refuses_bad_sizes_and_duplicate_keys():
    with pytest.raises(ValueError, match="min_size"):
        compose(varied(3), rule=competition.Rule(CLASS), min_size=4, max_size=3)
    with pytest.raises(ValueError, match="unique"):
        compose(varied(2) + varied(1), rule=competition.Rule(CLASS), min_size=2, max_size=3)


def test_postcode_point_knows_towns_and_falls_back_to_the_departement():
    vannes = postcode_point("56000")
    assert vannes is not None and abs(vannes[0] - 47.66) < 0.05 and abs(vannes[1] + 2.76) < 0.05
    nearby = postcode_point("56999")  # no such postcode: the mean of 56xxx
    assert nearby is not None and 47.2 < nearby[0] < 48.3
    assert postcode_point("") is None
    assert postcode_point("ABCDE") is None


# --- Random pools --------------------------------------------------------------------------------

# Few activities and companies, so that competitors, second establishments and impossible
# pools are frequent; 2 s per pool keeps the whole property under a minute.
settings.register_profile(
    "composer",
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
NAF_SET = ["43.21A", "43.21B", "43.22A", "47.11B", "47.11D", "56.10A", "62.01Z", "69.20Z", "49.41A", "10.71C"]
POSTCODES = ["56000", "56100", "56400", "56300", "29200", "99999", ""]


@st.composite
def pools(draw):
    size = draw(st.integers(0, 80))
    companies = draw(st.integers(1, max(1, size)))
    pool = []
    for number in range(size):
        seed = draw(st.integers(0, companies - 1))
        body = make_siret(90_000 + seed)[:9] + f"{number + 1:04d}"
        from stdnum import luhn

        pool.append(
            ComposerCandidate(
                key=f"candidate-{number:03d}",
                siret=body + luhn.calc_check_digit(body),
                naf_code=draw(st.sampled_from(NAF_SET)),
                postcode=draw(st.sampled_from(POSTCODES)),
                town="Town",
                name=f"Entreprise {number:02d}",
            )
        )
    sirens = sorted({party.siret[:9] for party in pool})
    declarations = []
    if len(sirens) > 1:
        for _n in range(draw(st.integers(0, len(sirens) // 2))):
            siren_a, siren_b = draw(st.lists(st.sampled_from(sirens), min_size=2, max_size=2, unique=True))
            declarations.append(competition.Declaration(siren_a, siren_b, "declared by the CCI: test"))
    low = draw(st.integers(2, 12))
    high = draw(st.integers(low, 12))
    granularity = draw(st.sampled_from([SUBCLASS, CLASS, GROUP]))
    return pool, competition.Rule(granularity, declarations), low, high


@settings(settings.get_profile("composer"))
@given(pools())
def test_compose_random_pools_keep_every_promise(case):
    pool, rule, low, high = case
    with translation.override("en"):
        run(pool, rule, low, high, time_limit=2.0)
