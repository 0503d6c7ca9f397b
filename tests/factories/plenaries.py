"""Factories of plenaries/: plenaries, local networks, program slots and registrations."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from plenaries.enums import Attendee, PlenaryScope, ProgramKind, RegistrationState
from plenaries.models import LocalNetwork, Plenary, ProgramItem, Registration
from tests.factories.dates import _in_days
from tests.factories.groups import ChapterFactory
from tests.factories.members import UserFactory


class PlenaryFactory(DjangoModelFactory):
    """A departmental plenary in 30 days, registration open since yesterday until 5 days before."""

    class Meta:
        model = Plenary

    scope = PlenaryScope.DEPARTMENTAL
    chapter = factory.SubFactory(ChapterFactory)
    region = factory.LazyAttribute(lambda plenary: plenary.chapter.region if plenary.chapter else None)
    # A departmental plenary is organised by its chapter; pass `organiser=` for a regional one.
    organiser = factory.LazyAttribute(lambda plenary: plenary.chapter)
    title = factory.Sequence(lambda n: f"Plénière {n}")
    starts_at = factory.LazyFunction(lambda: _in_days(30, hour=14))
    ends_at = factory.LazyAttribute(lambda plenary: plenary.starts_at + datetime.timedelta(hours=4))
    registration_opens_at = factory.LazyAttribute(lambda plenary: timezone.now() - datetime.timedelta(days=1))
    registration_closes_at = factory.LazyAttribute(
        lambda plenary: plenary.starts_at - datetime.timedelta(days=5)
    )
    venue_name = "Palais des Arts"
    venue_address = "Place de Bretagne"
    venue_postcode = "56000"
    venue_town = "Vannes"
    capacity = 100


class LocalNetworkFactory(DjangoModelFactory):
    class Meta:
        model = LocalNetwork

    chapter = factory.SubFactory(ChapterFactory)
    name = factory.Sequence(lambda n: f"Réseau {n}")
    purpose = "Des dirigeants qui se recommandent des affaires."
    audience = "Dirigeants de TPE et PME"
    contact_name = "Morgane Le Roux"
    contact_email = factory.Sequence(lambda n: f"contact{n}@reseau.test")
    website = "https://reseau.example.org/"


class ProgramItemFactory(DjangoModelFactory):
    class Meta:
        model = ProgramItem

    plenary = factory.SubFactory(PlenaryFactory)
    starts_at = datetime.time(14, 0)
    ends_at = datetime.time(14, 45)
    kind = ProgramKind.TALK
    title = factory.Sequence(lambda n: f"Intervention {n}")
    speakers = "Yann Le Gall"


class RegistrationFactory(DjangoModelFactory):
    """A registration row as the services leave it, written directly: no invitation checked,
    no place counted, nothing e-mailed (`plenaries.services.register` does that, and has its
    own tests). Pass `person=` (and `cohort=`, `chapter=` when quotas or chapters matter)."""

    class Meta:
        model = Registration

    plenary = factory.SubFactory(PlenaryFactory)
    person = factory.SubFactory(UserFactory)
    attendee = Attendee.MEMBER
    state = RegistrationState.REGISTERED
    queued_at = factory.LazyFunction(timezone.now)
