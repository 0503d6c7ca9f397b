"""A regional plenary: its organising chapter runs it, other chapters their own people.

Plato 56 organises the Bretagne plenary; Plato 35 (same region) sees it and manages the
registrations of its own people only. Each action is tried by Plato 35's coordinator
(the other chapter), then by Plato 56's (the organiser) where it matters."""

import re
import subprocess

import pytest
from django.urls import reverse

from plenaries import services
from plenaries.enums import PlenaryScope, PlenaryState, RegistrationState
from plenaries.models import CohortQuota, Plenary, ProgramItem, Registration
from tests import factories
from tests.pages import assert_hides, assert_shows
from tests.plenaries.test_planning_views import _edit_data, _form_data

pytestmark = pytest.mark.regional(title="Plénière Bretagne", plus_one_allowed=True)

State = RegistrationState


@pytest.fixture
def cohort_35(other_chapter):
    return factories.CohortFactory(chapter=other_chapter, name="Rennes Centre", state="active")


@pytest.fixture
def people(regional, cohort, cohort_35):
    """Registered: Morgane Le Goff of Plato 56, Yann Rouxel of Plato 35; invited, not
    registered: Anne Quéré (56) and Paul Bihan (35)."""

    def person(cohort, first, last):
        return factories.MembershipFactory(
            cohort=cohort,
            person__first_name=first,
            person__last_name=last,
            person__email=f"{first.lower()}@{cohort.chapter.code}.test",
        ).person

    made = {
        "of_56": person(cohort, "Morgane", "Le Goff"),
        "of_35": person(cohort_35, "Yann", "Rouxel"),
        "invited_56": person(cohort, "Anne", "Quéré"),
        "invited_35": person(cohort_35, "Paul", "Bihan"),
    }
    for key in ("of_56", "of_35"):
        services.register(regional, made[key], actor=made[key])
    return made


def url(name, plenary, **kwargs):
    return reverse(f"plenaries:{name}", kwargs={"pk": plenary.pk, **kwargs})


def registration_of(plenary, person) -> Registration:
    return Registration.objects.get(plenary=plenary, person=person)


def pdf_text(response, tmp_path) -> str:
    assert response.content.startswith(b"%PDF-")
    path = tmp_path / "export.pdf"
    path.write_bytes(response.content)
    return re.sub(
        r"\s+", " ", subprocess.run(["pdftotext", str(path), "-"], capture_output=True).stdout.decode()
    )


# --- The plenary itself: the organiser's ---------------------------------------------------------


def test_another_chapter_sees_the_regional_plenary_without_its_managers_links(
    login, other_chapter_coordinator, regional
):
    page = login(other_chapter_coordinator).get(regional.get_absolute_url())

    assert page.status_code == 200
    assert_shows(page, "Plénière Bretagne", url("registrations", regional))
    assert_hides(page, url("plenary_edit", regional), url("plenary_cancel", regional), url("door", regional))


def test_another_chapter_cannot_edit_cancel_or_change_the_program(login, other_chapter_coordinator, regional):
    item = factories.ProgramItemFactory(plenary=regional, title="Accueil")
    client = login(other_chapter_coordinator)
    attempts = [
        ("get", url("plenary_edit", regional), {}),
        ("post", url("plenary_edit", regional), {"title": "Détournée", "capacity": "500"}),
        ("get", url("plenary_cancel", regional), {}),
        ("post", url("plenary_cancel", regional), {"reason": "Pour voir"}),
        ("get", url("program_item_create", regional), {}),
        ("post", url("program_item_create", regional), {"starts_at": "15:00", "kind": "talk", "title": "X"}),
        ("get", url("program_item_edit", regional, item_pk=item.pk), {}),
        ("post", url("program_item_delete", regional, item_pk=item.pk), {}),
    ]

    for method, address, data in attempts:
        assert getattr(client, method)(address, data).status_code == 403, (method, address)

    regional.refresh_from_db()
    assert (regional.title, regional.capacity, regional.state) == (
        "Plénière Bretagne",
        50,
        PlenaryState.PLANNED,
    )
    assert [program.title for program in ProgramItem.objects.all()] == ["Accueil"]


def test_the_organiser_runs_the_plenary(login, coordinator, regional):
    client = login(coordinator)

    assert client.get(url("plenary_edit", regional)).status_code == 200
    response = client.post(url("plenary_cancel", regional), {"reason": "Salle indisponible"})

    assert response.status_code == 302
    regional.refresh_from_db()
    assert regional.state == PlenaryState.CANCELLED


def test_the_door_is_the_organising_chapters(login, regional, people, facilitator, other_chapter):
    facilitator_35 = factories.ChapterRoleFactory(chapter=other_chapter, role="facilitator").user
    coordinator_35 = factories.ChapterRoleFactory(chapter=other_chapter, role="coordinator").user
    of_35 = registration_of(regional, people["of_35"])

    assert login(facilitator).get(url("door", regional)).status_code == 200  # Plato 56's
    for outsider in (facilitator_35, coordinator_35):
        client = login(outsider)
        assert client.get(url("door", regional)).status_code == 403
        assert client.post(url("door_check_in", regional, registration_pk=of_35.pk)).status_code == 403
    of_35.refresh_from_db()
    assert of_35.checked_in_at is None


# --- Registrations: each chapter its own people ---------------------------------------------------


