"""The .ics the app writes (with icalendar) read back by another library (vobject); a change
keeps the event's UID and raises its SEQUENCE."""

import datetime

import pytest
import vobject
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import services
from meetings.calendar import calendar_bytes, event_uid
from tests import factories


def parsed_event(meeting):
    calendar = vobject.readOne(calendar_bytes([meeting]).decode())
    (event,) = calendar.vevent_list
    return event


def test_an_event_is_read_back_by_another_library(meeting):
    event = parsed_event(meeting)

    assert event.uid.value == event_uid(meeting)
    assert event.dtstart.value == meeting.starts_at
    assert event.dtend.value == meeting.ends_at
    assert "CCI du Morbihan" in event.location.value and "56100 Lorient" in event.location.value
    assert event.url.value.endswith(meeting.get_absolute_url())
    assert "Golfe du Morbihan" in event.summary.value
    assert event.status.value == "CONFIRMED"
    assert int(event.sequence.value) == 0


def test_moving_a_meeting_keeps_its_uid_and_raises_its_sequence(meeting, facilitator):
    before = parsed_event(meeting)

    moved = services.move_meeting(
        meeting,
        starts_at=meeting.starts_at + datetime.timedelta(days=7),
        ends_at=meeting.ends_at + datetime.timedelta(days=7),
        venue_kind="member",
        venue_name="Atelier Nautique du Golfe",
        venue_address="Port du Logeo",
        venue_postcode="56860",
        venue_town="Séné",
        actor=facilitator,
    )
    after = parsed_event(moved)

    assert after.uid.value == before.uid.value
    assert int(after.sequence.value) > int(before.sequence.value)
    assert after.dtstart.value == meeting.starts_at + datetime.timedelta(days=7)
    assert "Séné" in after.location.value
    assert moved.vote_closes_at <= moved.starts_at


def test_cancelling_keeps_the_uid_marks_the_event_cancelled_and_frees_the_agenda(
    meeting, member, facilitator
):
    topic = factories.TopicFactory(cohort=meeting.cohort, proposed_by=member, state="scheduled")
    meeting.agenda_items.create(topic=topic)

    cancelled = services.cancel_meeting(meeting, reason="Salle indisponible", actor=facilitator)
    event = parsed_event(cancelled)

    assert event.uid.value == event_uid(meeting)
    assert int(event.sequence.value) == 1
    assert event.status.value == "CANCELLED"
    topic.refresh_from_db()
    assert topic.state == "open"


def test_only_the_facilitator_moves_or_cancels(meeting, member):
    with pytest.raises(ValidationError):
        services.cancel_meeting(meeting, reason="x", actor=member)
    meeting.refresh_from_db()
    assert meeting.sequence == 0


def test_the_meeting_page_offers_the_ics(meeting, member, login):
    response = login(member).get(reverse("meetings:meeting_ics", kwargs={"pk": meeting.pk}))

    assert response["Content-Type"].startswith("text/calendar")
    assert vobject.readOne(response.content.decode()).vevent.uid.value == event_uid(meeting)
