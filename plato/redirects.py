"""Where a `next` parameter may send someone back to: a path of this site, nothing else.

Every view that honours `next` goes through `redirect_next` (tests/plato/test_redirects.py
fails for a view of ours reading `next` another way). `redirect()` must never see the
value itself: it reads a bare word such as "roadmap" as a URL name and fails after the
action was written. Django's host check alone is not enough either: it accepts a bare
word (a path relative to the current page) and leaves control characters, which a
Location header refuses.
"""

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

# Longer than any page of the app with its filters; a 10,000-character `next` is not one.
MAX_LENGTH = 2000


def is_local_path(target: str) -> bool:
    """An absolute path of this site ("/meetings/4/"), with no scheme, host or control
    character, and not one that browsers read as another host ("//evil", "/\\evil")."""
    if not target or len(target) > MAX_LENGTH or not target.startswith("/"):
        return False
    if target.startswith(("//", "/\\")) or "\\" in target:
        return False
    if any(ord(character) < 32 or ord(character) == 127 for character in target):
        return False
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return False
    return url_has_allowed_host_and_scheme(target, allowed_hosts=None, require_https=False)


def next_path(request: HttpRequest, default: str) -> str:
    """The request's `next` (posted, else in the query string) if it is a local path, else
    `default` (a path the caller built with `reverse` or `get_absolute_url`)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if is_local_path(target) else default


def redirect_next(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """Back to the request's `next` when it is a path of this site, else to `default`."""
    return HttpResponseRedirect(next_path(request, default))
