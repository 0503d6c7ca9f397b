"""Every URL of the project × every role: the status each one must get.

anonymous → 302 to the sign-in page; signed in without the right → 403; object outside
the user's scope → 404. The URLs are discovered from the resolver, so a URL added
without an expectation in EXPECTED fails `test_every_url_has_an_expectation`.

The Django admin is covered by a rule over its namespace (ADMIN_RULE) rather than by
hand: its index and every registered model's changelist are listed in EXPECTED
(generated from `admin.site._registry`), and every other admin URL is still
discovered and requested with the same rule.
"""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib import admin as django_admin
from django.urls import reverse

from tests.samples import DISCOVERED, sample_path
from tests.world import ROLES

# --- What a response may be ------------------------------------------------------------


@dataclass(frozen=True)
class Redirect:
    """A 302 to this URL name (compared on the path, the query string is free)."""

    to: str

    def __str__(self):
        return f"302 → {self.to}"


@dataclass(frozen=True)
class SignIn:
    """302 to the sign-in page, which brings the visitor back here afterwards (?next=)."""

    def __str__(self):
        return "302 → sign-in ?next=this page"


LOGIN = SignIn()  # anonymous users are sent to the sign-in page


@dataclass(frozen=True)
class AdminSignIn:
    """The admin's way of saying no: a redirect to its login page, which sends anonymous
    users on to the app's sign-in (allauth's secure_admin_login) and answers 403 to a
    signed-in user who is not staff. Checked by following the redirects; a non-staff
    user must never see a 200 anywhere on the way."""

    final_status: int  # 200 on the sign-in page for anonymous, 403 for non-staff

    def __str__(self):
        return f"302 → admin login → {self.final_status}"


ADMIN_TO_SIGN_IN = AdminSignIn(200)
ADMIN_DENIED = AdminSignIn(403)


def expect(**statuses):
    """One row of the table; every role must be named (no silent default)."""
    missing = set(ROLES) - set(statuses)
    assert not missing, f"roles without an expected status: {sorted(missing)}"
    return statuses


def everyone(status, *, anonymous=LOGIN):
    """The same answer for every signed-in user (their own account pages)."""
    return expect(anonymous=anonymous, **{role: status for role in ROLES if role != "anonymous"})


