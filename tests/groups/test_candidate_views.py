"""Candidates: the public form, the pipeline, the CSV import, the composer's pages."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from groups.enums import CandidateState, CohortState
from groups.models import Candidate, Cohort, Membership
from members.demo import make_siret
from tests import factories
from tests.groups.test_cohort_views import french
from tests.pages import assert_hides, assert_shows

HEADER = "company_name,siret,naf_code,town,postcode,leader_first_name,leader_last_name,email\n"


def application(chapter, **overrides):
    return {
        "company_name": "Crêperie du Port",
        "siret": make_siret(321),
        "naf_code": "56.10A",
        "size_band": "micro",
        "postcode": "56100",
        "town": "Lorient",
        "first_name": "Léa",
        "last_name": "Ryo",
        "email": "lea@creperie.test",
        "phone": "06 12 34 56 78",
        "motivation": "Rompre l'isolement",
        "consent": "on",
        "website": "",
    } | overrides


# --- The public application form ------------------------------------------------------------


def test_anyone_may_apply_and_gets_an_acknowledgement(chapter, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("groups:application", kwargs={"code": chapter.code}), application(chapter)
        )

    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert (candidate.state, candidate.source, candidate.chapter) == (CandidateState.NEW, "form", chapter)
    assert mail.outbox[0].to == ["lea@creperie.test"]
    assert chapter.name in mail.outbox[0].subject


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("siret", "552 100 554 00014"),
        ("naf_code", "99.99Z"),
        ("postcode", "5610"),
        ("email", "lea@"),
        ("consent", ""),
    ],
)
def test_application_errors_are_specific_and_keep_what_was_typed(chapter, client, field, value):
    response = client.post(
        reverse("groups:application", kwargs={"code": chapter.code}), application(chapter, **{field: value})
    )

    assert response.status_code == 200
    assert not Candidate.objects.exists()
    assert_shows(
        response,
        "Crêperie du Port",
        "Rompre l'isolement",
        "lea@creperie.test" if field != "email" else "lea@",
    )
    assert "is-invalid" in response.content.decode()


def test_a_robot_filling_the_hidden_field_is_thanked_and_ignored(chapter, client):
    response = client.post(
        reverse("groups:application", kwargs={"code": chapter.code}),
        application(chapter, website="http://spam"),
    )

    assert response.status_code == 302
    assert not Candidate.objects.exists()


def test_unknown_chapter_application_is_404(db, client):
    assert client.get(reverse("groups:application", kwargs={"code": "nowhere"})).status_code == 404


# --- The pipeline ---------------------------------------------------------------------------


def test_candidate_list_counts_and_filters_by_state(chapter, coordinator, login):
    factories.CandidateFactory(chapter=chapter, company_name="Qualified One")
    factories.CandidateFactory(chapter=chapter, company_name="Fresh One", state=CandidateState.NEW)

    response = login(coordinator).get(
        reverse("groups:candidate_list", kwargs={"code": chapter.code}), {"state": "new"}
    )

    assert_shows(response, "Fresh One")
    assert_hides(response, "Qualified One")


def test_other_chapter_coordinator_never_sees_the_candidates(chapter, other_chapter_coordinator, login):
    candidate = factories.CandidateFactory(chapter=chapter)
    client = login(other_chapter_coordinator)

    assert client.get(reverse("groups:candidate_list", kwargs={"code": chapter.code})).status_code == 404
    assert client.get(candidate.get_absolute_url()).status_code == 404
    assert client.post(reverse("groups:candidate_qualify", kwargs={"pk": candidate.pk})).status_code == 404


def test_qualify_then_place_from_the_pages(chapter, cohort, coordinator, login):
    candidate = factories.CandidateFactory(chapter=chapter, state=CandidateState.NEW, naf_code="49.41A")
    client = login(coordinator)

    client.post(reverse("groups:candidate_qualify", kwargs={"pk": candidate.pk}))
    response = client.post(
        reverse("groups:candidate_place", kwargs={"pk": candidate.pk}), {"cohort": cohort.pk}
    )

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.PLACED
    assert candidate.membership.cohort == cohort


def test_placing_a_competitor_from_the_page_is_refused(
    chapter, cohort, member_membership, coordinator, login
):
    candidate = factories.CandidateFactory(
        chapter=chapter, naf_code="62.01Z", company_name="Breizh Web Studio"
    )

    response = login(coordinator).post(
        reverse("groups:candidate_place", kwargs={"pk": candidate.pk}), {"cohort": cohort.pk}
    )

    assert response.status_code == 200
    assert_shows(response, "Kerlann Informatique", "62.01 Programmation informatique")
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.QUALIFIED


# --- The CSV import -------------------------------------------------------------------------


def upload(client, chapter, text, qualified=True, name="candidats.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")}
    if qualified:
        data["qualified"] = "on"
    return client.post(reverse("groups:candidate_import", kwargs={"code": chapter.code}), data)


def test_import_page_lists_every_bad_row_in_french_and_imports_nothing(chapter, coordinator, login):
    text = (
        HEADER
        + f"Good,{make_siret(1)},62.01Z,Vannes,56000,A,B,a@example.test\n"
        + "Bad,123,62.01Z,Vannes,56000,A,B,b@example.test\n"
        + f"Worse,{make_siret(3)},99.99Z,Vannes,56000,,B,c@example.test\n"
    )

    response = upload(login(coordinator), chapter, text)

    assert response.status_code == 200
    assert not Candidate.objects.exists()
    html = response.content.decode()
    for line in (3, 4):
        assert french("Line %(line)d: %(message)s", line=line, message="").strip() in html
    assert_shows(response, "candidats.csv")


def test_import_page_imports_a_good_file(chapter, coordinator, login):
    text = HEADER + "".join(
        f"Entreprise {n},{make_siret(n)},{code},Vannes,56000,A,B,{n}@example.test\n"
        for n, code in enumerate(["62.01Z", "10.71C", "49.41A"], 1)
    )

    response = upload(login(coordinator), chapter, text)

    assert response.status_code == 302
    assert Candidate.objects.filter(state=CandidateState.QUALIFIED).count() == 3


def test_import_refuses_a_non_utf8_file_without_error_page(chapter, coordinator, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login(coordinator).post(
        reverse("groups:candidate_import", kwargs={"code": chapter.code}),
        {"file": SimpleUploadedFile("x.csv", "société;é\n".encode("latin-1"))},
    )

    assert response.status_code == 200
    assert not Candidate.objects.exists()


# --- The composer's pages -------------------------------------------------------------------


@pytest.fixture
def small_chapter(chapter):
    chapter.group_min_size, chapter.group_max_size = 3, 4
    chapter.save()
    return chapter


def pool(chapter):
    """Two bakeries (competitors) and six others: two groups of four."""
    codes = ["10.71C", "10.71C", "62.01Z", "49.41A", "69.20Z", "43.21A", "55.10Z", "81.30Z"]
    return [
        factories.CandidateFactory(chapter=chapter, naf_code=code, company_name=f"C{index} {code}")
        for index, code in enumerate(codes)
    ]


def proposal_of(client, chapter):
    return client.session[f"composer:{chapter.pk}"]


def test_composer_proposes_groups_without_competitors_and_confirms_them(small_chapter, coordinator, login):
    candidates = pool(small_chapter)
    client = login(coordinator)

    response = client.post(
        reverse("groups:composer", kwargs={"code": small_chapter.code}), {"min_size": 3, "max_size": 4}
    )
    assert response.status_code == 302
    stored = proposal_of(client, small_chapter)
    assert sorted(len(group) for group in stored["groups"]) == [4, 4]
    bakeries = {candidates[0].pk, candidates[1].pk}
    assert all(len(bakeries & set(group)) <= 1 for group in stored["groups"])

    page = client.get(reverse("groups:composer_proposal", kwargs={"code": small_chapter.code}))
    assert_shows(page, "C0 10.71C", "C7 81.30Z")

    confirm = client.post(
        reverse("groups:composer_confirm", kwargs={"code": small_chapter.code}),
        {"name_0": "Vannes 2027", "name_1": "Lorient 2027", "start_date": "2027-09-07"},
    )
    assert confirm.status_code == 302
    cohorts = Cohort.objects.filter(name__in=["Vannes 2027", "Lorient 2027"])
    assert {cohort.state for cohort in cohorts} == {CohortState.FORMING}
    assert Membership.objects.filter(cohort__in=cohorts).count() == 8


def test_composer_move_of_a_competitor_is_refused_and_changes_nothing(small_chapter, coordinator, login):
    candidates = pool(small_chapter)
    client = login(coordinator)
    client.post(
        reverse("groups:composer", kwargs={"code": small_chapter.code}), {"min_size": 3, "max_size": 4}
    )
    before = proposal_of(client, small_chapter)
    bakery = candidates[0].pk
    twin_group = next(index for index, group in enumerate(before["groups"]) if candidates[1].pk in group)

    response = client.post(
        reverse("groups:composer_move", kwargs={"code": small_chapter.code}),
        {"candidate": bakery, "target": twin_group},
    )

    assert response.status_code == 302
    assert proposal_of(client, small_chapter)["groups"] == before["groups"]
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert candidates[1].company_name in message


@pytest.mark.parametrize("step", ["groups:composer_move", "groups:composer_confirm"])
def test_a_proposal_confirmed_in_another_tab_sends_back_to_the_composer_saying_why(
    small_chapter, coordinator, login, step
):
    """The proposal left the session (confirmed elsewhere, session ended): say so, not a silent redirect."""
    pool(small_chapter)
    client = login(coordinator)

    response = client.post(
        reverse(step, kwargs={"code": small_chapter.code}), {"candidate": "1", "target": "0", "name_0": "A"}
    )

    assert response["Location"] == reverse("groups:composer", kwargs={"code": small_chapter.code})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Lancez d’abord la composition des groupes."
    ]


def test_composer_move_to_a_full_group_is_refused_but_out_and_back_works(small_chapter, coordinator, login):
    pool(small_chapter)
    client = login(coordinator)
    client.post(
        reverse("groups:composer", kwargs={"code": small_chapter.code}), {"min_size": 3, "max_size": 4}
    )
    groups = proposal_of(client, small_chapter)["groups"]
    mover = groups[0][-1]
    move = reverse("groups:composer_move", kwargs={"code": small_chapter.code})

    client.post(move, {"candidate": mover, "target": 1})  # group 2 is full (4)
    assert proposal_of(client, small_chapter)["groups"] == groups

    client.post(move, {"candidate": mover, "target": "out"})
    assert mover in [pk for pk, _reason in proposal_of(client, small_chapter)["unplaced"]]
    client.post(move, {"candidate": mover, "target": 0})
    assert mover in proposal_of(client, small_chapter)["groups"][0]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"candidate": "x", "target": "0"},
        {"candidate": "999999", "target": "0"},
        {"candidate": "1", "target": "²"},
    ],
)
def test_composer_move_with_odd_input_is_a_message_not_an_error(small_chapter, coordinator, login, data):
    pool(small_chapter)
    client = login(coordinator)
    client.post(
        reverse("groups:composer", kwargs={"code": small_chapter.code}), {"min_size": 3, "max_size": 4}
    )

    response = client.post(reverse("groups:composer_move", kwargs={"code": small_chapter.code}), data)

    assert response.status_code == 302


def test_confirming_a_group_below_the_minimum_creates_nothing(small_chapter, coordinator, login):
    pool(small_chapter)
    client = login(coordinator)
    client.post(
        reverse("groups:composer", kwargs={"code": small_chapter.code}), {"min_size": 3, "max_size": 4}
    )
    groups = proposal_of(client, small_chapter)["groups"]
    move = reverse("groups:composer_move", kwargs={"code": small_chapter.code})
    for pk in groups[0][:2]:
        client.post(move, {"candidate": pk, "target": "out"})

    response = client.post(
        reverse("groups:composer_confirm", kwargs={"code": small_chapter.code}),
        {"name_0": "Vannes 2027", "name_1": "Lorient 2027"},
    )

    assert response.status_code == 200
    assert not Cohort.objects.filter(name__in=["Vannes 2027", "Lorient 2027"]).exists()


def test_import_page_into_a_cohort_refuses_a_competitor(
    chapter, cohort, member_membership, coordinator, login
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = HEADER + f"Breizh Web Studio,{make_siret(2)},62.01Z,Vannes,56000,A,B,b@example.test\n"

    response = login(coordinator).post(
        reverse("groups:candidate_import", kwargs={"code": chapter.code}),
        {"file": SimpleUploadedFile("roster.csv", text.encode()), "cohort": cohort.pk},
    )

    assert response.status_code == 200
    assert_shows(response, "Kerlann Informatique", "62.01 Programmation informatique")
    assert not Candidate.objects.exists()
    assert cohort.memberships.count() == 1


def test_application_form_stops_a_script_posting_in_a_loop(chapter, client, settings):
    url = reverse("groups:application", kwargs={"code": chapter.code})
    for seed in range(10):
        data = application(chapter, siret=make_siret(400 + seed), email=f"{seed}@example.test")
        assert client.post(url, data).status_code == 302

    response = client.post(url, application(chapter, siret=make_siret(499), email="late@example.test"))

    assert response.status_code == 200
    assert Candidate.objects.count() == 10
    assert_shows(response, "Crêperie du Port")  # what was typed is kept


def test_candidate_list_searches_by_town_name_or_naf_code(chapter, coordinator, login):
    factories.CandidateFactory(
        chapter=chapter, company_name="Crêperie du Port", town="Lorient", naf_code="56.10A"
    )
    factories.CandidateFactory(
        chapter=chapter, company_name="Garage Central", town="Vannes", naf_code="45.20A"
    )
    client = login(coordinator)
    url = reverse("groups:candidate_list", kwargs={"code": chapter.code})

    by_town = client.get(url, {"q": "lorient"})
    by_code = client.get(url, {"q": "45.20"})

    assert_shows(by_town, "Crêperie du Port")
    assert_hides(by_town, "Garage Central")
    assert_shows(by_code, "Garage Central")
    assert_hides(by_code, "Crêperie du Port")


def test_composer_members_join_on_the_cohort_start_date(small_chapter, coordinator, login):
    pool(small_chapter)
    client = login(coordinator)
    client.post(
        reverse("groups:composer", kwargs={"code": small_chapter.code}), {"min_size": 3, "max_size": 4}
    )

    client.post(
        reverse("groups:composer_confirm", kwargs={"code": small_chapter.code}),
        {"name_0": "Vannes 2027", "name_1": "Lorient 2027", "start_date": "2027-09-07"},
    )

    assert set(Membership.objects.values_list("joined_on", flat=True)) == {datetime.date(2027, 9, 7)}
