"""Staff use TOTP in every session when PLATO_REQUIRE_STAFF_MFA is on (production's default).

Admins, coordinators and facilitators without TOTP are sent to set it up; with TOTP, the
session itself must have used it (allauth's authentication records in the session), so a
password-only session never reaches a staff page, whether TOTP was enrolled before it
opened or after. Adding or removing an authenticator ends the person's other sessions.
"""

import re
import time
import types
from unittest import mock
from urllib.parse import parse_qs, urlparse

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.pages import assert_shows
from tests.plato.test_settings import PRODUCTION_ENV, manage
from tests.urlwalk import walk

STAFF_ROLES = ["admin", "coordinator", "facilitator"]


@pytest.fixture
def require_staff_mfa(settings):
    settings.PLATO_REQUIRE_STAFF_MFA = True


def current_code(secret: str, *, later: int = 0) -> str:
    """The code an authenticator app shows now (or `later` seconds from now)."""
    counter = int(time.time() + later) // totp.app_settings.TOTP_PERIOD
    return totp.format_hotp_value(totp.hotp_value(secret, counter))


def thirty_seconds_later():
    """A code is single-use within its 30 s window: a second sign-in uses the next one."""
    clock = types.SimpleNamespace(time=lambda: time.time() + 30)
    return mock.patch("allauth.mfa.totp.internal.auth.time", clock)


def enrol_totp_silently(user) -> str:
    """TOTP stored the way it was before sessions were ended on enrolment (no signal):
    the session check of the middleware must hold on its own."""
    secret = totp.generate_totp_secret()
    Authenticator.objects.bulk_create(
        [Authenticator(user=user, type=Authenticator.Type.TOTP, data={"secret": totp.encrypt(secret)})]
    )
    return secret


def sign_in_with_password(user) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def staff_paths() -> list[str]:
    """A path for every pattern of the app and the admin (the middleware answers before
    the URL is resolved, so placeholder arguments are enough)."""
    paths = set()
    for url in walk():
        route = url.route
        if route.startswith("^") or "(?P<" in route:
            continue
        path = "/" + re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: "1" if m.group(1) == "int" else "x", route)
        if path.startswith(("/accounts/", "/static/", "/healthz", "/i18n/", "/favicon")):
            continue
        paths.add(path)
    return sorted(paths)


def test_staff_paths_cover_the_app_and_the_admin():
    paths = staff_paths()

    assert "/" in paths
    assert "/admin/" in paths
    assert any(path.startswith("/plenaries/") for path in paths)
    assert len(paths) > 100


# --- Without TOTP: set it up first ------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_without_totp_is_sent_to_totp_setup(require_staff_mfa, client, request, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("members:company_list"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_facilitator_without_totp_does_not_reach_the_door_or_the_cohort(
    require_staff_mfa, client, facilitator, cohort
):
    client.force_login(facilitator)

    for path in (reverse("home"), reverse("groups:cohort_detail", kwargs={"pk": cohort.pk})):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("mfa_activate_totp"), path


def test_staff_without_totp_can_still_reach_the_totp_setup_page(require_staff_mfa, client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("mfa_activate_totp"))

    # allauth asks for the password again before activating (force_login leaves no
    # recent authentication); what matters is that the middleware lets it through.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(response["Location"]).status_code == 200


def test_staff_just_signed_in_set_up_totp_without_typing_the_password_again(require_staff_mfa, facilitator):
    client = sign_in_with_password(facilitator)

    response = client.get(reverse("home"))
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).status_code == 200  # the QR code, at once


def test_a_sign_in_older_than_five_minutes_asks_for_the_password_again(require_staff_mfa, facilitator):
    client = sign_in_with_password(facilitator)
    later = types.SimpleNamespace(time=lambda: time.time() + 301)

    with mock.patch("members.adapters.time", later):  # the clock, five minutes later
        response = client.get(reverse("mfa_activate_totp"))

    assert urlparse(response["Location"]).path == reverse("account_reauthenticate")


@pytest.mark.parametrize("role", ["member", "sponsor", "alumni"])
def test_other_roles_are_not_forced_to_set_up_totp(require_staff_mfa, client, request, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("home"))

    assert response.status_code == 200


def test_staff_mfa_is_off_by_default_in_development(settings, client, coordinator):
    assert settings.PLATO_REQUIRE_STAFF_MFA is False
    client.force_login(coordinator)

    assert client.get(reverse("home")).status_code == 200