STAFF_LIST = expect(
    anonymous=LOGIN,
    admin=200,
    coordinator=200,
    other_chapter_coordinator=200,
    facilitator=200,
    member=403,
    sponsor=403,
    alumni=403,
    outsider=403,
)
COORDINATOR_CREATE = expect(
    anonymous=LOGIN,
    admin=200,
    coordinator=200,
    other_chapter_coordinator=200,
    facilitator=403,
    member=403,
    sponsor=403,
    alumni=403,
    outsider=403,
)
STAFF_VIEW_OBJECT = expect(  # an object of Plato 56
    anonymous=LOGIN,
    admin=200,
    coordinator=200,
    other_chapter_coordinator=404,
    facilitator=200,
    member=403,
    sponsor=403,
    alumni=403,
    outsider=403,
)
COORDINATOR_EDIT_OBJECT = expect(  # an object of Plato 56
    anonymous=LOGIN,
    admin=200,
    coordinator=200,
    other_chapter_coordinator=404,
    facilitator=403,
    member=403,
    sponsor=403,
    alumni=403,
    outsider=403,
)
INVOICE_READERS = expect(
    anonymous=LOGIN,
    admin=200,
    coordinator=200,
    other_chapter_coordinator=404,
    facilitator=404,
    member=200,
    sponsor=404,
    alumni=404,
    outsider=404,
)
# A page of the active Plato 56 cohort: its own people and the chapter's staff (alumni
# belong to another, closed cohort).
COHORT_PEOPLE = expect(
    anonymous=LOGIN,
    admin=200,
    coordinator=200,
    other_chapter_coordinator=404,
    facilitator=200,
    member=200,
    sponsor=200,
    alumni=404,
    outsider=404,
)
# A facilitator's page of a meeting that has not reached that step yet: back to the meeting.
FACILITATOR_REDIRECT = expect(
    anonymous=LOGIN,
    admin=302,
    coordinator=302,
    other_chapter_coordinator=404,
    facilitator=302,
    member=403,
    sponsor=403,
    alumni=404,
    outsider=404,
)
# A facilitator's page of a meeting of Plato 56's active cohort (or of the cohort itself).
FACILITATOR_PAGE = expect(
    anonymous=LOGIN,
    admin=200,
    coordinator=200,
    other_chapter_coordinator=404,
    facilitator=200,
    member=403,
    sponsor=403,
    alumni=404,
    outsider=404,
)
# A plenary of Plato 56: the chapter's people and staff see it; another chapter's
# coordinator and the outsider do not know it exists.
PLENARY_PEOPLE = expect(
    anonymous=LOGIN,
    admin=200,
    coordinator=200,
    other_chapter_coordinator=404,
    facilitator=200,
    member=200,
    sponsor=200,
    alumni=200,
    outsider=404,
)
# Managing it: the chapter's coordinators (a regional one: any coordinator of the region), admins.
PLENARY_MANAGERS = PLENARY_PEOPLE | {"facilitator": 403, "member": 403, "sponsor": 403, "alumni": 403}
# The door: the managers and the facilitators of the chapters concerned.
PLENARY_DOOR = PLENARY_MANAGERS | {"facilitator": 200}
# The local networks' directory (a network of Plato 56).
NETWORK_READERS = expect(
    anonymous=LOGIN,
    admin=200,
    coordinator=200,
    other_chapter_coordinator=404,
    facilitator=200,
    member=200,
    sponsor=200,
    alumni=200,
    outsider=403,
)
ADMIN_ONLY = expect(
    anonymous=ADMIN_TO_SIGN_IN,
    admin=200,
    coordinator=ADMIN_DENIED,
    other_chapter_coordinator=ADMIN_DENIED,
    facilitator=ADMIN_DENIED,
    member=ADMIN_DENIED,
    sponsor=ADMIN_DENIED,
    alumni=ADMIN_DENIED,
    outsider=ADMIN_DENIED,
)