def test_another_chapter_lists_and_searches_its_own_people_only(
    login, other_chapter_coordinator, regional, people
):
    client = login(other_chapter_coordinator)

    page = client.get(url("registrations", regional))
    search_35 = client.get(url("registrations", regional), {"q": "Bihan"})
    search_56 = client.get(url("registrations", regional), {"q": "Quéré"})

    assert page.status_code == 200
    assert_shows(page, "Yann Rouxel", "Rennes Centre")
    assert_hides(page, "Morgane Le Goff", "morgane@56.test", "Golfe du Morbihan")
    assert_shows(search_35, "Paul Bihan")
    assert_hides(search_56, "Anne Quéré")


def test_another_chapter_registers_its_own_people_only(login, other_chapter_coordinator, regional, people):
    client = login(other_chapter_coordinator)

    client.post(url("register_someone", regional), {"person": people["invited_35"].pk})
    refused = client.post(url("register_someone", regional), {"person": people["invited_56"].pk}, follow=True)

    assert registration_of(regional, people["invited_35"]).state == State.REGISTERED
    assert not Registration.objects.filter(plenary=regional, person=people["invited_56"]).exists()
    assert refused.status_code == 200


def test_another_chapter_cancels_its_own_peoples_registrations_only(
    login, other_chapter_coordinator, regional, people
):
    client = login(other_chapter_coordinator)
    of_56 = registration_of(regional, people["of_56"])
    of_35 = registration_of(regional, people["of_35"])

    foreign = client.post(url("cancel_someone", regional, registration_pk=of_56.pk))
    own = client.post(url("cancel_someone", regional, registration_pk=of_35.pk))

    assert (foreign.status_code, own.status_code) == (404, 302)
    of_56.refresh_from_db()
    of_35.refresh_from_db()
    assert (of_56.state, of_35.state) == (State.REGISTERED, State.CANCELLED)


def test_another_chapter_sets_its_own_cohorts_quotas_only(
    login, other_chapter_coordinator, regional, cohort, cohort_35
):
    client = login(other_chapter_coordinator)

    client.post(url("set_quota", regional), {"cohort": cohort.pk, "places": "1"})
    client.post(url("set_quota", regional), {"cohort": cohort_35.pk, "places": "4"})
    page = client.get(url("registrations", regional))

    assert list(CohortQuota.objects.values_list("cohort__name", "places")) == [("Rennes Centre", 4)]
    assert_hides(page, f'<option value="{cohort.pk}">')


def test_another_chapter_exports_its_own_registrants_only(
    login, other_chapter_coordinator, regional, people, tmp_path
):
    client = login(other_chapter_coordinator)

    csv_text = client.get(url("attendees_csv", regional)).content.decode()
    attendees = pdf_text(client.get(url("attendees_pdf", regional)), tmp_path)
    badges = pdf_text(client.get(url("badges_pdf", regional)), tmp_path)

    assert "yann@35.test" in csv_text and "Rouxel" in csv_text
    assert "morgane@56.test" not in csv_text and "Le Goff" not in csv_text
    for text in (attendees, badges):
        assert "Rouxel" in text.replace("ROUXEL", "Rouxel")
        assert "Le Goff" not in text and "LE GOFF" not in text


def test_the_organiser_exports_everyone(login, coordinator, regional, people):
    csv_text = login(coordinator).get(url("attendees_csv", regional)).content.decode()

    assert "yann@35.test" in csv_text and "morgane@56.test" in csv_text


def test_the_services_refuse_another_chapters_people_too(other_chapter_coordinator, regional, people):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.register(regional, people["invited_56"], actor=other_chapter_coordinator)
    assert services.register(regional, people["invited_35"], actor=other_chapter_coordinator).chapter_id == (
        people["invited_35"].memberships.get().cohort.chapter_id
    )


# --- Planning: a regional plenary is organised by the planner's chapter ---------------------------


def test_a_coordinator_plans_a_regional_plenary_organised_by_their_chapter(
    login, other_chapter_coordinator, other_chapter, chapter, region
):
    client = login(other_chapter_coordinator)
    form = client.get(reverse("plenaries:plenary_create"))
    data = _form_data(f"regional:{other_chapter.pk}", title="Plénière Bretagne 2027")

    client.post(reverse("plenaries:plenary_create"), data)
    refused = client.post(reverse("plenaries:plenary_create"), data | {"where": f"regional:{chapter.pk}"})

    assert f'value="regional:{other_chapter.pk}"' in form.content.decode()
    assert f'value="regional:{chapter.pk}"' not in form.content.decode()
    plenary = Plenary.objects.get()
    assert (plenary.scope, plenary.region_id, plenary.organiser_id) == (
        PlenaryScope.REGIONAL,
        region.pk,
        other_chapter.pk,
    )
    assert refused.status_code == 200  # not one of the choices: Plato 56 is not theirs


def test_a_regional_plenary_from_before_the_rule_is_the_admins_until_one_names_its_organiser(
    login, admin, coordinator, region, chapter
):
    legacy = factories.PlenaryFactory(
        scope=PlenaryScope.REGIONAL, chapter=None, region=region, organiser=None, title="Ancienne"
    )
    assert login(coordinator).get(url("plenary_edit", legacy)).status_code == 403
    client = login(admin)
    data = _edit_data(legacy, where=f"regional:{chapter.pk}")

    client.post(url("plenary_edit", legacy), data)

    legacy.refresh_from_db()
    assert legacy.organiser_id == chapter.pk
    assert login(coordinator).get(url("plenary_edit", legacy)).status_code == 200
