"""Every file the app serves, found by walking every URL as every role (the samples of the
URL × role table, tests/plato/test_permissions.py):

- each file (a Content-Disposition, or a file's content type) says
  `Cache-Control: private, no-store` (plato/http.py `private_file_response`);
- each CSV comes from a URL listed in tests/plato/test_csv.py `CSV_VIEWS`, where its
  cells are checked against formula injection with hostile data;
- each PDF rendered in the request (not streamed from storage) is throttled per user
  (plato/throttle.py): with a limit of one, the second one is a 429 page.

A new file view is walked as soon as its URL has its row in the table.
"""

import pytest
from django.core.cache import cache
from django.http import StreamingHttpResponse
from django.utils import translation

from tests.plato.test_csv import CSV_VIEWS
from tests.plato.test_permissions import expectations_for
from tests.samples import DISCOVERED, sample_path
from tests.world import ROLES

FILE_TYPES = (
    "application/pdf",
    "text/csv",
    "text/calendar",
    "application/octet-stream",
    "application/zip",
    "application/vnd.",  # spreadsheets, office documents
    "image/",
)


def is_file(response) -> bool:
    content_type = response.get("Content-Type", "")
    return "Content-Disposition" in response or content_type.startswith(FILE_TYPES)


def cache_directives(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Cache-Control", "").split(",") if part.strip()}


WALKED = sorted(key for key in DISCOVERED if expectations_for(key))


def is_rendered_pdf(response) -> bool:
    """A PDF made in the request; a stored one (an invoice, a roster) is streamed."""
    return response.get("Content-Type", "").startswith("application/pdf") and not isinstance(
        response, StreamingHttpResponse
    )


@pytest.mark.parametrize("key", WALKED)
def test_every_file_is_private_and_every_csv_view_is_listed(key, samples, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "plato_pdf": "1/m/user"}
    path = sample_path(key, samples)
    failures = []

    for role in ROLES:
        cache.clear()  # each role's first request is within the limit
        client = samples["clients"][role]
        response = client.get(path)
        if not is_file(response):
            continue
        if is_rendered_pdf(response):
            again = client.get(path)
            if again.status_code != 429 or "Retry-After" not in again:
                failures.append(
                    f"{role}: a PDF rendered in the request is not throttled ({again.status_code})"
                )
        directives = cache_directives(response)
        if (
            not {"private", "no-store"} <= directives
            or "public" in directives
            or any(
                directive.startswith(("max-age=", "s-maxage=")) and directive != "max-age=0"
                for directive in directives
            )
        ):
            failures.append(f"{role}: Cache-Control {response.get('Cache-Control')!r}")
        if response["Content-Type"].startswith("text/csv") and key not in CSV_VIEWS:
            failures.append(f"{role}: a CSV from a URL missing in tests/plato/test_csv.py CSV_VIEWS")

    assert not failures, f"GET {path} ({key}):\n  " + "\n  ".join(failures)


# The file views of today, with what their sample answers: the walk must meet each one,
# otherwise it would pass without looking at it.
KNOWN_FILES = {
    "billing:attendance_certificate": "application/pdf",
    "billing:cohort_attendance_certificates": "application/pdf",
    "billing:cohort_directory_pdf": "application/pdf",
    "billing:export_download": "application/pdf",
    "billing:invoice_export": "text/csv",
    "billing:invoice_pdf": "application/pdf",
    "billing:membership_certificate": "application/pdf",
    "meetings:calendar_feed": "text/calendar",
    "meetings:document_download": "application/pdf",
    "meetings:meeting_ics": "text/calendar",
    "plenaries:attendees_csv": "text/csv",
    "plenaries:attendees_pdf": "application/pdf",
    "plenaries:badges_pdf": "application/pdf",
}


def test_the_walk_meets_every_file_view(samples):
    served = {}
    for key in KNOWN_FILES:
        path = sample_path(key, samples)
        for role in ("admin", "member", "alumni"):
            response = samples["clients"][role].get(path)
            if is_file(response):
                served[key] = response["Content-Type"].split(";")[0]
                break

    assert served == KNOWN_FILES
    assert set(CSV_VIEWS) <= set(KNOWN_FILES)


def test_the_throttled_pdf_says_why_and_when_to_try_again(samples, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "plato_pdf": "2/m/user"}
    cache.clear()
    client = samples["clients"]["coordinator"]
    certificate = sample_path("billing:membership_certificate", samples)
    directory = sample_path("billing:cohort_directory_pdf", samples)

    answers = [client.get(certificate), client.get(directory), client.get(certificate)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    refused = answers[-1]
    assert refused["Retry-After"] == "60"
    assert refused["Content-Type"].startswith("text/html")
    with translation.override("fr"):
        expected = translation.gettext("Please wait a moment")
    assert expected in refused.content.decode()
    # another person is not held up by the coordinator's count
    assert samples["clients"]["admin"].get(certificate).status_code == 200


@pytest.mark.django_db
def test_the_mfa_recovery_codes_download_of_allauth_is_private_too(client):
    """The one file a view of another package sends (the codes open the account): the
    walk above meets it as a 404 only (nobody of the samples has codes), so it is asked
    here with codes and a fresh sign-in. allauth marks it never-cache itself."""
    import time

    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from django.urls import reverse

    from tests import factories

    user = factories.UserFactory()
    RecoveryCodes.activate(user)
    user.refresh_from_db()  # a new authenticator renews the session stamp (members.receivers)
    client.force_login(user)
    session = client.session
    session["account_authentication_methods_user"] = str(user.pk)  # signed in just now
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session.save()

    response = client.get(reverse("mfa_download_recovery_codes"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert {"private", "no-store"} <= cache_directives(response)
