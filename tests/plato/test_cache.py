"""Signing in never depends on Redis: the rate-limit counters (allauth's, the application
form's) live in the database cache, whose table the migrations create.

These tests set the process up as a server started with REDIS_URL pointing at a port where
no Redis answers (`app_configured_for`: the cache and Celery as plato/settings.py computes
them; the test session otherwise keeps its cache in memory, see tests/conftest.py).
"""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from groups.models import Candidate
from members.identifiers import make_siret
from tests.celery_workers import app_configured_for, settings_for, unreachable_redis_url
from tests.factories import PASSWORD
from tests.french import TOO_MANY_ATTEMPTS, fr
from tests.groups.test_application_form import application
from tests.members.test_sign_in import fail_five_times, is_signed_in, sign_in
from tests.pages import assert_shows


@pytest.fixture
def redis_down(db):
    """The app as configured for a Redis that does not answer (nothing listens on the port)."""
    with app_configured_for(unreachable_redis_url()):
        yield  # the counters written are rolled back with the test's transaction


@pytest.mark.parametrize("redis_url", ["", "redis://redis:6379/0"])
def test_the_cache_is_the_database_whatever_redis_url_says(redis_url, db):
    caches = settings_for(REDIS_URL=redis_url)["CACHES"]

    assert caches["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert caches["default"]["LOCATION"] in connection.introspection.table_names(), "made by migrate"


def test_signing_in_works_with_redis_down(redis_down, member):
    client = Client()

    response = sign_in(client, member.email, PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_the_sign_in_lock_still_counts_with_redis_down(redis_down, member):
    client = Client()
    fail_five_times(client, member.email)

    response = sign_in(client, member.email, PASSWORD)

    assert not is_signed_in(client)
    assert_shows(response, fr(TOO_MANY_ATTEMPTS))


def test_asking_for_a_new_password_works_with_redis_down(redis_down, member, mailoutbox):
    response = Client().post(reverse("account_reset_password"), {"email": member.email})

    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [[member.email]]


def test_the_application_form_works_and_still_limits_with_redis_down(redis_down, chapter):
    url = reverse("groups:application", kwargs={"code": chapter.code})
    client = Client()

    response = client.post(url, application(chapter))

    assert response.status_code == 302
    assert Candidate.objects.count() == 1
    for number in range(2, 11):  # "10/h/ip": nine more from the same address
        client.post(
            url, application(chapter, siret=make_siret(400 + number), email=f"lea{number}@creperie.test")
        )
    refused = client.post(url, application(chapter, siret=make_siret(411), email="lea11@creperie.test"))
    assert refused.status_code == 200
    assert Candidate.objects.count() == 10
