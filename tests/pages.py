"""What a page shows, asserted with short failure messages (not the whole page), and the
language it is asked in."""

import re

from django.conf import settings
from django.test import Client
from django.utils.html import escape


def in_english(client: Client) -> Client:
    """The client asks for English pages: the texts a test looks for are the English msgids,
    stable whatever the French catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page_text(response) -> str:
    return response.content.decode()


def _visible(html: str) -> str:
    """The page's text without tags, to quote in failure messages."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()


def assert_shows(response, *texts: str) -> None:
    html = page_text(response)
    missing = [text for text in texts if str(escape(text)) not in html]
    if missing:
        raise AssertionError(
            f"{response.request['PATH_INFO']} does not show {missing}; it shows: {_visible(html)[:1500]!r}"
        )


def assert_hides(response, *texts: str) -> None:
    html = page_text(response)
    leaked = [text for text in texts if str(escape(text)) in html]
    if leaked:
        raise AssertionError(f"{response.request['PATH_INFO']} shows {leaked}, which it must not")
