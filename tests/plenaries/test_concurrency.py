"""Cancellations and registrations arriving at once on PostgreSQL: no place given twice,
nobody on the waiting list skipped. Skipped on SQLite (one writer at a time: nothing to race)."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from plenaries import selectors, services
from plenaries.enums import PlenaryNotificationKind, RegistrationState
from plenaries.models import PlenaryNotification, Registration
from tests import factories

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"),
    pytest.mark.django_db(transaction=True),
]

State = RegistrationState
CAPACITY, WAITING, CANCELLING, NEWCOMERS = 10, 15, 8, 6


def run_at_once(actions) -> list[BaseException]:
    barrier = threading.Barrier(len(actions))
    errors: list[BaseException] = []

    def run(action) -> None:
        try:
            barrier.wait(timeout=30)
            action()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_concurrent_cancellations_and_registrations_give_each_place_once_in_queue_order(
    transactional_db, chapter
):
    plenary = factories.PlenaryFactory(chapter=chapter, capacity=CAPACITY)
    cohort = factories.CohortFactory(chapter=chapter)
    crowd = [factories.MembershipFactory(cohort=cohort).person for _ in range(CAPACITY + WAITING + NEWCOMERS)]
    seated, queue, newcomers = (
        crowd[:CAPACITY],
        crowd[CAPACITY : CAPACITY + WAITING],
        crowd[CAPACITY + WAITING :],
    )
    base = timezone.now() - datetime.timedelta(hours=1)
    for minute, person in enumerate(seated + queue):
        services.register(plenary, person, actor=person, now=base + datetime.timedelta(minutes=minute))
    leaving = [Registration.objects.get(plenary=plenary, person=person) for person in seated[:CANCELLING]]

    actions = [
        lambda r=registration: services.cancel_registration(r, actor=r.person) for registration in leaving
    ]
    actions += [lambda p=person: services.register(plenary, p, actor=p) for person in newcomers]
    actions += [lambda: services.expire_offers()] * 2
    errors = run_at_once(actions)

    assert not errors, errors
    assert selectors.usage(plenary).held == CAPACITY
    state = dict(Registration.objects.filter(plenary=plenary).values_list("person_id", "state"))
    assert [state[person.pk] for person in queue] == [State.OFFERED] * CANCELLING + [State.WAITING] * (
        WAITING - CANCELLING
    ), "a waiting person was skipped"
    assert {state[person.pk] for person in newcomers} == {State.WAITING}
    assert {state[person.pk] for person in seated[:CANCELLING]} == {State.CANCELLED}
    offers = PlenaryNotification.objects.filter(kind=PlenaryNotificationKind.OFFER)
    assert sorted(offers.values_list("person_id", flat=True)) == sorted(
        person.pk for person in queue[:CANCELLING]
    )


def test_concurrent_registrations_for_the_last_places_never_overfill(transactional_db, chapter):
    plenary = factories.PlenaryFactory(chapter=chapter, capacity=5)
    cohort = factories.CohortFactory(chapter=chapter)
    crowd = [factories.MembershipFactory(cohort=cohort).person for _ in range(20)]

    errors = run_at_once([lambda p=person: services.register(plenary, p, actor=p) for person in crowd])

    assert not errors, errors
    counts = Registration.objects.filter(plenary=plenary).values_list("state", flat=True)
    assert sorted(counts) == sorted([State.REGISTERED] * 5 + [State.WAITING] * 15)
    registered = Registration.objects.filter(plenary=plenary, state=State.REGISTERED)
    waiting = Registration.objects.filter(plenary=plenary, state=State.WAITING)
    assert max(registered.values_list("queued_at", flat=True)) <= min(
        waiting.values_list("queued_at", flat=True)
    )
