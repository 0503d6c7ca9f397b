"""Who may register, places, the waiting list, offers and their deadline, quotas, the door."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from groups.enums import CohortState, MembershipState, StaffRole
from plenaries import selectors, services
from plenaries.enums import Attendee, PlenaryNotificationKind, PlenaryScope, PlenaryState, RegistrationState
from plenaries.models import PlenaryNotification, Registration
from tests import factories

pytestmark = pytest.mark.plenary(capacity=3)

State = RegistrationState


def people(cohort, count):
    return [factories.MembershipFactory(cohort=cohort).person for _ in range(count)]


def register(plenary, person, **kwargs):
    return services.register(plenary, person, actor=kwargs.pop("actor", person), **kwargs)


def states(plenary):
    return {
        registration.person.last_name + str(registration.person.pk): registration.state
        for registration in Registration.objects.filter(plenary=plenary).select_related("person")
    }


def state_of(plenary, person):
    return Registration.objects.get(plenary=plenary, person=person).state


# --- Who may register -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "attendee"),
    [
        ("member", Attendee.MEMBER),
        ("sponsor", Attendee.SPONSOR),
        ("facilitator", Attendee.FACILITATOR),
        ("alumni", Attendee.ALUMNI),
    ],
)
def test_the_chapters_people_may_register_for_its_departmental_plenary(plenary, users, role, attendee):
    registration = register(plenary, users[role])

    assert (registration.state, registration.attendee) == (State.REGISTERED, attendee)


@pytest.mark.parametrize("role", ["coordinator", "outsider", "other_chapter_coordinator", "admin"])
def test_people_who_are_not_invited_are_refused_with_their_name(plenary, users, role):
    person = users[role]

    with pytest.raises(ValidationError, match=r"n’est pas parmi les personnes invitées|is not among"):
        register(plenary, person)

    assert not Registration.objects.exists()


def test_a_member_of_another_chapter_is_refused_at_a_departmental_plenary_but_welcome_at_the_regional_one(
    plenary, regional, other_chapter
):
    person = people(factories.CohortFactory(chapter=other_chapter), 1)[0]

    with pytest.raises(ValidationError):
        register(plenary, person)
    assert register(regional, person).state == State.REGISTERED


def test_a_chapter_of_another_region_is_not_invited_to_the_regional_plenary(regional):
    normandie = factories.ChapterFactory(region=factories.RegionFactory(code="28"), department="14")
    person = people(factories.CohortFactory(chapter=normandie), 1)[0]

    with pytest.raises(ValidationError):
        register(regional, person)


def test_withdrawn_members_forming_cohorts_and_former_sponsors_are_not_invited(plenary, chapter, cohort):
    withdrawn = factories.MembershipFactory(cohort=cohort, state=MembershipState.WITHDRAWN).person
    forming = people(factories.CohortFactory(chapter=chapter, state=CohortState.FORMING), 1)[0]
    former_sponsor = factories.SponsorshipFactory(cohort=cohort, ended_on=datetime.date(2026, 1, 31)).person

    for person in (withdrawn, forming, former_sponsor):
        with pytest.raises(ValidationError):
            register(plenary, person)


def test_the_invitees_are_everyone_who_may_register_each_once(plenary, chapter, cohort, users, other_chapter):
    factories.ChapterRoleFactory(
        chapter=chapter, user=users["member"], role=StaffRole.FACILITATOR
    )  # two roles
    people(factories.CohortFactory(chapter=other_chapter), 2)  # not concerned

    invited = selectors.invitees(plenary)

    expected = {users[role].pk for role in ("member", "sponsor", "facilitator", "alumni")}
    assert {person.pk for person in invited} == expected
    assert len(invited) == len(expected)
    assert all(selectors.eligibility(plenary, person) for person in invited)


# --- Registering ------------------------------------------------------------------------------


def test_registering_twice_is_harmless(plenary, member):
    first = register(plenary, member)
    second = register(plenary, member)

    assert first.pk == second.pk
    assert Registration.objects.count() == 1


def test_registration_before_it_opens_or_after_the_deadline_is_refused_with_the_date(plenary, member):
    plenary.registration_opens_at = timezone.now() + datetime.timedelta(days=2)
    plenary.save()
    with pytest.raises(ValidationError, match=r"ouvrent le|opens on"):
        register(plenary, member)

    later = plenary.registration_closes_at + datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError, match=r"closes le|closed on|ont fermé|fermées le"):
        register(plenary, member, now=later)
    assert not Registration.objects.exists()


def test_a_coordinator_registers_someone_after_the_deadline_but_not_for_another_chapter(
    plenary, member, coordinator, other_chapter_coordinator
):
    later = plenary.registration_closes_at + datetime.timedelta(hours=1)

    with pytest.raises(ValidationError):
        services.register(plenary, member, actor=other_chapter_coordinator, now=later)
    registration = services.register(plenary, member, actor=coordinator, now=later)

    assert (registration.state, registration.registered_by) == (State.REGISTERED, coordinator)


def test_at_a_regional_plenary_another_chapter_registers_its_own_people_and_the_organiser_everyone(
    regional, coordinator, other_chapter, other_chapter_coordinator, member
):
    their_own = factories.MembershipFactory(cohort=factories.CohortFactory(chapter=other_chapter)).person

    with pytest.raises(ValidationError):
        services.register(regional, member, actor=other_chapter_coordinator)  # Plato 56's
    theirs = services.register(regional, their_own, actor=other_chapter_coordinator)
    ours = services.register(regional, member, actor=coordinator)

    assert (theirs.state, theirs.chapter_id) == (State.REGISTERED, other_chapter.pk)
    assert (ours.state, ours.chapter_id) == (State.REGISTERED, member.memberships.get().cohort.chapter_id)


def test_nobody_registers_for_a_cancelled_or_started_plenary(plenary, member, coordinator):
    with pytest.raises(ValidationError):
        register(plenary, member, now=plenary.starts_at)
    plenary.state = PlenaryState.CANCELLED
    plenary.save()
    with pytest.raises(ValidationError):
        services.register(plenary, member, actor=coordinator)


def test_a_guest_only_when_the_plenary_takes_guests_and_it_takes_a_place(plenary, cohort):
    first, second = people(cohort, 2)
    with pytest.raises(ValidationError):
        register(plenary, first, plus_one=True, plus_one_name="Léa")

    plenary.plus_one_allowed = True
    plenary.save()
    register(plenary, first, plus_one=True, plus_one_name=" Léa Rouxel ")

    assert selectors.usage(plenary).held == 2
    assert Registration.objects.get(person=first).plus_one_name == "Léa Rouxel"
    assert register(plenary, second).state == State.REGISTERED  # the third place
    assert selectors.usage(plenary).free == 0


# --- Capacity and the waiting list ----------------------------------------------------------


def test_when_full_people_join_the_waiting_list_in_order(plenary, cohort):
    crowd = people(cohort, 5)
    base = timezone.now()

    for minutes, person in enumerate(crowd):
        register(plenary, person, now=base + datetime.timedelta(minutes=minutes))

    assert [state_of(plenary, person) for person in crowd] == [State.REGISTERED] * 3 + [State.WAITING] * 2
    assert selectors.usage(plenary).held == 3


def test_a_cancellation_offers_the_place_to_the_first_waiting_person_and_tells_them(
    plenary, cohort, django_capture_on_commit_callbacks
):
    crowd = people(cohort, 5)
    for person in crowd:
        register(plenary, person)

    with django_capture_on_commit_callbacks() as callbacks:
        services.cancel_registration(Registration.objects.get(person=crowd[1]), actor=crowd[1])

    offered = Registration.objects.get(person=crowd[3])
    assert offered.state == State.OFFERED
    assert offered.offer_expires_at == offered.offered_at + datetime.timedelta(
        hours=plenary.confirmation_hours
    )
    assert state_of(plenary, crowd[4]) == State.WAITING
    assert selectors.usage(plenary).held == 3  # the offered place is held for them
    assert list(PlenaryNotification.objects.values_list("kind", "person", "revision")) == [
        (PlenaryNotificationKind.OFFER, crowd[3].pk, 1)
    ]
    assert len(callbacks) == 1  # the e-mail goes after the commit


def test_a_confirmed_offer_is_a_place_and_confirming_twice_is_harmless(plenary, cohort):
    crowd = people(cohort, 4)
    for person in crowd:
        register(plenary, person)
    services.cancel_registration(Registration.objects.get(person=crowd[0]), actor=crowd[0])
    offered = Registration.objects.get(person=crowd[3])

    services.confirm_offer(offered, actor=crowd[3])
    services.confirm_offer(offered, actor=crowd[3])

    assert state_of(plenary, crowd[3]) == State.REGISTERED
    assert selectors.usage(plenary).held == 3


def test_an_offer_not_confirmed_in_time_passes_to_the_next_person(plenary, cohort):
    crowd = people(cohort, 5)
    for person in crowd:
        register(plenary, person)
    services.cancel_registration(Registration.objects.get(person=crowd[0]), actor=crowd[0])
    deadline = Registration.objects.get(person=crowd[3]).offer_expires_at

    assert services.expire_offers(deadline - datetime.timedelta(seconds=1)) == 0
    assert services.expire_offers(deadline) == 1

    assert state_of(plenary, crowd[3]) == State.EXPIRED
    assert state_of(plenary, crowd[4]) == State.OFFERED
    with pytest.raises(ValidationError, match=r"pas été confirmée à temps|not confirmed in time"):
        services.confirm_offer(Registration.objects.get(person=crowd[3]), actor=crowd[3])
    assert selectors.usage(plenary).held == 3


def test_a_lapsed_offer_cannot_be_confirmed_even_before_the_beat_runs(plenary, cohort):
    crowd = people(cohort, 4)
    for person in crowd:
        register(plenary, person)
    services.cancel_registration(Registration.objects.get(person=crowd[0]), actor=crowd[0])
    offered = Registration.objects.get(person=crowd[3])

    with pytest.raises(ValidationError):
        services.confirm_offer(
            offered, actor=crowd[3], now=offered.offer_expires_at + datetime.timedelta(minutes=1)
        )

    assert state_of(plenary, crowd[3]) == State.EXPIRED


def test_the_offer_deadline_never_passes_the_start_of_the_plenary(plenary, cohort):
    crowd = people(cohort, 4)
    for person in crowd:
        register(plenary, person)
    two_hours_before = plenary.starts_at - datetime.timedelta(hours=2)

    services.cancel_registration(
        Registration.objects.get(person=crowd[0]), actor=crowd[0], now=two_hours_before
    )

    assert Registration.objects.get(person=crowd[3]).offer_expires_at == plenary.starts_at


def test_a_person_whose_offer_lapsed_registers_again_at_the_end_of_the_queue(plenary, cohort):
    crowd = people(cohort, 5)
    for person in crowd:
        register(plenary, person)
    services.cancel_registration(Registration.objects.get(person=crowd[0]), actor=crowd[0])
    services.expire_offers(Registration.objects.get(person=crowd[3]).offer_expires_at)

    again = register(plenary, crowd[3])

    assert again.state == State.WAITING
    assert again.queued_at > Registration.objects.get(person=crowd[4]).queued_at


def test_a_waiting_person_with_a_guest_keeps_their_rank_while_one_place_goes_to_the_next(plenary, cohort):
    plenary.plus_one_allowed = True
    plenary.save()
    crowd = people(cohort, 5)
    for person in crowd[:3]:
        register(plenary, person)
    register(plenary, crowd[3], plus_one=True, plus_one_name="Invité")
    register(plenary, crowd[4])

    services.cancel_registration(Registration.objects.get(person=crowd[0]), actor=crowd[0])
    assert (state_of(plenary, crowd[3]), state_of(plenary, crowd[4])) == (State.WAITING, State.OFFERED)

    services.cancel_registration(Registration.objects.get(person=crowd[1]), actor=crowd[1])
    services.cancel_registration(Registration.objects.get(person=crowd[2]), actor=crowd[2])
    assert state_of(plenary, crowd[3]) == State.OFFERED  # now two places are free for them


def test_more_places_go_to_the_waiting_list_and_fewer_unseat_nobody(plenary, cohort, coordinator):
    crowd = people(cohort, 6)
    for person in crowd:
        register(plenary, person)

    services.set_capacity(plenary, 5, actor=coordinator)
    assert [state_of(plenary, person) for person in crowd][3:] == [
        State.OFFERED,
        State.OFFERED,
        State.WAITING,
    ]

    services.set_capacity(plenary, 2, actor=coordinator)
    assert selectors.usage(plenary).held == 5
    with pytest.raises(ValidationError):
        services.set_capacity(plenary, 0, actor=coordinator)


def test_cancelling_twice_is_harmless_and_a_checked_in_person_cannot_cancel(plenary, cohort, coordinator):
    first, second = people(cohort, 2)
    registration = register(plenary, first)
    services.cancel_registration(registration, actor=first)
    services.cancel_registration(registration, actor=first)
    assert state_of(plenary, first) == State.CANCELLED

    other = register(plenary, second)
    services.check_in(other, actor=coordinator)
    with pytest.raises(ValidationError):
        services.cancel_registration(other, actor=second)
    assert state_of(plenary, second) == State.REGISTERED


# --- Quotas -----------------------------------------------------------------------------------


def test_a_cohort_quota_sends_its_extra_people_to_the_waiting_list_and_others_still_get_places(
    plenary, chapter, cohort, coordinator
):
    plenary.capacity = 10
    plenary.save()
    services.set_quota(plenary, cohort, 2, actor=coordinator)
    other_cohort = factories.CohortFactory(chapter=chapter)
    ours, theirs = people(cohort, 3), people(other_cohort, 3)

    for person in ours + theirs:
        register(plenary, person)

    assert [state_of(plenary, person) for person in ours] == [
        State.REGISTERED,
        State.REGISTERED,
        State.WAITING,
    ]
    assert {state_of(plenary, person) for person in theirs} == {State.REGISTERED}

    services.set_quota(plenary, cohort, None, actor=coordinator)  # the limit lifted
    assert state_of(plenary, ours[2]) == State.OFFERED


def test_a_quota_is_for_a_cohort_invited_and_of_at_least_one_place(
    plenary, other_chapter, cohort, coordinator
):
    with pytest.raises(ValidationError):
        services.set_quota(plenary, factories.CohortFactory(chapter=other_chapter), 3, actor=coordinator)
    with pytest.raises(ValidationError):
        services.set_quota(plenary, cohort, 0, actor=coordinator)


# --- At the door ------------------------------------------------------------------------------


def test_a_check_in_is_recorded_once_and_can_be_undone(plenary, member, coordinator):
    registration = register(plenary, member)

    assert services.check_in(registration, actor=coordinator) is True
    assert services.check_in(Registration.objects.get(pk=registration.pk), actor=coordinator) is False
    stored = Registration.objects.get(pk=registration.pk)
    assert (stored.checked_in_by, stored.checked_in_at is not None) == (coordinator, True)

    assert services.undo_check_in(stored, actor=coordinator) is True
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


def test_only_registered_people_are_checked_in(plenary, cohort, coordinator):
    crowd = people(cohort, 4)
    for person in crowd:
        register(plenary, person)

    with pytest.raises(ValidationError):
        services.check_in(Registration.objects.get(person=crowd[3]), actor=coordinator)
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


# --- Changing a plenary -----------------------------------------------------------------------


def _edit(plenary, **fields):
    """What the edit page hands the service: a copy read when the page opened, changed."""
    for name, value in fields.items():
        setattr(plenary, name, value)
    return plenary


def test_a_page_opened_before_the_cancellation_cannot_change_or_revive_the_plenary(plenary, coordinator):
    opened_earlier = services.Plenary.objects.get(pk=plenary.pk)
    services.cancel_plenary(plenary, reason="Salle indisponible", actor=coordinator)

    with pytest.raises(ValidationError, match="annulée"):
        services.change_plenary(_edit(opened_earlier, title="Nouveau titre"), actor=coordinator, capacity=3)

    plenary.refresh_from_db()
    assert (plenary.state, plenary.cancel_reason) == (PlenaryState.CANCELLED, "Salle indisponible")
    assert plenary.title != "Nouveau titre"


def test_an_edit_writes_only_its_fields_and_keeps_the_sequence_raised_meanwhile(plenary, coordinator):
    opened_earlier = services.Plenary.objects.get(pk=plenary.pk)
    moved = services.Plenary.objects.get(pk=plenary.pk)
    services.change_plenary(
        _edit(moved, venue_name="Espace Montcalm"), actor=coordinator, capacity=plenary.capacity
    )

    services.change_plenary(
        _edit(opened_earlier, title="Plénière de printemps"), actor=coordinator, capacity=plenary.capacity
    )

    plenary.refresh_from_db()
    # The second page still held the old venue: it is a calendar field, so it moves the event again.
    assert plenary.title == "Plénière de printemps"
    assert plenary.sequence == 2


def test_an_earlier_start_brings_the_offers_deadline_forward_and_a_started_plenary_takes_no_confirmation(
    plenary, cohort, coordinator
):
    crowd = people(cohort, 4)
    for person in crowd:
        register(plenary, person)
    services.cancel_registration(Registration.objects.get(person=crowd[0]), actor=crowd[0])
    offered = Registration.objects.get(person=crowd[3])
    assert offered.state == State.OFFERED
    new_start = offered.offer_expires_at - datetime.timedelta(hours=6)

    services.change_plenary(
        _edit(
            services.Plenary.objects.get(pk=plenary.pk),
            starts_at=new_start,
            ends_at=new_start + datetime.timedelta(hours=4),
            registration_closes_at=new_start - datetime.timedelta(days=1),
        ),
        actor=coordinator,
        capacity=plenary.capacity,
        now=new_start - datetime.timedelta(hours=30),
    )

    offered.refresh_from_db()
    assert offered.offer_expires_at == new_start
    with pytest.raises(ValidationError, match="commencé"):
        services.confirm_offer(offered, actor=crowd[3], now=new_start + datetime.timedelta(minutes=5))
    assert state_of(plenary, crowd[3]) != State.REGISTERED


def test_a_plenary_with_answers_stays_for_its_chapter(plenary, member, coordinator, region):
    register(plenary, member)
    chapter_id = plenary.chapter_id

    with pytest.raises(ValidationError, match="répondu"):
        services.change_plenary(
            _edit(
                services.Plenary.objects.get(pk=plenary.pk),
                scope=PlenaryScope.REGIONAL,
                chapter=None,
                region=region,
            ),
            actor=coordinator,
            capacity=plenary.capacity,
        )

    plenary.refresh_from_db()
    assert (plenary.scope, plenary.chapter_id) == (PlenaryScope.DEPARTMENTAL, chapter_id)


def test_a_guest_that_can_never_fit_is_refused_instead_of_waiting_for_ever(plenary, cohort, coordinator):
    plenary.plus_one_allowed = True
    plenary.capacity = 10
    plenary.save()
    services.set_quota(plenary, cohort, 1, actor=coordinator)
    person, other = people(cohort, 2)

    with pytest.raises(ValidationError, match="une seule place"):
        register(plenary, person, plus_one=True, plus_one_name="Léa")
    with pytest.raises(ValidationError, match="une seule place"):
        services.register(plenary, other, actor=coordinator, plus_one=True)
    assert not Registration.objects.exists()
    assert register(plenary, person).state == State.REGISTERED  # alone, they come

    services.set_quota(plenary, cohort, None, actor=coordinator)
    plenary.capacity = 1
    plenary.save()
    with pytest.raises(ValidationError, match="une seule place"):
        register(plenary, other, plus_one=True, plus_one_name="Léa")


def test_a_waiting_person_no_longer_invited_is_passed_over_and_the_next_gets_the_place(plenary, cohort):
    crowd = people(cohort, 5)
    for person in crowd:
        register(plenary, person)
    crowd[3].memberships.update(state=MembershipState.WITHDRAWN)  # left the programme while waiting

    services.cancel_registration(Registration.objects.get(person=crowd[0]), actor=crowd[0])

    assert (state_of(plenary, crowd[3]), state_of(plenary, crowd[4])) == (State.CANCELLED, State.OFFERED)
    assert not PlenaryNotification.objects.filter(person=crowd[3]).exists()
