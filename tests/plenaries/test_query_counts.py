"""The plenary pages run the same number of SQL queries with 3 or 30 registrations
(and 3 or 30 program slots, plenaries, invitees)."""

import pytest
from django.urls import reverse

from plenaries import services
from tests import factories
from tests.queries import count_queries, describe

SIZES = (3, 30)


def _world(chapter, cohort, size):
    """A plenary with `size` registrations (some waiting, one with a guest, some checked
    in), `size` program slots, `size` more plenaries, and a cohort quota."""
    plenary = factories.PlenaryFactory(chapter=chapter, capacity=size, plus_one_allowed=True)
    network = factories.LocalNetworkFactory(chapter=chapter)
    for n in range(size):
        factories.ProgramItemFactory(
            plenary=plenary, network=network if n % 2 else None, kind="network" if n % 2 else "talk"
        )
        factories.PlenaryFactory(chapter=chapter)
    services.set_quota(plenary, cohort, size + 5, actor=None)
    for n in range(size + 2):
        person = factories.MembershipFactory(cohort=cohort).person
        registration = services.register(plenary, person, actor=person, plus_one=(n == 0))
        if n % 3 == 0 and registration.state == "registered":
            services.check_in(registration, actor=None)
    return plenary


PAGES = {
    "list": lambda plenary: (reverse("plenaries:plenary_list"), {}),
    "detail": lambda plenary: (plenary.get_absolute_url(), {}),
    "registrations": lambda plenary: (
        reverse("plenaries:registrations", kwargs={"pk": plenary.pk}),
        {"q": "e"},
    ),
    "door": lambda plenary: (reverse("plenaries:door", kwargs={"pk": plenary.pk}), {}),
    "door search": lambda plenary: (reverse("plenaries:door", kwargs={"pk": plenary.pk}), {"q": "le"}),
}


MANAGERS_ONLY = ("registrations", "door", "door search")


@pytest.mark.parametrize(
    ("role", "page"),
    [("coordinator", page) for page in sorted(PAGES)]
    + [("member", page) for page in sorted(PAGES) if page not in MANAGERS_ONLY],
)
def test_plenary_pages_have_a_fixed_query_count(
    login, users, chapter, cohort, page, role, django_db_reset_sequences
):
    counts = []
    for size in SIZES:
        plenary = _world(chapter, cohort, size)
        url, params = PAGES[page](plenary)
        client = login(users[role])
        counts.append(count_queries(client, url, **params))
        plenary.registrations.all().delete()
    assert counts[0] == counts[1], describe(*counts, SIZES)