EXPECTED = {
    # --- Plato ---
    "home": everyone(200),
    "healthz": everyone(200, anonymous=200),
    "favicon": everyone(301, anonymous=301),
    "set_language": everyone(Redirect("home"), anonymous=Redirect("home")),  # POST-only: GET goes back
    # --- members ---
    "members:company_list": STAFF_LIST,
    "members:company_create": COORDINATOR_CREATE,
    "members:company_detail": STAFF_VIEW_OBJECT,
    "members:company_update": COORDINATOR_EDIT_OBJECT,
    "members:person_list": STAFF_LIST,
    "members:person_create": COORDINATOR_CREATE,
    "members:person_detail": STAFF_VIEW_OBJECT,
    "members:person_update": COORDINATOR_EDIT_OBJECT,
    "members:profile": everyone(200),
    "members:profile_update": everyone(200),
    "members:calendar_feed": everyone(200),  # each person's own feed link
    "members:calendar_feed_renew": everyone(405),  # POST only
    # --- groups ---
    "groups:chapter_list": STAFF_LIST,
    "groups:chapter_detail": STAFF_VIEW_OBJECT,
    "groups:chapter_update": COORDINATOR_EDIT_OBJECT,
    "groups:cohort_list": STAFF_LIST,
    "groups:cohort_create": COORDINATOR_EDIT_OBJECT,  # in Plato 56
    "groups:cohort_detail": STAFF_VIEW_OBJECT,
    "groups:cohort_update": COORDINATOR_EDIT_OBJECT,
    "groups:cohort_start": everyone(405),  # POST only
    "groups:cohort_close": everyone(405),
    "groups:membership_add": COORDINATOR_EDIT_OBJECT,
    "groups:membership_withdraw": COORDINATOR_EDIT_OBJECT,
    "groups:sponsorship_add": COORDINATOR_EDIT_OBJECT,
    "groups:sponsorship_end": everyone(405),
    "groups:cohort_directory": expect(  # the active cohort's own people, and the chapter's staff
        anonymous=LOGIN,
        admin=200,
        coordinator=200,
        other_chapter_coordinator=404,
        facilitator=200,
        member=200,
        sponsor=200,
        alumni=404,  # of another (closed) cohort
        outsider=404,
    ),
    "groups:member_conflict": expect(  # a current member names a competitor
        anonymous=LOGIN,
        admin=403,
        coordinator=403,
        other_chapter_coordinator=404,
        facilitator=403,
        member=200,
        sponsor=403,
        alumni=404,
        outsider=404,
    ),
    "groups:conflict_list": COORDINATOR_EDIT_OBJECT,
    # --- billing ---
    "billing:chapter_invoices": COORDINATOR_EDIT_OBJECT,
    "billing:invoice_export": COORDINATOR_EDIT_OBJECT,
    "billing:cohort_invoices": everyone(405),  # POST only
    "billing:membership_invoice": everyone(405),  # POST only
    # The member's own invoice: the buyer, the chapter's coordinators, admins; nobody else
    # sees that it exists (not the facilitator, a sponsor or another coordinator).
    "billing:invoice_detail": INVOICE_READERS,
    "billing:invoice_pdf": INVOICE_READERS,
    "billing:my_invoices": everyone(200),
    # Member documents: the chapter's coordinators and admins only.
    "billing:membership_certificate": COORDINATOR_EDIT_OBJECT,
    "billing:cohort_directory_pdf": COORDINATOR_EDIT_OBJECT,
    # The alumni's own end-of-programme certificate (a closed cohort's membership).
    "billing:attendance_certificate": expect(
        anonymous=LOGIN,
        admin=200,
        coordinator=200,
        other_chapter_coordinator=404,
        facilitator=403,
        member=404,
        sponsor=404,
        alumni=200,
        outsider=404,
    ),
    "billing:cohort_attendance_certificates": COORDINATOR_EDIT_OBJECT,  # the closed cohort
    "billing:chapter_exports": COORDINATOR_EDIT_OBJECT,
    "billing:export_job": COORDINATOR_EDIT_OBJECT,
    "billing:export_download": COORDINATOR_EDIT_OBJECT,  # a roster already built
    "groups:conflict_withdraw": everyone(405),
    "groups:application": everyone(200, anonymous=200),  # public
    "groups:application_thanks": everyone(200, anonymous=200),
    "groups:candidate_list": COORDINATOR_EDIT_OBJECT,
    "groups:candidate_create": COORDINATOR_EDIT_OBJECT,
    "groups:candidate_import": COORDINATOR_EDIT_OBJECT,
    "groups:candidate_detail": COORDINATOR_EDIT_OBJECT,
    "groups:candidate_update": COORDINATOR_EDIT_OBJECT,
    "groups:candidate_qualify": everyone(405),
    "groups:candidate_decline": COORDINATOR_EDIT_OBJECT,
    "groups:candidate_place": COORDINATOR_EDIT_OBJECT,
    "groups:composer": COORDINATOR_EDIT_OBJECT,
    "groups:composer_proposal": COORDINATOR_EDIT_OBJECT
    | {"admin": 302, "coordinator": 302},  # no proposal yet
    "groups:composer_move": COORDINATOR_CREATE
    | {"admin": 405, "coordinator": 405, "other_chapter_coordinator": 405},
    "groups:composer_confirm": COORDINATOR_CREATE
    | {"admin": 405, "coordinator": 405, "other_chapter_coordinator": 405},
    # --- meetings ---
    "meetings:cohort_meetings": COHORT_PEOPLE,  # the active cohort's people and the chapter's staff
    "meetings:topic_create": expect(  # members only propose topics
        anonymous=LOGIN,
        admin=403,
        coordinator=403,
        other_chapter_coordinator=404,
        facilitator=403,
        member=200,
        sponsor=403,
        alumni=404,
        outsider=404,
    ),
    "meetings:meeting_detail": COHORT_PEOPLE,
    "meetings:vote_toggle": everyone(405),  # POST only
    "meetings:attendance": FACILITATOR_REDIRECT,  # the sample meeting has not started: back to its page
    "meetings:meeting_ics": COHORT_PEOPLE,  # as the meeting page
    "meetings:meeting_create": FACILITATOR_PAGE,  # in the active cohort
    "meetings:meeting_edit": FACILITATOR_PAGE,  # the sample meeting is ahead: it can change
    "meetings:meeting_cancel": FACILITATOR_PAGE,
    "meetings:document_create": FACILITATOR_PAGE,
    "meetings:document_download": COHORT_PEOPLE,  # as the meeting page
    "meetings:document_delete": everyone(405),  # POST only
    "meetings:action_items": FACILITATOR_REDIRECT,  # the sample meeting has not started: back to its page
    "meetings:action_item_done": everyone(405),  # POST only
    "meetings:action_item_delete": everyone(405),  # POST only
    "meetings:my_actions": everyone(200),  # each person's own roadmap (empty for most)
    "meetings:calendar_feed": everyone(200, anonymous=200),  # the token is the credential, whoever opens it
    "meetings:rsvp_link": everyone(200, anonymous=200),  # the signed token decides, whoever opens it
    "meetings:rsvp": everyone(405),  # POST only
    "meetings:agenda": FACILITATOR_REDIRECT,  # the vote is still open: back to the meeting page
    "meetings:urgent": expect(
        anonymous=LOGIN,
        admin=200,
        coordinator=200,
        other_chapter_coordinator=404,
        facilitator=200,
        member=403,
        sponsor=403,
        alumni=404,
        outsider=404,
    ),
    # --- plenaries ---
    "plenaries:plenary_list": everyone(200),  # the plenaries each may see (none for the outsider)
    "plenaries:plenary_create": COORDINATOR_CREATE,
    "plenaries:plenary_detail": PLENARY_PEOPLE,
    "plenaries:plenary_edit": PLENARY_MANAGERS,
    "plenaries:plenary_cancel": PLENARY_MANAGERS,
    "plenaries:register": everyone(405),  # POST only
    "plenaries:confirm_offer": everyone(405),
    "plenaries:cancel_mine": everyone(405),
    "plenaries:program_item_create": PLENARY_MANAGERS,
    "plenaries:program_item_edit": PLENARY_MANAGERS,
    "plenaries:program_item_delete": everyone(405),
    "plenaries:registrations": PLENARY_MANAGERS,
    "plenaries:register_someone": everyone(405),
    "plenaries:cancel_someone": everyone(405),
    "plenaries:set_quota": everyone(405),
    "plenaries:door": PLENARY_DOOR,
    "plenaries:attendees_pdf": PLENARY_DOOR,  # the welcome desk's list: facilitators at the door too
    "plenaries:attendees_csv": PLENARY_MANAGERS,  # e-mail addresses: the managers only
    "plenaries:badges_pdf": PLENARY_MANAGERS,
    "plenaries:door_check_in": everyone(405),
    "plenaries:door_undo": everyone(405),
    "plenaries:network_list": NETWORK_READERS | {"other_chapter_coordinator": 200},
    "plenaries:network_create": COORDINATOR_CREATE,
    "plenaries:network_detail": NETWORK_READERS,
    "plenaries:network_edit": NETWORK_READERS
    | {"facilitator": 403, "member": 403, "sponsor": 403, "alumni": 403},
    # --- allauth: accounts ---
    "account_login": everyone(Redirect("home"), anonymous=200),
    "account_logout": everyone(200, anonymous=Redirect("home")),  # GET: the confirmation page
    "account_inactive": everyone(200, anonymous=200),
    "account_signup": everyone(Redirect("home"), anonymous=200),  # closed: "sign-up is closed" page
    "account_reauthenticate": everyone(200),
    "account_request_reauthentication_code": everyone(200),
    "account_confirm_reauthentication_code": everyone(Redirect("account_request_reauthentication_code")),
    "account_email": everyone(200),
    "account_email_verification_sent": everyone(200, anonymous=200),
    "account_confirm_email": everyone(200, anonymous=200),  # bogus key: "invalid link" page
    "account_change_password": everyone(200),
    "account_set_password": everyone(Redirect("account_change_password")),  # users have a password
    "account_reset_password": everyone(200, anonymous=200),
    "account_reset_password_done": everyone(200, anonymous=200),
    "account_reset_password_from_key": everyone(200, anonymous=200),  # bogus key: "bad token" page
    "account_reset_password_from_key_done": everyone(200, anonymous=200),
    "account_confirm_login_code": everyone(Redirect("home"), anonymous=Redirect("account_login")),
    # --- allauth: two-factor authentication (nobody has an authenticator here) ---
    "mfa_index": everyone(200),
    "mfa_authenticate": everyone(Redirect("home"), anonymous=Redirect("account_login")),
    "mfa_reauthenticate": everyone(Redirect("account_reauthenticate")),
    "mfa_activate_totp": everyone(Redirect("account_reauthenticate")),  # force_login is not recent
    "mfa_deactivate_totp": everyone(404),  # no TOTP to deactivate
    "mfa_view_recovery_codes": everyone(404),
    "mfa_generate_recovery_codes": everyone(Redirect("account_reauthenticate")),
    "mfa_download_recovery_codes": everyone(404),
    # --- Django admin: the index and every registered model's changelist ---
    "admin:index": ADMIN_ONLY,
    **{
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist": ADMIN_ONLY
        for model in django_admin.site._registry
    },
}

