"""A full plenary, from the waiting list to the door: an alumni on a phone (390 × 844,
touch) joins the waiting list of their chapter's full departmental plenary, a registered
member cancels from their own desktop browser, the alumni is offered the place by e-mail,
follows the e-mail's link and confirms; then the coordinator, on a phone at the door,
finds the alumni by their name typed without accents and checks them in with one tap.

Everything the people do goes through the pages; only the arrange part (the plenary and
the two members already registered) calls services. Tasks run inline and e-mail goes to
Django's outbox. Each page is watched for console errors and, at 390 px, for a
horizontal scroll. Screenshots (for people, not compared): /tmp/shots/plenary_*.png.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import formats, timezone, translation

from plenaries import selectors, services
from plenaries.enums import RegistrationState
from plenaries.models import Registration
from tests import factories
from tests.browser.conftest import DESKTOP, PHONE, sign_in

pytestmark = pytest.mark.browser


class Watched:
    """A browser context whose pages record console errors and uncaught exceptions."""

    def __init__(self, browser, viewport, *, phone: bool):
        options = {"locale": "fr-FR", "viewport": viewport}
        if phone:
            options |= {"is_mobile": True, "has_touch": True}
        self.context = browser.new_context(**options)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.errors: list[str] = []
        self.page.on(
            "console",
            lambda message: (
                self.errors.append(f"{self.page.url}: {message.text}") if message.type == "error" else None
            ),
        )
        self.page.on("pageerror", lambda error: self.errors.append(f"{self.page.url}: {error}"))
        # The cancel buttons ask "are you sure?" (window.confirm): the person says yes.
        self.page.on("dialog", lambda dialog: dialog.accept())

    def fits_the_phone(self) -> None:
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{self.page.url} scrolls sideways at 390 px ({width} px wide)"

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser):
    """`watched(phone=True)` → a new signed-out browser; all closed after the test."""
    opened = []

    def _open(*, phone: bool) -> Watched:
        opened.append(Watched(browser, PHONE if phone else DESKTOP, phone=phone))
        return opened[-1]

    yield _open
    for each in opened:
        each.close()


@pytest.fixture
def full_plenary(transactional_db, chapter, cohort):
    """Plato 56's spring plenary in three weeks, two places, both taken by members of the
    active cohort; a short program."""
    starts_at = timezone.localtime() + datetime.timedelta(days=21)
    starts_at = starts_at.replace(hour=14, minute=0, second=0, microsecond=0)
    plenary = factories.PlenaryFactory(
        chapter=chapter,
        title="Plénière de printemps du Morbihan",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=4),
        registration_closes_at=starts_at - datetime.timedelta(days=5),
        venue_name="Palais des Arts et des Congrès",
        capacity=2,
    )
    factories.ProgramItemFactory(plenary=plenary, title="Accueil et café", speakers="")
    factories.ProgramItemFactory(
        plenary=plenary,
        starts_at=datetime.time(14, 30),
        ends_at=datetime.time(15, 30),
        title="Transmettre son entreprise : témoignages",
        speakers="Yann Le Gall, Morgane Le Roux",
    )
    registered = [
        factories.MembershipFactory(
            cohort=cohort,
            company__name=company,
            person__email=email,
            person__first_name=first_name,
            person__last_name=last_name,
        ).person
        for email, first_name, last_name, company in (
            ("annaig@kerbrat.test", "Annaïg", "Kerbrat", "Conserverie Kerbrat"),
            ("erwan@morvan.test", "Erwan", "Morvan", "Morvan Menuiserie"),
        )
    ]
    for person in registered:
        assert services.register(plenary, person, actor=person).state == RegistrationState.REGISTERED
    assert selectors.usage(plenary).free == 0
    return plenary, registered


def french_datetime(moment: datetime.datetime, pattern: str) -> str:
    with translation.override("fr"):
        return formats.date_format(timezone.localtime(moment), pattern)


def test_alumni_waits_is_promoted_confirms_and_is_checked_in_at_the_door(
    live_server,
    watched,
    full_plenary,
    alumni,
    coordinator,
    mailoutbox,
    shots,
):
    from playwright.sync_api import expect

    plenary, (leaving, staying) = full_plenary
    base = live_server.url
    plenary_path = plenary.get_absolute_url()

    # --- 1. The alumni, on a phone, finds the plenary on the home page: it is full. ------------
    alumni_phone = watched(phone=True)
    phone = alumni_phone.page
    sign_in(phone, base, alumni.email)
    card = phone.locator("article", has_text=plenary.title)
    expect(card).to_contain_text("Complet : liste d’attente ouverte")
    alumni_phone.fits_the_phone()
    phone.screenshot(path=shots / "plenary_1_alumni_home_phone.png", full_page=True)
    card.get_by_role("link", name=plenary.title).click()
    expect(phone).to_have_url(base + plenary_path)

    panel = phone.locator("#registration")
    expect(panel.locator(".places-left")).to_have_text("Complet")
    join = panel.get_by_role("button", name="Rejoindre la liste d’attente")
    expect(join).to_be_visible()
    alumni_phone.fits_the_phone()
    phone.screenshot(path=shots / "plenary_2_full_phone.png", full_page=True)

    # --- 2. … joins the waiting list, and reads their rank. ----------------------------------
    join.click()
    expect(phone.locator(".alert-info")).to_contain_text("vous êtes en liste d’attente")
    expect(panel.locator(".state-badge")).to_have_text("En liste d’attente")
    expect(panel.locator(".waiting-rank")).to_contain_text("Vous êtes n° 1 sur la liste d’attente.")
    expect(panel.get_by_role("button", name="Quitter la liste d’attente")).to_be_visible()
    alumni_phone.fits_the_phone()
    phone.screenshot(path=shots / "plenary_3_waiting_phone.png", full_page=True)
    mine = Registration.objects.get(plenary=plenary, person=alumni)
    assert mine.state == RegistrationState.WAITING
    assert not [m for m in mailoutbox if m.to == [alumni.email]], "an e-mail before any place freed up"

    # --- 3. A registered member cancels from their own desktop browser. ----------------------
    member_desktop = watched(phone=False)
    desktop = member_desktop.page
    sign_in(desktop, base, leaving.email)
    desktop.goto(base + plenary_path)
    desktop.locator("#registration").get_by_role("button", name="Je ne peux plus venir").click()
    expect(desktop.locator(".alert-success")).to_contain_text("Votre inscription est annulée.")
    expect(desktop.locator("#registration .state-badge")).to_have_text("Annulée")
    desktop.screenshot(path=shots / "plenary_4_member_cancelled_desktop.png", full_page=True)
    assert Registration.objects.get(plenary=plenary, person=leaving).state == RegistrationState.CANCELLED

    # --- 4. The alumni is offered the place: the e-mail, its link, the deadline, confirm. ----
    mine.refresh_from_db()
    assert mine.state == RegistrationState.OFFERED
    assert mine.offer_expires_at is not None
    (email,) = [m for m in mailoutbox if m.to == [alumni.email]]
    day = french_datetime(plenary.starts_at, "j F")
    assert email.subject == f"[Plato] Plénière départementale du {day} : une place s’est libérée pour vous"
    html = email.alternatives[0][0]
    (link,) = re.findall(r'href="([^"]+)"[^>]*>Confirmer ma place<', html)
    assert link == settings.SITE_URL.rstrip("/") + plenary_path
    expires = french_datetime(mine.offer_expires_at, "l j F, H:i")
    assert french_datetime(mine.offer_expires_at, "H:i") in email.body

    phone.goto(base + link.removeprefix(settings.SITE_URL.rstrip("/")))
    expect(panel.locator(".state-badge")).to_have_text("Place proposée, à confirmer")
    expect(panel.locator(".offer-deadline")).to_contain_text(f"confirmez-la avant le {expires}")
    alumni_phone.fits_the_phone()
    phone.screenshot(path=shots / "plenary_5_offered_phone.png", full_page=True)

    panel.get_by_role("button", name="Je confirme ma place").click()
    expect(phone.locator(".alert-success")).to_contain_text("Votre place est confirmée.")
    expect(panel.locator(".state-badge")).to_have_text("Inscrit·e")
    expect(panel.get_by_role("button", name="Je ne peux plus venir")).to_be_visible()
    alumni_phone.fits_the_phone()
    phone.screenshot(path=shots / "plenary_6_confirmed_phone.png", full_page=True)
    mine.refresh_from_db()
    assert mine.state == RegistrationState.REGISTERED
    assert mine.checked_in_at is None

    # --- 5. At the door: the coordinator's phone, the name typed without accents, one tap. ---
    door_phone = watched(phone=True)
    door = door_phone.page
    sign_in(door, base, coordinator.email)
    door.goto(base + plenary_path)
    door.get_by_role("link", name="Accueil à l’entrée").click()
    expect(door.locator("h1")).to_have_text("Accueil à l’entrée")
    counter = door.locator("#door-counter")
    expect(counter.locator('[data-count="checked_in"]')).to_have_text("0")
    expect(counter.locator('[data-count="registered"]')).to_have_text("2")
    expect(door.locator(".door-row")).to_have_count(2)  # Erwan Morvan and the alumni
    door_phone.fits_the_phone()
    door.screenshot(path=shots / "plenary_7_door_phone.png", full_page=True)

    door.evaluate("window.notReloaded = true")
    door.locator("#door-q").press_sequentially("loic kerherve", delay=20)
    rows = door.locator("#door-results .door-row")
    expect(rows).to_have_count(1)
    row = door.locator(f"#registration-{mine.pk}")
    expect(row).to_contain_text("Loïc Kerhervé")
    expect(row).to_contain_text("Armor Marée Distribution")
    expect(door.locator("#door-results")).to_contain_text("1 personne trouvée")
    door_phone.fits_the_phone()
    door.screenshot(path=shots / "plenary_8_door_search_phone.png", full_page=True)

    row.get_by_role("button", name=re.compile("Accueillir")).tap()
    expect(row).to_have_attribute("data-checked-in", "yes")
    expect(row).to_contain_text("arrivé·e à")
    expect(row.get_by_role("button", name="Annuler l’accueil")).to_be_visible()
    expect(counter.locator('[data-count="checked_in"]')).to_have_text("1")
    expect(counter.locator('[data-count="registered"]')).to_have_text("2")
    assert door.evaluate("window.notReloaded") is True, "the tap reloaded the page instead of the row"
    door_phone.fits_the_phone()
    door.screenshot(path=shots / "plenary_9_door_checked_in_phone.png", full_page=True)

    door.reload()
    row = door.locator(f"#registration-{mine.pk}")
    expect(row).to_have_attribute("data-checked-in", "yes")
    expect(door.locator("#door-counter [data-count='checked_in']")).to_have_text("1")
    other = Registration.objects.get(plenary=plenary, person=staying)
    expect(door.locator(f"#registration-{other.pk}")).to_have_count(0)  # the search is kept
    door_phone.fits_the_phone()
    door.screenshot(path=shots / "plenary_10_door_reloaded_phone.png", full_page=True)

    checked_in = Registration.objects.filter(plenary=plenary, checked_in_at__isnull=False)
    assert list(checked_in.values_list("person", "checked_in_by")) == [(alumni.pk, coordinator.pk)]
    assert Registration.objects.filter(plenary=plenary, person=alumni).count() == 1

    errors = alumni_phone.errors + member_desktop.errors + door_phone.errors
    assert not errors, errors
    print(f"\nScreenshots: {shots}/plenary_*.png")