def test_staff_mfa_is_on_by_default_in_production():
    command = "from django.conf import settings; print('required', settings.PLATO_REQUIRE_STAFF_MFA)"
    result = manage("shell", "-c", command, **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "required True" in result.stdout


# --- With TOTP: the session must have used it -------------------------------------------------


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_password_only_session_after_enrolment_never_reaches_a_staff_page(require_staff_mfa, request, role):
    user = request.getfixturevalue(role)
    client = sign_in_with_password(user)  # no TOTP yet: the password is all it took
    enrol_totp_silently(user)
    reauthenticate = reverse("mfa_reauthenticate")
    reached = []

    for path in staff_paths():
        response = client.get(path)
        location = urlparse(response.get("Location", ""))
        if response.status_code != 302 or location.path != reauthenticate:
            reached.append(f"{path}: {response.status_code} {response.get('Location', '')}")

    assert not reached, "\n".join(reached)


def test_password_only_session_may_not_change_the_account(require_staff_mfa, coordinator):
    """The account pages would let it change the password or remove the authenticator
    (allauth accepts the password to reauthenticate): only the code and sign-out remain."""
    client = sign_in_with_password(coordinator)
    enrol_totp_silently(coordinator)

    for name in ("account_change_password", "account_email", "mfa_index", "mfa_deactivate_totp"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert urlparse(response["Location"]).path == reverse("mfa_reauthenticate"), name
    assert client.get(reverse("account_logout")).status_code == 200


def test_the_code_page_says_why_and_offers_no_way_round(require_staff_mfa, coordinator):
    """The password or an e-mailed code would lead back to it: only the code, or sign out."""
    client = sign_in_with_password(coordinator)
    enrol_totp_silently(coordinator)

    page = client.get(client.get(reverse("members:company_list"))["Location"])

    assert page.status_code == 200
    assert_shows(page, "Vérification en deux étapes", "chaque session demande une fois le code")
    html = page.content.decode()
    assert reverse("account_reauthenticate") not in html
    assert reverse("account_request_reauthentication_code") not in html
    assert reverse("account_logout") in html


def test_the_code_page_asked_for_by_the_person_keeps_allauths_alternatives(coordinator):
    """Outside the staff gate (here: not required), reauthenticating with the code is one
    way among others, as allauth has it."""
    client = sign_in_with_password(coordinator)
    enrol_totp_silently(coordinator)

    page = client.get(reverse("mfa_reauthenticate"))

    assert page.status_code == 200
    assert_shows(page, "Saisissez un code d’authentification :")
    assert reverse("account_reauthenticate") in page.content.decode()


def test_entering_the_code_opens_the_staff_pages_and_brings_back(require_staff_mfa, coordinator):
    client = sign_in_with_password(coordinator)
    secret = enrol_totp_silently(coordinator)
    companies = reverse("members:company_list")
    refused = client.get(companies)
    assert parse_qs(urlparse(refused["Location"]).query)["next"] == [companies]

    response = client.post(refused["Location"], {"code": current_code(secret)})

    assert response.status_code == 302
    assert response["Location"] == companies
    assert client.get(companies).status_code == 200


def test_a_wrong_code_keeps_the_staff_pages_closed(require_staff_mfa, coordinator):
    client = sign_in_with_password(coordinator)
    secret = enrol_totp_silently(coordinator)
    wrong = f"{(int(current_code(secret)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("mfa_reauthenticate"), {"code": wrong})

    assert response.status_code == 200  # the form again, with its error
    assert client.get(reverse("members:company_list")).status_code == 302


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_sign_in_with_totp_enrolled_before_needs_the_code(require_staff_mfa, request, role):
    user = request.getfixturevalue(role)
    secret = enrol_totp_silently(user)
    client = Client()

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert urlparse(response["Location"]).path == reverse("mfa_authenticate")
    assert not is_signed_in(client)
    assert client.get(reverse("members:company_list")).status_code == 302  # to the sign-in page
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert is_signed_in(client)
    assert client.get(reverse("members:company_list")).status_code == 200


# --- Adding or removing an authenticator ends the other sessions -------------------------------


def activate_totp(client: Client) -> str:
    """The account page's flow: the password again, the secret allauth shows, a code from it."""
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200, page.get("Location")
    secret = client.session[totp.SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302, response.content.decode()[:500]
    return secret


# allauth tells of a new authenticator on commit, inside the request: these tests commit.
@pytest.mark.django_db(transaction=True)
def test_adding_totp_ends_the_other_sessions_and_keeps_this_one(require_staff_mfa, coordinator):
    laptop = sign_in_with_password(coordinator)
    phone = sign_in_with_password(coordinator)

    activate_totp(phone)

    assert Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists()
    response = laptop.get(reverse("members:company_list"))
    assert urlparse(response["Location"]).path == reverse("account_login")  # signed out
    assert not is_signed_in(laptop)
    # The session that added it typed a valid code: it works on, without a second code.
    assert phone.get(reverse("members:company_list")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_removing_totp_ends_the_other_sessions_and_keeps_this_one(coordinator):
    phone = sign_in_with_password(coordinator)
    secret = activate_totp(phone)
    laptop = Client()
    laptop.post(reverse("account_login"), {"login": coordinator.email, "password": PASSWORD})
    with thirty_seconds_later():
        laptop.post(reverse("mfa_authenticate"), {"code": current_code(secret, later=30)})
    assert is_signed_in(laptop)

    response = phone.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists()
    assert laptop.get(reverse("home")).status_code == 302
    assert not is_signed_in(laptop)
    assert phone.get(reverse("home")).status_code == 200


def test_an_authenticator_added_in_the_admin_ends_the_sessions(coordinator):
    laptop = sign_in_with_password(coordinator)

    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.TOTP, data={"secret": "x"})

    assert laptop.get(reverse("home")).status_code == 302
    assert not is_signed_in(laptop)


def test_sessions_opened_before_any_change_stay_signed_in(coordinator):
    """The stamp starts empty and the hash is then Django's own: deploying this signs nobody out."""
    client = sign_in_with_password(coordinator)
    coordinator.refresh_from_db()

    assert coordinator.session_stamp == ""
    assert client.get(reverse("home")).status_code == 200