# Patterns that exist only under some settings: expected when present, not required.
OPTIONAL = {
    # plato/urls.py never serves MEDIA_ROOT (invoices and exports are private, served by checked
    # views; tests/billing/test_views.py asserts /media/ is a 404). Kept so that a debug-only
    # media pattern, if one is ever added, is walked rather than failing discovery.
    "<unnamed> ^media/(?P<path>.*)$": everyone(404, anonymous=404),  # a file that does not exist
}

# The rest of the admin namespace. The admin itself answers some GETs with a redirect or
# a refusal; non-staff users and anonymous ones get the same as on the index.
ADMIN_OWN_ANSWERS = {
    "admin:login": Redirect("admin:index"),  # already signed in as staff
    "admin:logout": 405,  # POST only
    "admin:autocomplete": 403,  # without its query parameters
    "admin:view_on_site": 302,  # to the company's own page
    # The competitor rule's audit log is read-only, even for administrators.
    "admin:groups_competitoroverride_add": 403,
    "admin:groups_competitoroverride_delete": 403,
    # Sponsors are added from the cohort page, where the 3-sponsor limit is checked.
    "admin:groups_sponsorship_add": 403,
    "admin:groups_sponsorship_delete": 403,
    # Candidates come from the application form, the import or the coordinator's page.
    "admin:groups_candidate_add": 403,
    # A member's place ends; it is never deleted (their history hangs on it).
    "admin:groups_membership_delete": 403,
    # Meetings and topics change through the app, which tells the people concerned.
    "admin:meetings_meeting_add": 403,
    # Invoices are issued, cancelled and paid through the services, never in the admin.
    "admin:billing_invoice_add": 403,
    "admin:billing_invoice_delete": 403,
    # Plenaries and registrations change through the app (places, waiting list, e-mails).
    "admin:plenaries_plenary_add": 403,
    "admin:plenaries_plenary_delete": 403,
    "admin:plenaries_registration_add": 403,
    "admin:plenaries_registration_delete": 403,
    "admin:meetings_meeting_delete": 403,
    "admin:meetings_topic_add": 403,
    "admin:meetings_topic_delete": 403,
}


