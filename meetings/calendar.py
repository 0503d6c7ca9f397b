"""Meetings as calendar events (RFC 5545), written with the icalendar package.

An event keeps the meeting's UID for ever and carries its SEQUENCE, raised by every
change of date, place or state (meetings.services.move_meeting, cancel_meeting), so
calendars update the event they already hold instead of adding a second one.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from meetings.models import Meeting

PRODID = "-//Plato//Plato meetings//FR"


def event_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@plato"


def meeting_url(meeting: Meeting) -> str:
    return settings.SITE_URL.rstrip("/") + meeting.get_absolute_url()


def meeting_event(meeting: Meeting) -> Event:
    event = Event()
    event.add("uid", event_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", _("Plato meeting — %(cohort)s") % {"cohort": meeting.cohort.name})
    location = ", ".join(
        part
        for part in (
            meeting.venue_name,
            meeting.venue_address,
            f"{meeting.venue_postcode} {meeting.venue_town}".strip(),
        )
        if part
    )
    if location:
        event.add("location", location)
    lines = []
    if meeting.urgent_reason:
        lines.append(_("Urgent topic: %(reason)s") % {"reason": meeting.urgent_reason})
    lines += [item.topic.title for item in meeting.agenda_items.all()]
    lines.append(meeting_url(meeting))
    event.add("description", "\n".join(lines))
    event.add("url", meeting_url(meeting))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    return event


def calendar_bytes(meetings, *, name: str = "", method: str = "PUBLISH") -> bytes:
    """A calendar of the given meetings (one for an invitation, many for a feed)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting))
    return calendar.to_ical()
