"""The plenary pages: list, page and one's own registration, the managers' registrations
page. Assertions on data (names, numbers, states, URLs). Planning and the program are in
test_planning_views.py."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from plenaries import services
from plenaries.enums import (
    PlenaryNotificationKind,
    ProgramKind,
    RegistrationState,
)
from plenaries.models import CohortQuota, Plenary, PlenaryNotification, Registration
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
