"""Meetings as calendar events (plato.ical): the meeting's UID and SEQUENCE (raised by
meetings.services.move_meeting, cancel_meeting), its place, agenda and page."""

from django.utils.translation import gettext as _

from meetings.models import Meeting
from plato import ical

PRODID = "-//Plato//Plato meetings//FR"


def event_uid(meeting: Meeting) -> str:
    return ical.event_uid(meeting.uid)


def meeting_url(meeting: Meeting) -> str:
    return ical.absolute_url(meeting.get_absolute_url())


def occasion(meeting: Meeting) -> ical.Occasion:
    lines = []
    if meeting.urgent_reason:
        lines.append(_("Urgent topic: %(reason)s") % {"reason": meeting.urgent_reason})
    lines += [item.topic.title for item in meeting.agenda_items.all()]
    return ical.Occasion(
        uid=meeting.uid,
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=_("Plato meeting — %(cohort)s") % {"cohort": meeting.cohort.name},
        location=ical.place(
            meeting.venue_name, meeting.venue_address, meeting.venue_postcode, meeting.venue_town
        ),
        description=lines,
        url=meeting_url(meeting),
        cancelled=meeting.is_cancelled,
    )


def calendar_bytes(meetings, *, name: str = "", method: str = "PUBLISH") -> bytes:
    """A calendar of the given meetings (one for an invitation, many for a feed)."""
    return ical.calendar_bytes(map(occasion, meetings), prodid=PRODID, method=method, name=name)
