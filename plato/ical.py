"""Calendar events (RFC 5545) for every app, written with the icalendar package.

An app describes its object as an `Occasion` (meetings/calendar.py, plenaries/calendar.py);
the event it becomes keeps the object's UID for ever and carries its SEQUENCE, raised by
every change of date, place or state, so calendars update the event they already hold
instead of adding a second one. A cancellation is STATUS:CANCELLED; sent as METHOD:CANCEL
it carries the ORGANIZER, without which calendar clients (Outlook above all) ignore it.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone

from plato.emails import Attachment


@dataclass(frozen=True)
class Occasion:
    uid: str  # the object's own UID; the event's is `<uid>@plato`
    sequence: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    summary: str
    location: str
    description: list[str]
    url: str
    cancelled: bool


def absolute_url(path: str) -> str:
    """A path of the site as a link that works from an e-mail or a calendar."""
    return settings.SITE_URL.rstrip("/") + path


def place(name: str, address: str, postcode: str, town: str) -> str:
    """A venue on one line: « Salle Ker Anna, 3 rue du Port, 56100 Lorient »."""
    return ", ".join(part for part in (name, address, f"{postcode} {town}".strip()) if part)


def event_uid(uid) -> str:
    return f"{uid}@plato"


def event(occasion: Occasion, *, organizer: bool = False):
    from icalendar import Event, vCalAddress  # loaded where calendars are written, not at start

    component = Event()
    component.add("uid", event_uid(occasion.uid))
    component.add("sequence", occasion.sequence)
    component.add("dtstamp", timezone.now())
    component.add("dtstart", occasion.starts_at)
    component.add("dtend", occasion.ends_at)
    component.add("summary", occasion.summary)
    if occasion.location:
        component.add("location", occasion.location)
    component.add("description", "\n".join([*occasion.description, occasion.url]))
    component.add("url", occasion.url)
    component.add("status", "CANCELLED" if occasion.cancelled else "CONFIRMED")
    if organizer:
        name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        sender = vCalAddress(f"mailto:{address}")
        if name:
            sender.params["cn"] = name
        component.add("organizer", sender)
    return component


def calendar_bytes(
    occasions: Iterable[Occasion], *, prodid: str, method: str = "PUBLISH", name: str = ""
) -> bytes:
    """A calendar of the given occasions (one for an invitation, many for a feed);
    `method="CANCEL"` withdraws them."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for occasion in occasions:
        calendar.add_component(event(occasion, organizer=method == "CANCEL"))
    return calendar.to_ical()


def attachment(
    prefix: str, starts_at: datetime.datetime, content: bytes, *, method: str = "PUBLISH"
) -> Attachment:
    """A calendar as an e-mail's attachment, named after its day: `plato-2027-01-12.ics`."""
    day = timezone.localtime(starts_at)
    return Attachment(
        f"{prefix}-{day:%Y-%m-%d}.ics", content, f"text/calendar; charset=utf-8; method={method}"
    )