def admin_rule(key: str) -> dict:
    staff_answer = ADMIN_OWN_ANSWERS.get(key, 200)
    if key.startswith("admin:<unnamed>"):
        # "<app>/<model>/<id>/" redirects to the change page; the catch-all answers 404.
        staff_answer = 404 if "(?P<url>" in key else 302
    if key == "admin:login":
        # The login page itself refuses non-staff users directly, no redirect first.
        return (
            ADMIN_ONLY
            | {"admin": staff_answer}
            | {role: 403 for role in ROLES if role not in ("anonymous", "admin")}
            | {"anonymous": LOGIN}
        )
    return ADMIN_ONLY | {"admin": staff_answer}


def expectations_for(key: str) -> dict | None:
    if key in EXPECTED:
        return EXPECTED[key]
    if key in OPTIONAL:
        return OPTIONAL[key]
    if key.startswith("admin:"):
        return admin_rule(key)
    return None


# --- Checking one response -------------------------------------------------------------


def check(client, path: str, expected) -> str | None:
    """None if the GET answers as expected, else what happened instead."""
    if isinstance(expected, AdminSignIn):
        response = client.get(path, follow=True)
        chain = response.redirect_chain
        if not chain:
            return f"{response.status_code} without a redirect"
        if expected.final_status == 200:  # anonymous: must end on the app's sign-in page
            final_path = urlparse(chain[-1][0]).path
            if final_path != reverse("account_login") or response.status_code != 200:
                return f"ended on {final_path} with {response.status_code}"
        elif response.status_code != expected.final_status:
            return f"redirects {[url for url, _ in chain]} then {response.status_code}"
        return None
    response = client.get(path)
    if isinstance(expected, SignIn):
        if response.status_code != 302:
            return f"{response.status_code}"
        location = urlparse(response["Location"])
        next_urls = parse_qs(location.query).get("next", [])
        if location.path != reverse("account_login") or next_urls != [path]:
            return f"302 → {response['Location']}"
        return None
    if isinstance(expected, Redirect):
        if response.status_code != 302:
            return f"{response.status_code}"
        location = urlparse(response["Location"]).path
        if location != reverse(expected.to):
            return f"302 → {location}"
        return None
    if response.status_code != expected:
        extra = f" → {response['Location']}" if response.status_code in (301, 302) else ""
        return f"{response.status_code}{extra}"
    return None


