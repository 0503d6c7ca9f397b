"""Plenaries as calendar events (RFC 5545), written with the icalendar package.

An event keeps the plenary's UID for ever and carries its SEQUENCE, raised by every
change of date, place or state, so calendars update the event they already hold
instead of adding a second one. A cancellation is sent as METHOD:CANCEL with
STATUS:CANCELLED, which removes the event from the calendars that hold it.
"""

from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress

from plenaries.models import Plenary

PRODID = "-//Plato//Plato plenaries//FR"


def event_uid(plenary: Plenary) -> str:
    return f"{plenary.uid}@plato"


def plenary_url(plenary: Plenary) -> str:
    """The plenary's page, absolute (for e-mails and calendars)."""
    return settings.SITE_URL.rstrip("/") + reverse("plenaries:plenary_detail", kwargs={"pk": plenary.pk})


def location(plenary: Plenary) -> str:
    return ", ".join(
        part
        for part in (
            plenary.venue_name,
            plenary.venue_address,
            f"{plenary.venue_postcode} {plenary.venue_town}".strip(),
        )
        if part
    )


def plenary_event(plenary: Plenary, *, organizer: bool = False) -> Event:
    url = plenary_url(plenary)
    event = Event()
    event.add("uid", event_uid(plenary))
    event.add("sequence", plenary.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", plenary.starts_at)
    event.add("dtend", plenary.ends_at)
    event.add("summary", plenary.title)
    if where := location(plenary):
        event.add("location", where)
    lines = []
    if plenary.description:
        lines += [plenary.description.strip(), ""]
    for item in plenary.program.all():
        lines.append(
            f"{item.starts_at:%H:%M} {item.title}" + (f" — {item.speakers}" if item.speakers else "")
        )
    if plenary.is_cancelled and plenary.cancel_reason:
        lines.append(_("Cancelled: %(reason)s") % {"reason": plenary.cancel_reason})
    lines.append(url)
    event.add("description", "\n".join(lines))
    event.add("url", url)
    event.add("status", "CANCELLED" if plenary.is_cancelled else "CONFIRMED")
    if organizer:
        # Calendar clients (Outlook above all) honour a CANCEL only from the event's organizer.
        name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        sender = vCalAddress(f"mailto:{address}")
        if name:
            sender.params["cn"] = name
        event.add("organizer", sender)
    return event


def calendar_bytes(plenaries, *, method: str = "PUBLISH") -> bytes:
    """A calendar of the given plenaries; `method="CANCEL"` withdraws them."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    for plenary in plenaries:
        calendar.add_component(plenary_event(plenary, organizer=method == "CANCEL"))
    return calendar.to_ical()
