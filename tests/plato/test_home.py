"""Each role's home page: in French, showing that role's own data, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.enums import MembershipState
from tests import factories
from tests.french import (
    ADMINISTRATOR,
    ALUMNI,
    COORDINATOR,
    FACILITATOR,
    HELLO,
    HOME,
    MEMBER,
    SPONSOR,
    WELCOME,
    fr,
)
from tests.pages import assert_hides, assert_shows, page_text

# What each role's home must show: the role's template and real data of its own.
HOME_PAGES = {
    "admin": ("plato/home_admin.html", ["Plato 56 — CCI du Morbihan", "Plato 35 — CCI Ille-et-Vilaine"]),
    "coordinator": ("plato/home_coordinator.html", ["Plato 56 — CCI du Morbihan", "Kerlann Informatique"]),
    "other_chapter_coordinator": (
        "plato/home_coordinator.html",
        ["Plato 35 — CCI Ille-et-Vilaine", "Rennes Data Factory"],
    ),
    "facilitator": ("plato/home_facilitator.html", ["Golfe du Morbihan", "Kerlann Informatique"]),
    "member": ("plato/home_member.html", ["Golfe du Morbihan", "Kerlann Informatique", "Catherine Le Bras"]),
    "sponsor": ("plato/home_sponsor.html", ["Golfe du Morbihan", "Kerlann Informatique"]),
    "alumni": ("plato/home_alumni.html", ["Pays de Lorient", "Armor Marée Distribution"]),
    "outsider": ("plato/home_welcome.html", ["Jean"]),
}

# What a role's home must never show: another chapter's or another cohort's data.
NOT_ON_HOME = {
    "coordinator": ["Rennes Data Factory", "Plato 35"],
    "other_chapter_coordinator": ["Kerlann Informatique", "Plato 56"],
    "facilitator": ["Rennes Data Factory"],
    "member": ["Pays de Lorient", "Armor Marée Distribution", "Rennes Data Factory"],
    "sponsor": ["Pays de Lorient", "Rennes Data Factory"],
    "alumni": ["Golfe du Morbihan", "Kerlann Informatique"],
    "outsider": ["Golfe du Morbihan", "Kerlann Informatique", "Plato 56", "Rennes Data Factory"],
}

MAX_HOME_QUERIES = 20


@pytest.fixture
def role_users(users, other_company):
    """Every role's user, with Plato 35's company there to be (not) leaked."""
    return users


@pytest.mark.parametrize("role", list(HOME_PAGES))
def test_home_shows_the_roles_own_page_in_french(role, role_users, login):
    template, expected_texts = HOME_PAGES[role]

    response = login(role_users[role]).get(reverse("home"))

    assert response.status_code == 200
    assert template in [t.name for t in response.templates]
    assert '<html lang="fr">' in page_text(response)
    assert_shows(response, *expected_texts)


# The French a role's home greets with: the greeting and the role's label.
FRENCH_HOME = {
    "admin": [HELLO, ADMINISTRATOR],
    "coordinator": [HELLO, COORDINATOR],
    "other_chapter_coordinator": [HELLO, COORDINATOR],
    "facilitator": [HELLO, FACILITATOR],
    "member": [HELLO, MEMBER],
    "sponsor": [HELLO, SPONSOR],
    "alumni": [HELLO, ALUMNI],
    "outsider": [WELCOME],
}


@pytest.mark.parametrize("role", list(HOME_PAGES))
def test_home_navigation_is_translated_to_french(role, role_users, login):
    response = login(role_users[role]).get(reverse("home"))

    assert_shows(response, fr(HOME))


@pytest.mark.parametrize("role", list(FRENCH_HOME))
def test_home_greets_the_role_in_french(role, role_users, login):
    user = role_users[role]

    response = login(user).get(reverse("home"))

    greeting, *labels = FRENCH_HOME[role]
    assert_shows(response, fr(greeting, name=user.first_name), *[fr(label) for label in labels])


@pytest.mark.parametrize("role", list(NOT_ON_HOME))
def test_home_shows_nothing_outside_the_roles_scope(role, role_users, login):
    response = login(role_users[role]).get(reverse("home"))

    assert_hides(response, *NOT_ON_HOME[role])


def test_home_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Query counts ----------------------------------------------------------------------


def _grow(chapter, cohort, closed_cohort, other_chapter, size: int):
    """More of everything a home page lists: companies, people, members, sponsors, chapters."""
    factories.CompanyFactory.create_batch(size, chapter=chapter)
    factories.MembershipFactory.create_batch(size, cohort=cohort)
    factories.MembershipFactory.create_batch(size, cohort=closed_cohort, state=MembershipState.ALUMNI)
    factories.SponsorshipFactory.create_batch(2, cohort=cohort)
    factories.CompanyFactory.create_batch(size, chapter=other_chapter)
    for _ in range(3):
        factories.ChapterFactory(region=chapter.region)
    factories.CohortFactory.create_batch(3, chapter=chapter)


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", list(HOME_PAGES))
def test_home_query_count_does_not_grow_with_data(
    role, role_users, login, chapter, cohort, closed_cohort, other_chapter
):
    client = login(role_users[role])
    client.get(reverse("home"))  # warm up caches that are not per request (content types…)
    small = _count_queries(client, reverse("home"))

    _grow(chapter, cohort, closed_cohort, other_chapter, size=12)
    large = _count_queries(client, reverse("home"))

    assert large == small, f"{role}'s home: {small} queries with little data, {large} with more"
    assert small <= MAX_HOME_QUERIES
