"""Planning a plenary and its program: the coordinator's forms, their clear errors, what a
plenary with answers may no longer become, and a cancelled plenary that takes no change."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from plenaries import services
from plenaries.enums import (
    PlenaryNotificationKind,
    PlenaryScope,
    PlenaryState,
    ProgramKind,
    RegistrationState,
)
from plenaries.models import CohortQuota, Plenary, PlenaryNotification, ProgramItem, Registration
from tests import factories
from tests.pages import assert_shows
from tests.plenaries.test_views import fill

pytestmark = [
    pytest.mark.plenary(title="Plénière du Morbihan", capacity=3),
    pytest.mark.regional(title="Plénière Bretagne"),
]

State = RegistrationState


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# --- Planning --------------------------------------------------------------------------------


def _form_data(where, **overrides):
    starts = timezone.now() + datetime.timedelta(days=60)
    data = {
        "where": where,
        "title": "Plénière de printemps",
        "description": "Les groupes se retrouvent.",
        "starts_at": _local(starts),
        "ends_at": _local(starts + datetime.timedelta(hours=4)),
        "venue_name": "Espace Montcalm",
        "venue_address": "6 rue Montcalm",
        "venue_postcode": "56000",
        "venue_town": "Vannes",
        "capacity": "120",
        "registration_opens_at": _local(timezone.now()),
        "registration_closes_at": _local(starts - datetime.timedelta(days=7)),
        "confirmation_hours": "48",
    }
    return data | overrides


def test_coordinator_plans_a_departmental_plenary(login, coordinator, chapter):
    response = login(coordinator).post(
        reverse("plenaries:plenary_create"), _form_data(f"chapter:{chapter.pk}")
    )

    plenary = Plenary.objects.get(title="Plénière de printemps")
    assert response.status_code == 302
    assert response["Location"] == plenary.get_absolute_url()
    assert (plenary.scope, plenary.chapter_id, plenary.region_id, plenary.capacity) == (
        PlenaryScope.DEPARTMENTAL,
        chapter.pk,
        chapter.region_id,
        120,
    )


def test_coordinator_plans_a_regional_plenary(login, coordinator, chapter, region):
    login(coordinator).post(reverse("plenaries:plenary_create"), _form_data(f"regional:{chapter.pk}"))

    plenary = Plenary.objects.get(title="Plénière de printemps")
    assert (plenary.scope, plenary.chapter_id, plenary.region_id, plenary.organiser_id) == (
        PlenaryScope.REGIONAL,
        None,
        region.pk,
        chapter.pk,
    )


def test_coordinator_cannot_plan_for_another_chapter(login, coordinator, other_chapter):
    response = login(coordinator).post(
        reverse("plenaries:plenary_create"), _form_data(f"chapter:{other_chapter.pk}")
    )

    assert response.status_code == 200
    assert "where" in response.context["form"].errors
    assert not Plenary.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("starts_at", "demain"),
        ("capacity", "0"),
        ("capacity", "beaucoup"),
        ("venue_postcode", "5600"),
        ("title", ""),
    ],
)
def test_bad_input_is_a_clear_form_error_not_a_500(login, coordinator, chapter, field, value):
    response = login(coordinator).post(
        reverse("plenaries:plenary_create"), _form_data(f"chapter:{chapter.pk}", **{field: value})
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Plenary.objects.exists()


def test_dates_in_the_wrong_order_are_form_errors(login, coordinator, chapter):
    starts = timezone.now() + datetime.timedelta(days=60)
    data = _form_data(
        f"chapter:{chapter.pk}",
        ends_at=_local(starts - datetime.timedelta(hours=1)),
        registration_closes_at=_local(starts + datetime.timedelta(days=1)),
    )
    data["starts_at"] = _local(starts)

    response = login(coordinator).post(reverse("plenaries:plenary_create"), data)

    errors = response.context["form"].errors
    assert "ends_at" in errors and "registration_closes_at" in errors


def test_more_places_on_edit_go_to_the_waiting_list(login, coordinator, cohort, plenary):
    fill(plenary, cohort, 3)
    waiting = fill(plenary, cohort, 2)
    data = _form_data(
        f"chapter:{plenary.chapter_id}",
        title=plenary.title,
        starts_at=_local(plenary.starts_at),
        ends_at=_local(plenary.ends_at),
        registration_opens_at=_local(plenary.registration_opens_at),
        registration_closes_at=_local(plenary.registration_closes_at),
        venue_name=plenary.venue_name,
        venue_address=plenary.venue_address,
        venue_postcode=plenary.venue_postcode,
        venue_town=plenary.venue_town,
        capacity="4",
    )

    response = login(coordinator).post(reverse("plenaries:plenary_edit", kwargs={"pk": plenary.pk}), data)

    assert response.status_code == 302
    plenary.refresh_from_db()
    assert plenary.capacity == 4
    assert plenary.sequence == 0  # same date and place: calendars unchanged
    assert [Registration.objects.get(pk=r.pk).state for r in waiting] == [State.OFFERED, State.WAITING]


def test_cancelling_the_plenary_needs_a_reason_and_tells_those_registered(
    login, coordinator, member, plenary
):
    services.register(plenary, member, actor=member)
    client = login(coordinator)
    url = reverse("plenaries:plenary_cancel", kwargs={"pk": plenary.pk})

    assert "reason" in client.post(url, {"reason": ""}).context["form"].errors
    client.post(url, {"reason": "Salle indisponible."})

    plenary.refresh_from_db()
    assert (plenary.state, plenary.cancel_reason) == (PlenaryState.CANCELLED, "Salle indisponible.")
    assert PlenaryNotification.objects.filter(
        plenary=plenary, person=member, kind=PlenaryNotificationKind.CANCELLED
    ).exists()
    assert_shows(login(member).get(plenary.get_absolute_url()), "Salle indisponible.")


# --- The program ----------------------------------------------------------------------------


def test_coordinator_adds_a_network_presentation(login, coordinator, chapter, plenary):
    network = factories.LocalNetworkFactory(chapter=chapter, name="CJD Vannes")
    url = reverse("plenaries:program_item_create", kwargs={"pk": plenary.pk})

    response = login(coordinator).post(
        url,
        {
            "starts_at": "15:00",
            "ends_at": "15:20",
            "kind": ProgramKind.NETWORK,
            "title": "Le CJD",
            "network": network.pk,
        },
    )

    assert response.status_code == 302
    item = ProgramItem.objects.get(plenary=plenary)
    assert (item.title, item.network_id, item.starts_at) == ("Le CJD", network.pk, datetime.time(15, 0))


def test_a_network_presentation_without_network_or_of_another_chapter_is_refused(
    login, coordinator, other_chapter, plenary
):
    foreign = factories.LocalNetworkFactory(chapter=other_chapter)
    url = reverse("plenaries:program_item_create", kwargs={"pk": plenary.pk})
    data = {"starts_at": "15:00", "kind": ProgramKind.NETWORK, "title": "Réseau"}

    assert "network" in login(coordinator).post(url, data).context["form"].errors
    assert "network" in login(coordinator).post(url, data | {"network": foreign.pk}).context["form"].errors
    assert not ProgramItem.objects.exists()


def _edit_data(plenary, where=None, **overrides):
    current = {
        "title": plenary.title,
        "starts_at": _local(plenary.starts_at),
        "ends_at": _local(plenary.ends_at),
        "registration_opens_at": _local(plenary.registration_opens_at),
        "registration_closes_at": _local(plenary.registration_closes_at),
        "venue_name": plenary.venue_name,
        "venue_address": plenary.venue_address,
        "venue_postcode": plenary.venue_postcode,
        "venue_town": plenary.venue_town,
        "capacity": str(plenary.capacity),
    }
    return _form_data(where or f"chapter:{plenary.chapter_id}", **(current | overrides))


def test_dates_typed_as_in_the_example_are_taken(login, coordinator, chapter):
    starts = timezone.localtime(timezone.now() + datetime.timedelta(days=60)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    data = _form_data(f"chapter:{chapter.pk}")
    data["starts_at"] = starts.strftime("%d/%m/%Y %H:%M")  # « par exemple 18/03/2027 14:00 »
    data["ends_at"] = (starts + datetime.timedelta(hours=4)).strftime("%d/%m/%Y %Hh%M")

    response = login(coordinator).post(reverse("plenaries:plenary_create"), data)

    assert response.status_code == 302, response.context["form"].errors
    plenary = Plenary.objects.get()
    assert (plenary.starts_at, plenary.ends_at) == (starts, starts + datetime.timedelta(hours=4))


def test_once_people_answered_the_plenary_stays_for_its_chapter(login, coordinator, member, plenary, region):
    services.register(plenary, member, actor=member)
    client = login(coordinator)
    url = reverse("plenaries:plenary_edit", kwargs={"pk": plenary.pk})

    form = client.get(url).context["form"]
    assert form.fields["where"].disabled
    assert [value for value, _label in form.fields["where"].choices] == [f"chapter:{plenary.chapter_id}"]

    response = client.post(url, _edit_data(plenary, where=f"region:{region.pk}", title="Plénière d’automne"))

    assert response.status_code == 302
    plenary.refresh_from_db()
    assert (plenary.scope, plenary.title) == (PlenaryScope.DEPARTMENTAL, "Plénière d’automne")


def test_a_plenary_nobody_answered_may_still_become_regional(login, coordinator, chapter, plenary, region):
    response = login(coordinator).post(
        reverse("plenaries:plenary_edit", kwargs={"pk": plenary.pk}),
        _edit_data(plenary, where=f"regional:{chapter.pk}"),
    )

    assert response.status_code == 302
    plenary.refresh_from_db()
    assert (plenary.scope, plenary.chapter_id, plenary.region_id) == (PlenaryScope.REGIONAL, None, region.pk)


def test_coordinator_edits_and_deletes_a_slot(login, coordinator, plenary):
    item = factories.ProgramItemFactory(plenary=plenary, title="Accueil")
    client = login(coordinator)

    client.post(
        reverse("plenaries:program_item_edit", kwargs={"pk": plenary.pk, "item_pk": item.pk}),
        {"starts_at": "13:30", "ends_at": "14:00", "kind": ProgramKind.BREAK, "title": "Accueil café"},
    )
    item.refresh_from_db()
    assert (item.title, item.kind) == ("Accueil café", ProgramKind.BREAK)

    client.post(reverse("plenaries:program_item_delete", kwargs={"pk": plenary.pk, "item_pk": item.pk}))
    assert not ProgramItem.objects.exists()


def test_a_member_cannot_delete_a_slot(login, member, plenary):
    item = factories.ProgramItemFactory(plenary=plenary)
    url = reverse("plenaries:program_item_delete", kwargs={"pk": plenary.pk, "item_pk": item.pk})
    assert login(member).post(url).status_code == 403
    assert ProgramItem.objects.filter(pk=item.pk).exists()


def test_a_cancelled_plenary_takes_no_change_by_any_form(login, coordinator, cohort, plenary):
    item = factories.ProgramItemFactory(plenary=plenary, title="Accueil")
    services.cancel_plenary(plenary, reason="Salle indisponible", actor=coordinator)
    client = login(coordinator)
    pk = {"pk": plenary.pk}
    posts = [
        (reverse("plenaries:plenary_edit", kwargs=pk), _edit_data(plenary, title="Autre titre")),
        (
            reverse("plenaries:program_item_create", kwargs=pk),
            {"starts_at": "15:00", "kind": ProgramKind.TALK, "title": "Nouvelle intervention"},
        ),
        (
            reverse("plenaries:program_item_edit", kwargs=pk | {"item_pk": item.pk}),
            {"starts_at": "13:30", "kind": ProgramKind.BREAK, "title": "Accueil café"},
        ),
        (reverse("plenaries:program_item_delete", kwargs=pk | {"item_pk": item.pk}), {}),
        (reverse("plenaries:set_quota", kwargs=pk), {"cohort": cohort.pk, "places": "2"}),
    ]

    for url, data in posts:
        response = client.post(url, data, follow=True)
        assert response.redirect_chain[-1][0] == plenary.get_absolute_url(), url
        assert "Cette plénière est annulée" in " ".join(str(m) for m in response.context["messages"]), url

    plenary.refresh_from_db()
    assert (plenary.title, plenary.state) == ("Plénière du Morbihan", PlenaryState.CANCELLED)
    assert [p.title for p in ProgramItem.objects.all()] == ["Accueil"]
    assert not CohortQuota.objects.exists()
