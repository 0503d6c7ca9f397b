"""Signing in: the app's sign-in page locks an account after five wrong passwords, and the
admin has no sign-in form of its own that could get around the lock."""

import time
import types
from unittest import mock
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.french import TOO_MANY_ATTEMPTS, fr
from tests.pages import assert_hides, assert_shows

LOCK_WINDOW = 5 * 60  # seconds: ACCOUNT_RATE_LIMITS["login_failed"] = "…,5/5m/key"


def sign_in(client: Client, email: str, password: str, *, next_url: str | None = None):
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": email, "password": password})


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail_five_times(client: Client, email: str) -> None:
    for attempt in range(5):
        response = sign_in(client, email, "not-the-password")
        assert response.status_code == 200, f"attempt {attempt + 1}"
        assert_hides(response, fr(TOO_MANY_ATTEMPTS))


def shifted_clock(seconds: float):
    """allauth's rate limits read the wall clock; move it forward (the clock is outside world)."""
    clock = types.SimpleNamespace(
        time=lambda: time.time() + seconds, monotonic=time.monotonic, sleep=time.sleep
    )
    return mock.patch("allauth.core.internal.ratelimit.time", clock)


def test_sign_in_with_right_password_signs_in(member):
    client = Client()

    response = sign_in(client, member.email, PASSWORD)

    assert response.status_code == 302
    assert urlparse(response["Location"]).path == reverse("home")
    assert is_signed_in(client)


def test_sign_in_with_wrong_password_fails_without_lock(member):
    client = Client()

    response = sign_in(client, member.email, "not-the-password")

    assert response.status_code == 200
    assert not is_signed_in(client)
    assert_hides(response, fr(TOO_MANY_ATTEMPTS))


def test_sign_in_after_four_failures_still_works(member):
    client = Client()
    for _ in range(4):
        sign_in(client, member.email, "not-the-password")

    response = sign_in(client, member.email, PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_sign_in_after_five_failures_is_locked_even_with_right_password(member):
    client = Client()
    fail_five_times(client, member.email)

    response = sign_in(client, member.email, PASSWORD)

    assert response.status_code == 200
    assert not is_signed_in(client)
    assert_shows(response, fr(TOO_MANY_ATTEMPTS))


def test_sign_in_lock_holds_from_another_client(member):
    """The lock is on the account, not on the browser that failed."""
    fail_five_times(Client(), member.email)
    other_browser = Client()

    response = sign_in(other_browser, member.email, PASSWORD)

    assert not is_signed_in(other_browser)
    assert_shows(response, fr(TOO_MANY_ATTEMPTS))


def test_sign_in_lock_is_per_account(member, coordinator):
    client = Client()
    fail_five_times(client, member.email)

    response = sign_in(client, coordinator.email, PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_sign_in_lock_ignores_email_case(member):
    client = Client()
    fail_five_times(client, member.email.upper())

    response = sign_in(client, member.email, PASSWORD)

    assert not is_signed_in(client)
    assert_shows(response, fr(TOO_MANY_ATTEMPTS))


def test_sign_in_lock_lifts_after_the_window(member):
    client = Client()
    fail_five_times(client, member.email)

    with shifted_clock(LOCK_WINDOW + 1):
        response = sign_in(client, member.email, PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_sign_in_lock_still_holds_just_before_the_window_ends(member):
    client = Client()
    fail_five_times(client, member.email)

    with shifted_clock(LOCK_WINDOW - 30):
        response = sign_in(client, member.email, PASSWORD)

    assert not is_signed_in(client)
    assert_shows(response, fr(TOO_MANY_ATTEMPTS))


# --- The admin's sign-in ------------------------------------------------------------------


def test_admin_login_does_not_accept_credentials(admin):
    client = Client()

    response = client.post(reverse("admin:login"), {"username": admin.email, "password": PASSWORD})

    assert response.status_code == 302
    assert urlparse(response["Location"]).path == reverse("account_login")
    assert not is_signed_in(client)


def test_admin_index_sends_anonymous_visitors_to_the_app_sign_in(admin):
    response = Client().get(reverse("admin:index"), follow=True)

    final_url = response.redirect_chain[-1][0]
    assert urlparse(final_url).path == reverse("account_login")
    assert response.status_code == 200


def test_admin_signs_in_through_the_app_sign_in_and_reaches_the_admin(admin):
    client = Client()
    client.get(reverse("admin:index"), follow=True)

    response = sign_in(client, admin.email, PASSWORD, next_url=reverse("admin:index"))

    assert response.status_code == 302
    assert urlparse(response["Location"]).path == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_locked_out_cannot_sign_in_through_the_admin_flow(admin):
    fail_five_times(Client(), admin.email)
    client = Client()
    landing = client.get(reverse("admin:index"), follow=True)
    sign_in_url = landing.redirect_chain[-1][0]  # where the admin page leads: the app's sign-in

    response = client.post(sign_in_url, {"login": admin.email, "password": PASSWORD})

    assert response.status_code == 200
    assert not is_signed_in(client)
    assert_shows(response, fr(TOO_MANY_ATTEMPTS))
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.parametrize("role", ["coordinator", "member"])
def test_signed_in_non_staff_cannot_use_the_admin_login(role, users):
    client = Client()
    client.force_login(users[role])

    response = client.post(reverse("admin:login"), {"username": users[role].email, "password": PASSWORD})

    assert response.status_code == 403
