"""A member's company applies again through the public form, in Chromium: the visitor
gets the usual thank-you page; the coordinator finds the application on the candidates'
list and page, marked as a duplicate of the member's place, on a desktop and on a phone.

Screenshots (for people, not compared) go to /tmp/shots/duplicate_*.png.
"""

import pytest

from groups.enums import CandidateState
from members.identifiers import make_siret
from tests import factories
from tests.browser.conftest import PHONE, sign_in

pytestmark = pytest.mark.browser


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_members_application_is_thanked_and_shown_to_the_coordinator_as_a_duplicate(
    live_server, browser, page, chapter, member_membership, coordinator, shots
):
    from playwright.sync_api import expect

    base = live_server.url
    factories.CandidateFactory(chapter=chapter, state=CandidateState.NEW, company_name="Pâtisserie Ty Kouign")
    factories.CandidateFactory(
        chapter=chapter,
        state=CandidateState.QUALIFIED,
        company_name="Hôtel des Vénètes",
        siret=make_siret(91),
    )
    company = member_membership.company

    # --- The visitor applies with the member's SIRET ------------------------------------------
    page.goto(f"{base}/apply/{chapter.code}/")
    page.fill('input[name="company_name"]', "Kerlann Info (nouvelle candidature)")
    page.fill('input[name="siret"]', company.siret)
    page.fill('input[name="naf_code"]', "62.01Z")
    page.select_option('select[name="size_band"]', "micro")
    page.fill('input[name="postcode"]', "56000")
    page.fill('input[name="town"]', "Vannes")
    page.fill('input[name="first_name"]', "Gwenaël")
    page.fill('input[name="last_name"]', "Le Floch")
    page.fill('input[name="email"]', "gwenael@kerlann.test")
    page.fill('input[name="phone"]', "06 12 34 56 78")
    page.check('input[name="consent"]')
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{base}/apply/{chapter.code}/thanks/")

    # --- The coordinator sees it marked -------------------------------------------------------
    sign_in(page, base, coordinator.email)
    page.goto(f"{base}/chapters/{chapter.code}/candidates/")
    row = page.locator("tr", has_text="Kerlann Info (nouvelle candidature)")
    expect(row.locator(".state-duplicate")).to_be_visible()
    expect(row.locator(".duplicate-why")).to_contain_text("Golfe du Morbihan")
    expect(page.locator("tr", has_text="Pâtisserie Ty Kouign").locator(".state-duplicate")).to_have_count(0)
    page.screenshot(path=str(shots / "duplicate_list_desktop.png"), full_page=True)

    row.locator("a", has_text="Kerlann Info").click()
    alert = page.locator(".duplicate-alert")
    expect(alert).to_be_visible()
    expect(alert.locator(f'a[href="{member_membership.cohort.get_absolute_url()}"]')).to_be_visible()
    page.screenshot(path=str(shots / "duplicate_detail_desktop.png"), full_page=True)
    detail_url = page.url

    # --- The same on a phone ------------------------------------------------------------------
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/chapters/{chapter.code}/candidates/")
    expect(page.locator(".state-duplicate").first).to_be_visible()
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(shots / "duplicate_list_phone.png"), full_page=True)
    page.goto(detail_url)
    expect(page.locator(".duplicate-alert")).to_be_visible()
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(shots / "duplicate_detail_phone.png"), full_page=True)
