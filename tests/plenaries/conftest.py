"""Fixtures shared by the plenaries tests: Plato 56's departmental plenary and the Bretagne
regional plenary it organises.

A module states the fields its tests rely on with a marker, e.g.
`pytestmark = pytest.mark.plenary(title="Plénière du Morbihan", capacity=3)`.
"""

import pytest

from plenaries.enums import PlenaryScope
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
