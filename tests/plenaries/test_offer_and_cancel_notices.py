"""The plenaries' e-mails about a place offered from the waiting list and about a plenary
cancelled: each once, only to the people concerned, the cancellation with a CANCEL event.

Tasks run inline here (tests/conftest.py); the helpers are the reminders' (test_notifications.py),
the fixtures in conftest.py.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from plenaries import notifications, services
from plenaries.enums import Attendee
from plenaries.models import PlenaryNotification, Registration
from tests.plenaries.conftest import DAY, HOUR, plenary_in, registration
from tests.plenaries.test_notifications import Kind, State, ics_event, recipients

# --- A place offered from the waiting list ----------------------------------------------------


def test_a_cancellation_offers_the_place_to_the_first_waiting_and_tells_them_once(
    full, people, mailoutbox, django_capture_on_commit_callbacks
):
    member_registration = Registration.objects.get(plenary=full, person=people["member"])
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(member_registration, actor=people["member"])
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(member_registration, actor=people["member"])  # twice: nothing more

    offered = Registration.objects.get(plenary=full, person=people["sponsor"])
    assert offered.state == State.OFFERED
    (message,) = mailoutbox
    assert message.to == [people["sponsor"].email]
    start = timezone.localtime(full.starts_at)
    expires = timezone.localtime(offered.offer_expires_at)
    french_months = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ]
    assert f"{start.day} {french_months[start.month - 1]}" in message.subject
    # Until when, in local time and French format: "jeudi 12 mars", "14:30".
    assert f"{expires.day} {french_months[expires.month - 1]}" in message.body
    assert f"{expires:%H:%M}" in message.body
    assert re.search(r"\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d", message.body)
    page = "http://127.0.0.1:8000" + reverse("plenaries:plenary_detail", kwargs={"pk": full.pk})
    assert page in message.body and f'href="{page}"' in message.alternatives[0][0]
    _calendar, event = ics_event(message)
    assert event.uid.value == f"{full.uid}@plato"
    notice = PlenaryNotification.objects.get(kind=Kind.OFFER)
    assert (notice.person, notice.revision) == (people["sponsor"], 1)


def test_an_offer_confirmed_declined_or_lapsed_before_its_email_is_not_sent(
    full, people, mailoutbox, django_capture_on_commit_callbacks
):
    member_registration = Registration.objects.get(plenary=full, person=people["member"])
    with django_capture_on_commit_callbacks(execute=False):  # the offer's e-mail still queued
        services.cancel_registration(member_registration, actor=people["member"])
    offered = Registration.objects.get(plenary=full, person=people["sponsor"])
    first_offer = PlenaryNotification.objects.get(kind=Kind.OFFER, person=people["sponsor"])

    # The offer lapses: the place passes to the alumni, whose e-mail does go.
    with django_capture_on_commit_callbacks(execute=True):
        services.expire_offers(now=offered.offer_expires_at + HOUR)
    assert notifications.send_notification(first_offer.pk) is False

    assert recipients(mailoutbox) == [people["alumni"].email]
    assert not PlenaryNotification.objects.filter(pk=first_offer.pk).exists()


def test_an_offer_already_confirmed_is_not_sent(full, people, mailoutbox, django_capture_on_commit_callbacks):
    member_registration = Registration.objects.get(plenary=full, person=people["member"])
    with django_capture_on_commit_callbacks(execute=False):
        services.cancel_registration(member_registration, actor=people["member"])
    offered = Registration.objects.get(plenary=full, person=people["sponsor"])
    services.confirm_offer(offered, actor=people["sponsor"])  # from the page, before the e-mail left

    notice = PlenaryNotification.objects.get(kind=Kind.OFFER)
    assert notifications.send_notification(notice.pk) is False
    assert mailoutbox == []


def test_a_person_offered_a_place_twice_is_told_twice(
    full, people, mailoutbox, django_capture_on_commit_callbacks
):
    member_registration = Registration.objects.get(plenary=full, person=people["member"])
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(member_registration, actor=people["member"])
    offered = Registration.objects.get(plenary=full, person=people["sponsor"])
    with django_capture_on_commit_callbacks(execute=True):  # lapses: the alumni is offered it
        services.expire_offers(now=offered.offer_expires_at + HOUR)
    with django_capture_on_commit_callbacks(execute=True):  # the sponsor queues again
        services.register(full, people["sponsor"], actor=people["sponsor"])
    alumni_registration = Registration.objects.get(plenary=full, person=people["alumni"])
    with django_capture_on_commit_callbacks(execute=True):  # the alumni declines
        services.cancel_registration(alumni_registration, actor=people["alumni"])

    assert [m.to[0] for m in mailoutbox] == [
        people["sponsor"].email,
        people["alumni"].email,
        people["sponsor"].email,
    ]
    assert sorted(
        PlenaryNotification.objects.filter(person=people["sponsor"]).values_list("revision", flat=True)
    ) == [1, 2]


# --- Cancelled plenary ------------------------------------------------------------------------


def test_cancelling_tells_registered_offered_and_waiting_people_once_with_a_cancel_event(
    people, strangers, chapter, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    plenary = plenary_in(chapter, starts_in=30 * DAY)
    registration(plenary, people["member"], State.REGISTERED)
    registration(plenary, people["sponsor"], State.OFFERED, attendee=Attendee.SPONSOR)
    registration(plenary, people["alumni"], State.WAITING, attendee=Attendee.ALUMNI)
    registration(plenary, people["facilitator"], State.CANCELLED, attendee=Attendee.FACILITATOR)

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_plenary(plenary, reason="Salle inondée", actor=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_plenary(plenary, reason="Salle inondée", actor=coordinator)

    assert recipients(mailoutbox) == sorted(
        p.email for p in (people["member"], people["sponsor"], people["alumni"])
    )
    message = mailoutbox[0]
    assert "Salle inondée" in message.body and "Salle inondée" in message.alternatives[0][0]
    calendar, event = ics_event(message)
    assert calendar.method.value == "CANCEL"
    assert (event.status.value, int(event.sequence.value)) == ("CANCELLED", 1)
    assert event.uid.value == f"{plenary.uid}@plato"
    assert event.organizer.value == "mailto:noreply@plato.test"
    assert "method=CANCEL" in message.attachments[0][2]


def test_notify_cancelled_writes_one_row_per_person_concerned(
    people, chapter, mailoutbox, django_capture_on_commit_callbacks
):
    plenary = plenary_in(chapter, starts_in=30 * DAY)
    registration(plenary, people["member"], State.REGISTERED)
    registration(plenary, people["alumni"], State.EXPIRED, attendee=Attendee.ALUMNI)
    plenary.state, plenary.sequence, plenary.cancel_reason = "cancelled", 1, "Grève"
    plenary.save()

    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify_cancelled(plenary)
        notifications.notify_cancelled(plenary)

    assert [m.to for m in mailoutbox] == [[people["member"].email]]
    assert PlenaryNotification.objects.get().revision == 1


def test_a_cancelled_plenary_drops_its_pending_reminders(
    people, chapter, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    plenary = plenary_in(chapter, starts_in=6 * DAY, closes_in=-DAY)
    registration(plenary, people["member"], State.REGISTERED)
    with django_capture_on_commit_callbacks(execute=False):
        notifications.plan_reminders()
    week = PlenaryNotification.objects.get(kind=Kind.WEEK)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_plenary(plenary, reason="Salle indisponible", actor=coordinator)

    assert notifications.send_notification(week.pk) is False
    assert [m.to for m in mailoutbox] == [[people["member"].email]]
    assert calendar_method(mailoutbox[0]) == "CANCEL"


def calendar_method(message) -> str:
    calendar, _event = ics_event(message)
    return calendar.method.value


def test_a_place_offered_on_a_cancelled_plenary_cannot_be_confirmed(full, people, coordinator):
    from django.core.exceptions import ValidationError

    member_registration = Registration.objects.get(plenary=full, person=people["member"])
    services.cancel_registration(member_registration, actor=people["member"])
    services.cancel_plenary(full, reason="Salle indisponible", actor=coordinator)
    offered = Registration.objects.get(plenary=full, person=people["sponsor"])

    with pytest.raises(ValidationError):
        services.confirm_offer(offered, actor=people["sponsor"])
    offered.refresh_from_db()
    assert offered.state == State.OFFERED
