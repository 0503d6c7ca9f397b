"""Per-user limits on requests that cost the server: a PDF rendered in the request.

WeasyPrint takes a second or more of CPU for a certificate or a directory; a script (or
a stuck key) asking for them in a loop would take the workers of every other user. The
limits are allauth's rate limits (`ACCOUNT_RATE_LIMITS`, counted in the cache like the
sign-in's), e.g. "plato_pdf": "20/m/user,200/h/user". A refusal is a page that says
what happened and when to try again (429), never an error page.
"""

from functools import wraps
from http import HTTPStatus

from allauth.core.internal import ratelimit as _allauth_ratelimit
from django.shortcuts import render
from django.utils.translation import gettext as _

PDF = "plato_pdf"
RETRY_AFTER_SECONDS = 60


def allowed(request, action: str) -> bool:
    """Count one request of the signed-in user for `action`; False once over a limit.

    allauth's public `consume` never limits a GET (its limits guard forms); its
    implementation takes `limit_get`. allauth is pinned in requirements.lock, and
    tests/plato/test_files.py fails if an upgrade changes this."""
    usage = _allauth_ratelimit.consume(
        request, app="allauth.account", action=action, user=request.user, limit_get=True
    )
    return usage is not None


def too_many(request, message: str):
    response = render(request, "429.html", {"message": message}, status=HTTPStatus.TOO_MANY_REQUESTS)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def pdf_throttled(view):
    """For a view (or a class-based view's `get`, through method_decorator) that renders
    a PDF in the request: the user's PDFs are counted; over the limit, a 429 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not allowed(request, PDF):
            return too_many(
                request,
                _(
                    "You asked for many documents in a short time. Wait a minute, then try again: "
                    "the cohort's certificates also come as a single file."
                ),
            )
        return view(request, *args, **kwargs)

    return wrapper
