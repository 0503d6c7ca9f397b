"""The plenary as a calendar event: written with icalendar, read back by another library
(vobject); the UID stays, the SEQUENCE follows each change, a cancellation withdraws it."""

import datetime

import pytest
import vobject
from django.urls import reverse

from plenaries import services
from plenaries.calendar import calendar_bytes, event_uid
from plenaries.enums import PlenaryScope, ProgramKind
from tests import factories

pytestmark = pytest.mark.plenary(
    title="Plénière départementale 2026",
    description="Les groupes se retrouvent ; les réseaux locaux se présentent.",
    venue_name="Palais des Arts, salle Ouessant",
    venue_address="Place de Bretagne",
)


def read(plenary, **kwargs):
    calendar = vobject.readOne(calendar_bytes([plenary], **kwargs).decode())
    (event,) = calendar.vevent_list
    return calendar, event


def test_an_event_is_read_back_by_another_library(plenary, chapter):
    network = factories.LocalNetworkFactory(chapter=chapter, name="CJD Vannes")
    factories.ProgramItemFactory(
        plenary=plenary, starts_at=datetime.time(14, 0), ends_at=None, title="Accueil"
    )
    factories.ProgramItemFactory(
        plenary=plenary,
        starts_at=datetime.time(15, 30),
        ends_at=datetime.time(16, 0),
        title="Le CJD",
        kind=ProgramKind.NETWORK,
        network=network,
        speakers="Morgane Le Roux",
    )

    calendar, event = read(plenary)

    assert calendar.method.value == "PUBLISH"
    assert event.uid.value == event_uid(plenary) == f"{plenary.uid}@plato"
    assert event.dtstart.value == plenary.starts_at
    assert event.dtend.value == plenary.ends_at
    assert event.summary.value == "Plénière départementale 2026"
    # Commas and semicolons are escaped by the writer and come back intact.
    assert event.location.value == "Palais des Arts, salle Ouessant, Place de Bretagne, 56000 Vannes"
    page = "http://127.0.0.1:8000" + reverse("plenaries:plenary_detail", kwargs={"pk": plenary.pk})
    assert event.url.value == page
    description = event.description.value
    assert description.startswith("Les groupes se retrouvent ; les réseaux locaux se présentent.")
    assert "14:00 Accueil" in description and "15:30 Le CJD — Morgane Le Roux" in description
    assert description.endswith(page)
    assert event.status.value == "CONFIRMED"
    assert int(event.sequence.value) == 0
    assert not hasattr(event, "organizer")


def test_a_changed_plenary_keeps_its_uid_and_carries_its_new_sequence(plenary):
    _calendar, before = read(plenary)

    plenary.starts_at += datetime.timedelta(days=1)
    plenary.ends_at += datetime.timedelta(days=1)
    plenary.sequence += 1
    plenary.save()
    _calendar, after = read(plenary)

    assert after.uid.value == before.uid.value
    assert int(after.sequence.value) == 1
    assert after.dtstart.value == before.dtstart.value + datetime.timedelta(days=1)


def test_a_cancelled_plenary_is_withdrawn_from_calendars(plenary, coordinator):
    cancelled = services.cancel_plenary(plenary, reason="Salle inondée", actor=coordinator)

    calendar, event = read(cancelled, method="CANCEL")

    assert calendar.method.value == "CANCEL"
    assert event.uid.value == event_uid(plenary)
    assert (event.status.value, int(event.sequence.value)) == ("CANCELLED", 1)
    assert "Salle inondée" in event.description.value
    # Calendar clients honour a CANCEL only from the event's organizer.
    assert event.organizer.value == "mailto:noreply@plato.test"
    assert event.organizer.params["CN"] == ["Plato"]


def test_a_regional_plenary_without_address_has_its_place_only(region):
    regional = factories.PlenaryFactory(
        scope=PlenaryScope.REGIONAL,
        chapter=None,
        region=region,
        venue_name="Couvent des Jacobins",
        venue_address="",
        venue_postcode="",
        venue_town="",
    )

    _calendar, event = read(regional)

    assert event.location.value == "Couvent des Jacobins"
    assert event.uid.value == f"{regional.uid}@plato"
