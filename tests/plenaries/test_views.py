"""The plenary pages: list, page and one's own registration, planning, program, the
managers' registrations page. Assertions on data (names, numbers, states, URLs)."""

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
from tests.pages import assert_hides, assert_shows

pytestmark = [
    pytest.mark.plenary(title="Plénière du Morbihan", capacity=3),
    pytest.mark.regional(title="Plénière Bretagne"),
]

State = RegistrationState


@pytest.fixture
def other_plenary(other_chapter):
    return factories.PlenaryFactory(chapter=other_chapter, title="Plénière d'Ille-et-Vilaine")


def fill(plenary, cohort, count):
    people = [factories.MembershipFactory(cohort=cohort).person for _ in range(count)]
    return [services.register(plenary, person, actor=person) for person in people]


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# --- The list --------------------------------------------------------------------------------


def test_list_shows_the_chapters_and_regions_plenaries_not_another_chapters(
    login, member, plenary, other_plenary, regional
):
    response = login(member).get(reverse("plenaries:plenary_list"))

    assert_shows(response, "Plénière du Morbihan", "Plénière Bretagne", plenary.get_absolute_url())
    assert_hides(response, "Plénière d&#x27;Ille-et-Vilaine", other_plenary.get_absolute_url())


def test_list_shows_places_left_waiting_and_my_state(login, member, cohort, plenary):
    fill(plenary, cohort, 3)
    services.register(plenary, member, actor=member)  # the fourth: waiting
    fill(plenary, cohort, 1)

    response = login(member).get(reverse("plenaries:plenary_list"))

    rows = response.context["plenaries"].upcoming
    assert [(row.pk, row.places_left, row.waiting, row.my_state) for row in rows] == [
        (plenary.pk, 0, 2, State.WAITING)
    ]
    assert_shows(response, "state-waiting")


def test_list_puts_upcoming_first_then_past(login, coordinator, chapter):
    past = factories.PlenaryFactory(
        chapter=chapter,
        title="L'an dernier",
        starts_at=timezone.now() - datetime.timedelta(days=300),
        registration_opens_at=timezone.now() - datetime.timedelta(days=400),
        registration_closes_at=timezone.now() - datetime.timedelta(days=310),
    )
    later = factories.PlenaryFactory(chapter=chapter, starts_at=timezone.now() + datetime.timedelta(days=90))
    soon = factories.PlenaryFactory(chapter=chapter, starts_at=timezone.now() + datetime.timedelta(days=20))

    plenaries = login(coordinator).get(reverse("plenaries:plenary_list")).context["plenaries"]

    assert [p.pk for p in plenaries.upcoming] == [soon.pk, later.pk]
    assert [p.pk for p in plenaries.past] == [past.pk]


def test_new_plenary_button_for_coordinators_only(login, coordinator, member, plenary):
    create_url = reverse("plenaries:plenary_create")
    assert_shows(login(coordinator).get(reverse("plenaries:plenary_list")), create_url)
    assert_hides(login(member).get(reverse("plenaries:plenary_list")), create_url)


def test_the_navigation_offers_plenaries_to_the_chapters_people_only(login, member, outsider):
    url = reverse("plenaries:plenary_list")
    assert url in [item.url for item in login(member).get(reverse("home")).context["nav_items"]]
    assert url not in [item.url for item in login(outsider).get(reverse("home")).context["nav_items"]]


# --- The page and one's own registration ------------------------------------------------------


def test_page_shows_date_venue_program_and_places_left(login, member, plenary, chapter):
    network = factories.LocalNetworkFactory(chapter=chapter, name="BNI Vannes Golfe")
    factories.ProgramItemFactory(
        plenary=plenary,
        starts_at=datetime.time(14, 30),
        ends_at=datetime.time(15, 0),
        kind=ProgramKind.NETWORK,
        title="Le BNI se présente",
        speakers="Morgane Le Roux",
        network=network,
    )

    response = login(member).get(plenary.get_absolute_url())

    assert_shows(response, "Palais des Arts", "Place de Bretagne", "56000", "Vannes")
    assert_shows(response, "14:30", "15:00", "Le BNI se présente", "Morgane Le Roux", "BNI Vannes Golfe")
    assert response.context["page"].places_left == 3
    assert_shows(response, reverse("plenaries:register", kwargs={"pk": plenary.pk}))
    assert_hides(response, reverse("plenaries:registrations", kwargs={"pk": plenary.pk}))


def test_member_registers_once_even_when_answering_twice(login, member, plenary):
    client = login(member)
    url = reverse("plenaries:register", kwargs={"pk": plenary.pk})

    client.post(url)
    response = client.post(url, follow=True)

    assert Registration.objects.filter(plenary=plenary, person=member).count() == 1
    assert Registration.objects.get(plenary=plenary, person=member).state == State.REGISTERED
    assert response.context["page"].mine.state == State.REGISTERED
    assert_shows(response, reverse("plenaries:cancel_mine", kwargs={"pk": plenary.pk}))


