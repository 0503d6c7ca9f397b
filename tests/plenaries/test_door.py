"""The check-in page at the door: who may use it, search without accents, one tap, undo,
htmx partials and plain POSTs, and a few queries per tap."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plenaries import services
from plenaries.enums import RegistrationState
from plenaries.models import Registration
from tests import factories
from tests.pages import assert_hides, assert_shows

pytestmark = pytest.mark.plenary(title="Plénière du Morbihan", capacity=50)

State = RegistrationState


def register(plenary, cohort, *, first_name="Anne", last_name="Rouxel", company="Kerlann Informatique"):
    person = factories.MembershipFactory(
        cohort=cohort, person__first_name=first_name, person__last_name=last_name, company__name=company
    ).person
    return services.register(plenary, person, actor=person)


def door_url(plenary):
    return reverse("plenaries:door", kwargs={"pk": plenary.pk})


def check_in_url(registration):
    return reverse(
        "plenaries:door_check_in", kwargs={"pk": registration.plenary_id, "registration_pk": registration.pk}
    )


def undo_url(registration):
    return reverse(
        "plenaries:door_undo", kwargs={"pk": registration.plenary_id, "registration_pk": registration.pk}
    )


@pytest.mark.parametrize(("role", "status"), [("coordinator", 200), ("facilitator", 200), ("admin", 200)])
def test_the_door_is_for_managers_and_facilitators(login, users, plenary, role, status):
    assert login(users[role]).get(door_url(plenary)).status_code == status


@pytest.mark.parametrize(
    ("role", "status"), [("member", 403), ("other_chapter_coordinator", 404), ("outsider", 404)]
)
def test_nobody_else_uses_the_door(login, users, plenary, cohort, role, status):
    registration = register(plenary, cohort)
    client = login(users[role])
    assert client.get(door_url(plenary)).status_code == status
    assert client.post(check_in_url(registration)).status_code == status
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


def test_search_ignores_accents_and_case_and_finds_companies(login, facilitator, plenary, cohort):
    register(plenary, cohort, first_name="Gaëlle", last_name="Le Nours", company="Biscuiterie de Quiberon")
    register(plenary, cohort, first_name="Yann", last_name="Tanguy", company="Crêperie Tanguy")
    client = login(facilitator)

    assert [
        r.person.first_name for r in client.get(door_url(plenary), {"q": "gaelle"}).context["door"].rows
    ] == ["Gaëlle"]
    assert [
        r.person.first_name for r in client.get(door_url(plenary), {"q": "CREPERIE"}).context["door"].rows
    ] == ["Yann"]
    response = client.get(door_url(plenary), {"q": "nours quiberon"})
    assert_shows(response, "Gaëlle Le Nours")
    assert_hides(response, "Yann Tanguy")


def test_only_registered_people_are_at_the_door(login, coordinator, plenary, cohort):
    kept = register(plenary, cohort, first_name="Anne")
    gone = register(plenary, cohort, first_name="Ronan", last_name="Le Goff")
    services.cancel_registration(gone, actor=gone.person)

    rows = login(coordinator).get(door_url(plenary)).context["door"].rows

    assert [row.pk for row in rows] == [kept.pk]


def test_one_tap_checks_in_with_htmx_and_returns_the_row_and_the_counter(login, facilitator, plenary, cohort):
    registration = register(plenary, cohort)
    register(plenary, cohort, first_name="Ronan", last_name="Le Goff")

    response = login(facilitator).post(check_in_url(registration), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="registration-{registration.pk}"' in body
    assert 'data-checked-in="yes"' in body
    assert 'hx-swap-oob="true"' in body
    assert '<span data-count="checked_in">1</span>' in body
    assert '<span data-count="registered">2</span>' in body
    registration.refresh_from_db()
    assert registration.checked_in_at is not None and registration.checked_in_by_id == facilitator.pk


def test_without_javascript_a_tap_redirects_back_to_the_search(login, facilitator, plenary, cohort):
    registration = register(plenary, cohort)

    response = login(facilitator).post(check_in_url(registration), {"q": "anne"})

    assert response.status_code == 302
    assert response["Location"] == f"{door_url(plenary)}?q=anne#registration-{registration.pk}"
    assert Registration.objects.get(pk=registration.pk).checked_in_at is not None


def test_tapping_twice_checks_in_once_and_undo_clears_it(login, facilitator, plenary, cohort):
    registration = register(plenary, cohort)
    client = login(facilitator)

    client.post(check_in_url(registration))
    first = Registration.objects.get(pk=registration.pk).checked_in_at
    client.post(check_in_url(registration))
    assert Registration.objects.get(pk=registration.pk).checked_in_at == first

    response = client.post(undo_url(registration), HTTP_HX_REQUEST="true")
    assert 'data-checked-in="no"' in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


def test_a_waiting_person_cannot_be_checked_in_and_it_is_said(login, facilitator, chapter, cohort):
    plenary = factories.PlenaryFactory(chapter=chapter, capacity=1)
    register(plenary, cohort)
    waiting = register(plenary, cohort, first_name="Ronan")
    assert waiting.state == State.WAITING

    response = login(facilitator).post(check_in_url(waiting), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    assert Registration.objects.get(pk=waiting.pk).checked_in_at is None


def test_a_registration_of_another_plenary_is_a_404(login, facilitator, plenary, chapter, cohort):
    other = factories.PlenaryFactory(chapter=chapter)
    registration = register(other, cohort)
    url = reverse("plenaries:door_check_in", kwargs={"pk": plenary.pk, "registration_pk": registration.pk})
    assert login(facilitator).post(url).status_code == 404


def test_the_counter_refreshes_by_itself(login, facilitator, plenary, cohort):
    registration = register(plenary, cohort)
    services.check_in(registration, actor=facilitator)

    response = login(facilitator).get(
        door_url(plenary), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="door-counter"
    )

    body = response.content.decode()
    assert '<span data-count="checked_in">1</span>' in body and "<html" not in body


def test_htmx_search_returns_the_results_only(login, facilitator, plenary, cohort):
    register(plenary, cohort, first_name="Gaëlle")
    response = login(facilitator).get(
        door_url(plenary), {"q": "gaelle"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="door-results"
    )
    body = response.content.decode()
    assert 'id="door-results"' in body and "Gaëlle" in body and "<html" not in body


def test_a_tap_is_a_few_queries_whatever_the_number_registered(login, facilitator, plenary, cohort):
    registrations = [register(plenary, cohort, first_name=f"P{n}") for n in range(30)]
    client = login(facilitator)
    client.get(door_url(plenary))  # the session and roles are warm, as on the phone

    with CaptureQueriesContext(connection) as queries:
        response = client.post(check_in_url(registrations[7]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert len(queries) <= 12, [query["sql"] for query in queries]


def test_a_facilitator_without_company_is_listed_at_the_door_and_on_the_registrations_page(
    login, coordinator, facilitator, plenary
):
    services.register(plenary, facilitator, actor=facilitator)
    client = login(coordinator)

    assert_shows(client.get(door_url(plenary)), "Kévin Le Guennec")
    assert_shows(
        client.get(reverse("plenaries:registrations", kwargs={"pk": plenary.pk})), "Kévin Le Guennec"
    )


def test_the_door_page_says_which_day_and_where_and_undo_names_the_check_in(
    login, coordinator, cohort, plenary
):
    from django.utils import formats, timezone

    registration = register(plenary, cohort)
    services.check_in(registration, actor=coordinator)

    response = login(coordinator).get(door_url(plenary))

    day = formats.date_format(timezone.localtime(plenary.starts_at), "l j F, H:i")
    assert_shows(response, day, plenary.venue_name, "Annuler l’accueil")
