"""Plenaries as calendar events (plato.ical): the plenary's UID and SEQUENCE (raised by
every change of date, place or state), its program and page. A cancellation is sent as
METHOD:CANCEL, which removes the event from the calendars that hold it."""

from django.urls import reverse
from django.utils.translation import gettext as _

from plato import ical
from plenaries.models import Plenary

PRODID = "-//Plato//Plato plenaries//FR"


def event_uid(plenary: Plenary) -> str:
    return ical.event_uid(plenary.uid)


def plenary_url(plenary: Plenary) -> str:
    """The plenary's page, absolute (for e-mails and calendars)."""
    return ical.absolute_url(reverse("plenaries:plenary_detail", kwargs={"pk": plenary.pk}))


def location(plenary: Plenary) -> str:
    return ical.place(plenary.venue_name, plenary.venue_address, plenary.venue_postcode, plenary.venue_town)


def occasion(plenary: Plenary) -> ical.Occasion:
    lines = []
    if plenary.description:
        lines += [plenary.description.strip(), ""]
    for item in plenary.program.all():
        lines.append(
            f"{item.starts_at:%H:%M} {item.title}" + (f" — {item.speakers}" if item.speakers else "")
        )
    if plenary.is_cancelled and plenary.cancel_reason:
        lines.append(_("Cancelled: %(reason)s") % {"reason": plenary.cancel_reason})
    return ical.Occasion(
        uid=plenary.uid,
        sequence=plenary.sequence,
        starts_at=plenary.starts_at,
        ends_at=plenary.ends_at,
        summary=plenary.title,
        location=location(plenary),
        description=lines,
        url=plenary_url(plenary),
        cancelled=plenary.is_cancelled,
    )


def calendar_bytes(plenaries, *, method: str = "PUBLISH") -> bytes:
    """A calendar of the given plenaries; `method="CANCEL"` withdraws them."""
    return ical.calendar_bytes(map(occasion, plenaries), prodid=PRODID, method=method)