def test_a_guest_is_kept_only_when_the_plenary_takes_guests(login, member, sponsor, plenary):
    url = reverse("plenaries:register", kwargs={"pk": plenary.pk})
    response = login(member).post(url, {"plus_one": "on", "plus_one_name": "Anne"}, follow=True)
    assert not Registration.objects.filter(plenary=plenary, person=member).exists()
    assert "Cette plénière n’accepte pas d’invités." in [str(m) for m in response.context["messages"]]

    Plenary.objects.filter(pk=plenary.pk).update(plus_one_allowed=True)
    login(sponsor).post(url, {"plus_one": "on", "plus_one_name": "Anne Rouxel"})
    registration = Registration.objects.get(plenary=plenary, person=sponsor)
    assert (registration.plus_one, registration.plus_one_name) == (True, "Anne Rouxel")


def test_full_plenary_puts_the_member_on_the_waiting_list_with_a_rank(login, member, cohort, plenary):
    fill(plenary, cohort, 3)
    fill_waiting = factories.MembershipFactory(cohort=cohort).person
    services.register(plenary, fill_waiting, actor=fill_waiting)

    response = login(member).post(reverse("plenaries:register", kwargs={"pk": plenary.pk}), follow=True)

    page = response.context["page"]
    assert (page.mine.state, page.my_rank) == (State.WAITING, 2)
    assert_shows(response, "state-waiting", "waiting-rank")


def test_offered_place_shows_its_deadline_and_is_confirmed(login, member, cohort, plenary):
    first = fill(plenary, cohort, 3)[0]
    services.register(plenary, member, actor=member)
    services.cancel_registration(first, actor=first.person)
    offer = Registration.objects.get(plenary=plenary, person=member)
    assert offer.state == State.OFFERED
    client = login(member)

    response = client.get(plenary.get_absolute_url())
    assert_shows(response, "offer-deadline", reverse("plenaries:confirm_offer", kwargs={"pk": plenary.pk}))
    deadline = timezone.localtime(offer.offer_expires_at)
    assert_shows(response, f"{deadline:%H:%M}")

    client.post(reverse("plenaries:confirm_offer", kwargs={"pk": plenary.pk}))
    assert Registration.objects.get(pk=offer.pk).state == State.REGISTERED


def test_answering_again_with_a_place_offered_says_to_confirm_it_not_registered(
    login, member, cohort, plenary
):
    first = fill(plenary, cohort, 3)[0]
    services.register(plenary, member, actor=member)
    services.cancel_registration(first, actor=first.person)

    response = login(member).post(reverse("plenaries:register", kwargs={"pk": plenary.pk}), follow=True)

    assert Registration.objects.get(plenary=plenary, person=member).state == State.OFFERED
    assert [str(m) for m in response.context["messages"]] == [
        "Une place vous est proposée : confirmez-la ci-dessous avant l’échéance."
    ]


