"""Candidates: the pipeline (list, search, qualify, place) and the CSV import pages.

The public application form is in test_application_form.py, the composer's pages in
test_composer_views.py."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from groups.enums import CandidateState
from groups.models import Candidate
from members.identifiers import make_siret
from tests import factories
from tests.groups.test_cohort_views import french
from tests.pages import assert_hides, assert_shows

HEADER = "company_name,siret,naf_code,town,postcode,leader_first_name,leader_last_name,email\n"


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


def test_import_of_a_long_town_imports_nothing(chapter, coordinator, login):
    text = HEADER + f"Forge,{make_siret(1)},25.50A,{'V' * 120},56000,A,B,a@example.test\n"

    response = login(coordinator).post(
        reverse("groups:candidate_import", kwargs={"code": chapter.code}),
        {"file": SimpleUploadedFile("long.csv", text.encode()), "qualified": "on"},
    )

    assert response.status_code == 200
    assert not chapter.candidates.exists()
