"""Each role signs in through the real sign-in form in Chromium and lands on its French home.

Screenshots (not compared, for people to look at) go to /tmp/shots/browser_<role>.png
(1280 px wide) and /tmp/shots/browser_<role>_390.png (a phone, 390 px wide).
"""

import pytest

from tests.browser.conftest import SHOTS
from tests.factories import PASSWORD
from tests.french import ADMINISTRATOR, ALUMNI, COORDINATOR, FACILITATOR, HELLO, HOME, MEMBER, SPONSOR, fr

pytestmark = pytest.mark.browser  # Chromium and the page: tests/browser/conftest.py

# French text that only this role's home page shows: its own data, in the French page.
ROLE_HOME = {
    "admin": ["Plato 56 — CCI du Morbihan", "Plato 35 — CCI Ille-et-Vilaine"],
    "coordinator": ["Plato 56 — CCI du Morbihan", "Kerlann Informatique"],
    "facilitator": ["Golfe du Morbihan", "Kerlann Informatique"],
    "member": ["Golfe du Morbihan", "Catherine Le Bras"],
    "sponsor": ["Golfe du Morbihan", "Gwenaël Le Floch"],
    "alumni": ["Pays de Lorient", "Armor Marée Distribution"],
}


ROLE_LABEL = {
    "admin": ADMINISTRATOR,
    "coordinator": COORDINATOR,
    "facilitator": FACILITATOR,
    "member": MEMBER,
    "sponsor": SPONSOR,
    "alumni": ALUMNI,
}


@pytest.mark.parametrize("role", list(ROLE_HOME))
def test_role_signs_in_through_the_form_and_reaches_its_french_home(role, request, live_server, page):
    from playwright.sync_api import expect

    user = request.getfixturevalue(role)
    request.getfixturevalue("users")  # the whole world, so that the home pages have data
    request.getfixturevalue("other_company")

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    page.fill('input[name="login"]', user.email)
    page.fill('input[name="password"]', PASSWORD)
    page.locator('form:has(input[name="password"]) button[type="submit"]').click()

    expect(page).to_have_url(f"{live_server.url}/")
    main = page.locator("main")
    for text in ROLE_HOME[role]:
        expect(main.get_by_text(text).first).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"browser_{role}.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    for text in ROLE_HOME[role]:
        expect(main.get_by_text(text).first).to_be_visible()
    page.screenshot(path=SHOTS / f"browser_{role}_390.png", full_page=True)

    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("link", name=fr(HOME)).first).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(fr(HELLO, name=user.first_name), timeout=2_000)
    expect(main.get_by_text(fr(ROLE_LABEL[role]), exact=True).first).to_be_visible(timeout=2_000)


def test_wrong_password_is_refused_in_french(live_server, page, member):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill('input[name="login"]', member.email)
    page.fill('input[name="password"]', "not-the-password")
    page.locator('form:has(input[name="password"]) button[type="submit"]').click()

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.locator('input[name="login"]')).to_have_value(member.email)  # nothing typed is lost
    expect(page.locator(".alert-danger, .invalid-feedback").first).to_contain_text("mot de passe")
