"""What the browser tests share: Debian's Chromium, a French desktop page, signing in.

Playwright drives /usr/bin/chromium (never a downloaded browser). Screenshots are for
people to look at, not compared: they go to /tmp/shots/.
"""

import os
from pathlib import Path

import pytest

from tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path("/tmp/shots")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; Django would then refuse
    # the ORM calls the fixtures make here unless told they are safe (they are: sync code).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    """A French desktop page (1280 px)."""
    context = browser.new_context(locale="fr-FR", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def sign_in(page, base_url: str, email: str, password: str = PASSWORD) -> None:
    """Through the real sign-in form, as a person would."""
    from playwright.sync_api import expect

    page.goto(f"{base_url}/accounts/login/")
    page.fill('input[name="login"]', email)
    page.fill('input[name="password"]', password)
    page.locator('form:has(input[name="password"]) button[type="submit"]').click()
    expect(page).to_have_url(f"{base_url}/")