def test_a_lapsed_offer_is_a_message_not_an_error(login, member, cohort, plenary):
    first = fill(plenary, cohort, 3)[0]
    services.register(plenary, member, actor=member)
    services.cancel_registration(first, actor=first.person)
    Registration.objects.filter(plenary=plenary, person=member).update(
        offer_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    response = login(member).post(reverse("plenaries:confirm_offer", kwargs={"pk": plenary.pk}), follow=True)

    assert response.status_code == 200
    assert Registration.objects.get(plenary=plenary, person=member).state == State.EXPIRED
    assert len(list(response.context["messages"])) == 1


def test_cancelling_gives_the_place_to_the_first_waiting(login, member, cohort, plenary):
    services.register(plenary, member, actor=member)
    fill(plenary, cohort, 2)
    waiting = fill(plenary, cohort, 1)[0]

    login(member).post(reverse("plenaries:cancel_mine", kwargs={"pk": plenary.pk}))

    assert Registration.objects.get(plenary=plenary, person=member).state == State.CANCELLED
    assert Registration.objects.get(pk=waiting.pk).state == State.OFFERED
    assert PlenaryNotification.objects.filter(
        plenary=plenary, person=waiting.person, kind=PlenaryNotificationKind.OFFER
    ).exists()


def test_registration_closed_is_said_and_a_post_is_refused_with_a_message(login, member, chapter):
    closed = factories.PlenaryFactory(
        chapter=chapter, registration_closes_at=timezone.now() - datetime.timedelta(hours=1)
    )
    client = login(member)

    response = client.get(closed.get_absolute_url())
    assert response.context["page"].registration_open is False
    assert_hides(response, reverse("plenaries:register", kwargs={"pk": closed.pk}))

    response = client.post(reverse("plenaries:register", kwargs={"pk": closed.pk}), follow=True)
    assert response.status_code == 200
    assert not Registration.objects.filter(plenary=closed).exists()


def test_a_coordinator_not_invited_sees_no_register_button_and_a_post_is_a_message(
    login, coordinator, plenary
):
    response = login(coordinator).get(plenary.get_absolute_url())
    assert response.context["page"].can_register is False

    response = login(coordinator).post(reverse("plenaries:register", kwargs={"pk": plenary.pk}), follow=True)
    assert response.status_code == 200
    assert not Registration.objects.filter(plenary=plenary).exists()


def test_another_chapters_plenary_cannot_be_registered_for(login, member, other_plenary):
    response = login(member).post(reverse("plenaries:register", kwargs={"pk": other_plenary.pk}))
    assert response.status_code == 404


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


# --- The registrations page ----------------------------------------------------------------


def test_registrations_page_lists_each_state_with_ranks_and_deadlines(login, coordinator, cohort, plenary):
    registered = fill(plenary, cohort, 3)
    waiting = fill(plenary, cohort, 3)
    services.cancel_registration(registered[0], actor=registered[0].person)  # waiting[0] is offered

    response = login(coordinator).get(reverse("plenaries:registrations", kwargs={"pk": plenary.pk}))

    page = response.context["page"]
    assert {r.pk for r in page.registered} == {registered[1].pk, registered[2].pk}
    assert [r.pk for r in page.offered] == [waiting[0].pk]
    assert [(r.pk, r.rank) for r in page.waiting] == [(waiting[1].pk, 1), (waiting[2].pk, 2)]
    assert [r.pk for r in page.ended] == [registered[0].pk]
    assert_shows(response, str(waiting[1].person), str(registered[0].person))


def test_coordinator_registers_someone_found_by_company(login, coordinator, cohort, plenary):
    person = factories.MembershipFactory(cohort=cohort, company__name="Biscuiterie Pâtissière").person
    url = reverse("plenaries:registrations", kwargs={"pk": plenary.pk})
    client = login(coordinator)

    found = client.get(url, {"q": "patissiere"}).context["page"].candidates
    assert [p.pk for p in found] == [person.pk]

    client.post(reverse("plenaries:register_someone", kwargs={"pk": plenary.pk}), {"person": person.pk})
    registration = Registration.objects.get(plenary=plenary, person=person)
    assert (registration.state, registration.registered_by_id) == (State.REGISTERED, coordinator.pk)


@pytest.mark.parametrize("person", ["", "abc", "999999", "²", "1²", "99999999999999999999999"])
def test_registering_nobody_is_a_message(login, coordinator, plenary, person):
    response = login(coordinator).post(
        reverse("plenaries:register_someone", kwargs={"pk": plenary.pk}), {"person": person}, follow=True
    )
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["Choisissez une personne parmi les invités."]
    assert not Registration.objects.exists()


def test_registering_an_outsider_is_refused_without_naming_them(login, coordinator, outsider, plenary):
    response = login(coordinator).post(
        reverse("plenaries:register_someone", kwargs={"pk": plenary.pk}), {"person": outsider.pk}, follow=True
    )
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["Choisissez une personne parmi les invités."]
    assert_hides(response, outsider.last_name, outsider.email)
    assert not Registration.objects.exists()


def test_coordinator_cancels_someone(login, coordinator, member, plenary):
    registration = services.register(plenary, member, actor=member)
    login(coordinator).post(
        reverse("plenaries:cancel_someone", kwargs={"pk": plenary.pk, "registration_pk": registration.pk})
    )
    assert Registration.objects.get(pk=registration.pk).state == State.CANCELLED


def test_quota_is_set_and_removed(login, coordinator, cohort, plenary):
    client = login(coordinator)
    url = reverse("plenaries:set_quota", kwargs={"pk": plenary.pk})

    client.post(url, {"cohort": cohort.pk, "places": "2"})
    assert CohortQuota.objects.get(plenary=plenary, cohort=cohort).places == 2

    client.post(url, {"cohort": cohort.pk, "places": ""})
    assert not CohortQuota.objects.exists()


def test_a_quota_above_the_capacity_is_a_message(login, coordinator, cohort, plenary):
    response = login(coordinator).post(
        reverse("plenaries:set_quota", kwargs={"pk": plenary.pk}),
        {"cohort": cohort.pk, "places": "40000"},
        follow=True,
    )
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "3 places au plus : c’est la capacité de la plénière."
    ]
    assert not CohortQuota.objects.exists()


@pytest.mark.parametrize("data", [{"cohort": "", "places": "2"}, {"cohort": "x"}, {"places": "-1"}])
def test_bad_quota_input_is_a_message(login, coordinator, cohort, plenary, data):
    response = login(coordinator).post(
        reverse("plenaries:set_quota", kwargs={"pk": plenary.pk}), data, follow=True
    )
    assert response.status_code == 200
    assert not CohortQuota.objects.exists()


def test_another_chapters_cohort_quota_is_refused(login, coordinator, other_chapter, plenary):
    foreign = factories.CohortFactory(chapter=other_chapter)
    response = login(coordinator).post(
        reverse("plenaries:set_quota", kwargs={"pk": plenary.pk}),
        {"cohort": foreign.pk, "places": "2"},
        follow=True,
    )
    assert response.status_code == 200
    assert not CohortQuota.objects.exists()


def test_regional_plenarys_registrations_page_reaches_another_chapters_coordinator_not_a_facilitator(
    login, other_chapter_coordinator, facilitator, regional
):
    url = reverse("plenaries:registrations", kwargs={"pk": regional.pk})
    assert login(other_chapter_coordinator).get(url).status_code == 200
    assert login(facilitator).get(url).status_code == 403


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