# --- The tests -------------------------------------------------------------------------


def test_every_url_has_an_expectation():
    """A new URL must come with its row in EXPECTED (or fall under the admin rule)."""
    missing = sorted(key for key in DISCOVERED if expectations_for(key) is None)
    stale = sorted(set(EXPECTED) - set(DISCOVERED))

    assert not missing, (
        "These URL patterns have no expected statuses; add them to EXPECTED in "
        f"tests/plato/test_permissions.py: {missing}"
    )
    assert not stale, f"EXPECTED lists URL names that no longer exist: {stale}"


def test_url_discovery_finds_every_app_and_the_admin():
    keys = set(DISCOVERED)

    assert {
        "home",
        "healthz",
        "members:company_detail",
        "groups:chapter_update",
        "account_login",
        "mfa_index",
        "admin:index",
        "admin:members_company_change",
    } <= keys
    assert any(key.startswith("admin:<unnamed>") for key in keys)


def test_admin_expectations_cover_every_registered_model():
    changelists = {key for key in EXPECTED if key.endswith("_changelist")}

    assert "admin:members_company_changelist" in changelists
    assert "admin:groups_chapter_changelist" in changelists
    assert len(changelists) == len(django_admin.site._registry)


@pytest.mark.parametrize("key", sorted(key for key in DISCOVERED if expectations_for(key)))
def test_url_answers_each_role_as_expected(key, samples):
    expected_by_role = expectations_for(key)
    path = sample_path(key, samples)
    failures = []

    for role in ROLES:
        outcome = check(samples["clients"][role], path, expected_by_role[role])
        if outcome is not None:
            failures.append(f"{role}: expected {expected_by_role[role]}, got {outcome}")

    assert not failures, f"GET {path} ({key}):\n  " + "\n  ".join(failures)


# (This module's tests share `samples`; the function-scoped role fixtures would clash with it.)


def test_staff_mfa_required_sends_every_staff_role_to_totp_setup(settings, samples):
    settings.PLATO_REQUIRE_STAFF_MFA = True
    clients = samples["clients"]

    for role in ("admin", "coordinator", "facilitator"):
        response = clients[role].get(reverse("members:company_list"))
        assert response.status_code == 302, role
        assert urlparse(response["Location"]).path == reverse("mfa_activate_totp"), role
    for role in ("member", "sponsor", "alumni"):
        assert clients[role].get(reverse("home")).status_code == 200, role
