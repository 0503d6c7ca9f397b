"""`next` sends people back to a page of this site, never elsewhere and never to an error.

Every view that reads `next` is in NEXT_READERS and receives every hostile value; a view
of ours reading `next` without plato/redirects.py fails `test_our_views_read_next_only_through_the_helper`.
"""

import inspect
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from meetings.models import ActionItem
from plato.redirects import is_local_path
from tests import factories
from tests.urlwalk import resolve_callback, walk

HOSTILE_NEXT = [
    "roadmap",
    "//evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/\\evil.example",
    "/my/actions/\r\nSet-Cookie: stolen=1",
    "/" + "a" * 10_000,
    "",
]

BASE_DIR = Path(settings.BASE_DIR)
OUR_APPS = ("plato", "members", "groups", "meetings", "plenaries", "billing", "documents")


@pytest.mark.parametrize("target", ["/", "/my/actions/", "/meetings/4/?tab=roadmap#actions"])
def test_a_local_path_is_taken(target):
    assert is_local_path(target)


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_anything_else_is_not(target):
    assert not is_local_path(target)


# --- Every view that reads `next` -----------------------------------------------------------


@pytest.fixture
def action_item(member, cohort):
    meeting = factories.MeetingFactory(cohort=cohort, starts_at=factories._in_days(-30))
    return factories.ActionItemFactory(meeting=meeting, person=member, text="Appeler deux banquiers")


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# URL name → (client maker, path maker, data, where it goes without a usable `next`).
NEXT_READERS = {
    "meetings:action_item_done": (
        lambda people: _signed_in(people["member"]),
        lambda people: reverse("meetings:action_item_done", kwargs={"pk": people["action_item"].pk}),
        {"done": "1"},
        lambda people: reverse("meetings:my_actions"),
    ),
    "set_language": (
        lambda people: _signed_in(people["member"]),
        lambda people: reverse("set_language"),
        {"language": "fr"},
        None,  # Django's view: the Referer, else "/"
    ),
    "account_logout": (
        lambda people: _signed_in(people["member"]),
        lambda people: reverse("account_logout"),
        {},
        None,  # allauth's: its own default
    ),
    "account_login": (
        lambda people: Client(),
        lambda people: reverse("account_login"),
        {"login": "member@plato.test", "password": factories.PASSWORD},
        None,
    ),
}


@pytest.mark.parametrize("name", sorted(NEXT_READERS))
@pytest.mark.parametrize("target", HOSTILE_NEXT, ids=lambda value: repr(value[:30]))
def test_hostile_next_never_fails_nor_leaves_the_site(name, target, member, action_item):
    make_client, make_path, data, default = NEXT_READERS[name]
    people = {"member": member, "action_item": action_item}

    response = make_client(people).post(make_path(people), data | {"next": target})

    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        location = urlparse(response["Location"])
        assert not location.scheme and not location.netloc, response["Location"]
        assert "\n" not in response["Location"] and "\r" not in response["Location"]
        if default is not None:
            assert response["Location"] == default(people)


def test_action_done_with_a_bare_word_as_next_is_written_and_goes_to_the_roadmap(member, action_item):
    response = _signed_in(member).post(
        reverse("meetings:action_item_done", kwargs={"pk": action_item.pk}), {"done": "1", "next": "roadmap"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:my_actions")
    assert ActionItem.objects.get(pk=action_item.pk).done


def test_action_done_goes_back_to_the_page_it_came_from(member, action_item):
    page = action_item.meeting.get_absolute_url() + "#actions"

    response = _signed_in(member).post(
        reverse("meetings:action_item_done", kwargs={"pk": action_item.pk}), {"done": "1", "next": page}
    )

    assert response["Location"] == page


READS_NEXT = re.compile(r"""(POST|GET|REQUEST)(\.get\(\s*|\[\s*)["']next["']""")


def test_our_views_read_next_only_through_the_helper():
    """A view of ours reading `next` by itself would skip the local-path check."""
    readers = [
        f"{path.relative_to(BASE_DIR)}:{number}"
        for app in OUR_APPS
        for path in (BASE_DIR / app).rglob("*.py")
        if path.name != "redirects.py" and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if READS_NEXT.search(line)
    ]

    assert not readers, f"read `next` through plato.redirects.redirect_next instead: {readers}"


def _source_of_view(callback) -> str:
    """The view's own code: the function (decorators unwrapped) or the class and its bases of our apps."""
    view_class = getattr(callback, "view_class", None)
    if view_class is None:
        return inspect.getsource(inspect.unwrap(callback))
    return "\n".join(
        inspect.getsource(cls) for cls in view_class.__mro__ if cls.__module__.split(".")[0] in OUR_APPS
    )


def test_every_view_reading_next_is_walked():
    """A view of ours sending people to `next` (through the helper) must be in NEXT_READERS."""
    readers = set()
    for url in walk():
        if url.name is None or url.namespace == "admin":
            continue
        callback = resolve_callback(url)
        if callback.__module__.split(".")[0] in OUR_APPS and "redirect_next(" in _source_of_view(callback):
            readers.add(url.name)

    assert readers, "the walk found no view reading `next`: it no longer sees them"
    assert readers <= set(NEXT_READERS), (
        f"add these views to NEXT_READERS: {sorted(readers - set(NEXT_READERS))}"
    )
