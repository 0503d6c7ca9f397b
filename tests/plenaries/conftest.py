"""Fixtures shared by the plenaries tests: Plato 56's departmental plenary and the Bretagne
regional plenary it organises.

A module states the fields its tests rely on with a marker, e.g.
`pytestmark = pytest.mark.plenary(title="Plénière du Morbihan", capacity=3)`.
"""

import datetime

import pytest
from django.utils import timezone

from plenaries import notifications as plenary_notifications
from plenaries import services as plenary_services
from plenaries.enums import Attendee, PlenaryScope
from plenaries.enums import RegistrationState as State
from plenaries.models import Registration
from tests import factories
from tests.conftest import marked_fields


@pytest.fixture
def plenary(request, chapter):
    """Plato 56's departmental plenary in 30 days, registration open (PlenaryFactory's),
    with the marked fields."""
    return factories.PlenaryFactory(chapter=chapter, **marked_fields(request, "plenary"))


@pytest.fixture
def regional(request, region, chapter):
    """The region's plenary organised by Plato 56, 50 places, with the marked fields."""
    return factories.PlenaryFactory(
        scope=PlenaryScope.REGIONAL,
        chapter=None,
        region=region,
        organiser=chapter,
        **{"capacity": 50} | marked_fields(request, "regional"),
    )


# Plenaries and registrations as the e-mails' tests arrange them.

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


def plenary_in(chapter, *, starts_in=None, starts_at=None, closes_in=None, opens_in=-DAY, **fields):
    """A departmental plenary starting `starts_in` from now (or at `starts_at`); registration
    closes 5 days before."""
    now = timezone.now().replace(microsecond=0)  # a calendar event's times are to the second
    starts_at = starts_at or now + starts_in
    closes_at = now + closes_in if closes_in is not None else starts_at - 5 * DAY
    opens_at = min(now + opens_in, closes_at - DAY)
    return factories.PlenaryFactory(
        chapter=chapter,
        starts_at=starts_at,
        ends_at=starts_at + 4 * HOUR,
        registration_opens_at=opens_at,
        registration_closes_at=closes_at,
        **fields,
    )


def registration(plenary, person, state, *, attendee=Attendee.MEMBER, **fields):
    """A registration row as the services leave it (the services have their own tests)."""
    now = timezone.now()
    if state == State.OFFERED:
        fields.setdefault("offered_at", now)
        fields.setdefault("offer_expires_at", now + 2 * DAY)
        fields.setdefault("offers", 1)
    return Registration.objects.create(
        plenary=plenary, person=person, attendee=attendee, state=state, queued_at=now, **fields
    )


# The people the plenaries' e-mails are about (test_notifications.py, test_offer_and_cancel_notices.py;
# a module with other people defines its own).


@pytest.fixture
def people(member, sponsor, facilitator, alumni):
    return {"member": member, "sponsor": sponsor, "facilitator": facilitator, "alumni": alumni}


@pytest.fixture
def strangers(outsider, coordinator, other_chapter):
    """Who is never told: somebody with no role, the chapter's coordinator (staff, not
    invited), a member of another chapter of the same region."""
    elsewhere = factories.MembershipFactory(cohort=factories.CohortFactory(chapter=other_chapter)).person
    return [outsider, coordinator, elsewhere]


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """One planner run, its e-mails sent (inline tasks) once the transaction commits."""

    def run_planner(**kwargs) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return plenary_notifications.plan_reminders(**kwargs)

    return run_planner


@pytest.fixture
def full(chapter, people):
    """One place, held by the member; the sponsor then the alumni wait."""
    plenary = plenary_in(chapter, starts_in=30 * DAY, capacity=1)
    for role in ("member", "sponsor", "alumni"):
        plenary_services.register(plenary, people[role], actor=people[role])
    return plenary
