"""Fixtures shared by the meetings tests: a meeting of the cohort and topics proposed for it.

A module states the fields its tests rely on with a marker, e.g.
`pytestmark = pytest.mark.meeting(venue_name="Salle Vénètes")`.
"""

import pytest

from tests import factories
from tests.conftest import marked_fields


@pytest.fixture
def meeting(request, cohort):
    """The cohort's meeting in 20 days, its vote open (MeetingFactory's), with the marked fields."""
    return factories.MeetingFactory(cohort=cohort, **marked_fields(request, "meeting"))


@pytest.fixture
def topics(request, cohort, member):
    """Topics « Sujet 0 », « Sujet 1 »… proposed by the member: five, or `topics(count=…)`."""
    count = marked_fields(request, "topics").get("count", 5)
    return [
        factories.TopicFactory(cohort=cohort, proposed_by=member, title=f"Sujet {n}") for n in range(count)
    ]
