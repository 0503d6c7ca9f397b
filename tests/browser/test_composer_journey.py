"""A coordinator composes cohorts in Chromium: CSV import → composer → moves → confirm → cohort.

Plato 56's coordinator signs in through the real form, imports 22 qualified candidates
from a CSV file, runs the composer, tries a move the competitor rule refuses (a baker
into the group of the other baker: error shown, proposal unchanged), makes one it allows
(message shown, person in the new group), confirms with names and a start date and finds
the moved person among the members of the right new cohort. Desktop (1280 px) first;
the proposal, the cohort list and the cohort page again on a phone (390 × 844, touch),
signed in with the same session. The allowed move is made once without JavaScript, with
the select and the "Move" button; with JavaScript the select sends its form by itself.

Selectors are URLs, ids, `name=` attributes, CSS classes and the CSV's own data, so the
test does not depend on the catalogue; French is asserted where the page is French.

Screenshots (for people, not compared) go to /tmp/shots/composer_*.png.
"""

import csv
import re
import unicodedata

import pytest

from members.identifiers import make_siret
from tests.browser.conftest import DESKTOP, PHONE, sign_in

pytestmark = pytest.mark.browser

# Twenty-two SME leaders of the Morbihan. Two pairs compete (Plato 56 compares NAF
# classes): two bakers (10.71C, 10.71D) and two electricians (43.21A, 43.21B); every
# other company has an activity class of its own.
BAKERS = ("Boulangerie Le Fournil de Conleau", "Pâtisserie Ty Kouign")
ELECTRICIANS = ("Élec Ouest Lanester", "Réseaux Lumière Bretagne")
CANDIDATES = [
    # company_name, naf_code, town, postcode, leader_first_name, leader_last_name
    (BAKERS[0], "10.71C", "Vannes", "56000", "Maëlle", "Le Corre"),
    (BAKERS[1], "10.71D", "Lorient", "56100", "Yannick", "Guégan"),
    (ELECTRICIANS[0], "43.21A", "Lanester", "56600", "Erwan", "Le Bihan"),
    (ELECTRICIANS[1], "43.21B", "Auray", "56400", "Soizic", "Jégo"),
    ("Kerné Conseil Logiciel", "62.02A", "Vannes", "56000", "Ronan", "Le Gall"),
    ("Crêperie du Port", "56.10A", "Quiberon", "56170", "Anne", "Rouxel"),
    ("Pharmacie de la Rade", "47.73Z", "Lorient", "56100", "Claire", "Tanguy"),
    ("Ingénierie Blavet", "71.12B", "Hennebont", "56700", "Loïc", "Kerhervé"),
    ("Mécanique Pontivyenne", "25.62B", "Pontivy", "56300", "Gaël", "Le Goff"),
    ("Transports Le Roux Océan", "49.41A", "Ploërmel", "56800", "Nolwenn", "Le Roux"),
    ("Hôtel des Vénètes", "55.10Z", "Sarzeau", "56370", "Tristan", "Morvan"),
    ("Garage de l'Oust", "45.20A", "Josselin", "56120", "Armelle", "Le Dû"),
    ("Cabinet Comptable Golfe Expertise", "69.20Z", "Séné", "56860", "Hervé", "Le Moal"),
    ("Centre Dentaire du Scorff", "86.23Z", "Lorient", "56100", "Katell", "Riou"),
    ("Salon Marine Coiffure", "96.02A", "Auray", "56400", "Sterenn", "Guillou"),
    ("Atelier Maintenance Atlantique", "33.12Z", "Lanester", "56600", "Pierrick", "Le Garrec"),
    ("Conserverie de Quiberon", "10.20Z", "Quiberon", "56170", "Annaïg", "Le Bourhis"),
    ("Propreté Services Morbihan", "81.21Z", "Vannes", "56000", "Jean-Yves", "Nicolas"),
    ("Agence Hermine Publicité", "73.11Z", "Vannes", "56000", "Gwendal", "Évenou"),
    ("Charpentes du Porhoët", "16.23Z", "Josselin", "56120", "Bleuenn", "Le Cam"),
    ("Affrètement Port de Lorient", "52.29B", "Lorient", "56100", "Mikaël", "Thomas"),
    ("Chantier Naval de la Trinité", "30.11Z", "Auray", "56400", "Youenn", "Le Dortz"),
]
COLUMNS = [
    "company_name",
    "siret",
    "naf_code",
    "town",
    "postcode",
    "leader_first_name",
    "leader_last_name",
    "email",
]
# What the French pages say (locale/fr's words; the selectors above do not depend on them).
FR_IMPORT, FR_IMPORTED = "Importer des candidats", "22 candidats ont été importés."
FR_COMPOSER, FR_PROPOSAL = "Composer les groupes", "Groupes proposés"
FR_GROUP, FR_MOVE, FR_CONFIRM, FR_CREATE = "Groupe", "Déplacer", "Valider la proposition", "Créer les groupes"
FR_REFUSED = (
    "ne peut pas rejoindre ce groupe"  # "%(party)s ne peut pas rejoindre ce groupe : %(other)s y figure…"
)
FR_MOVED = "passe dans le groupe"  # "Le candidat %(name)s passe dans le groupe %(number)d."
FR_CREATED = "2 groupes ont été créés, en constitution"
FR_COHORTS, FR_FORMING, FR_MEMBERS = "Groupes", "En constitution", "Membres"


def ascii_slug(text: str) -> str:
    """ "Maëlle.Le Corre" → "maelle.lecorre" (an e-mail's local part, in ASCII)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z.-]", "", folded.lower())


def write_csv(path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for seed, (company, naf, town, postcode, first, last) in enumerate(CANDIDATES, start=5_601):
            email = ascii_slug(f"{first}.{last}") + "@exemple.bzh"
            writer.writerow([company, make_siret(seed), naf, town, postcode, first, last, email])


def read_proposal(page) -> list[dict[str, str]]:
    """Each proposed group as {company name: candidate id}, in the page's order."""
    return page.locator("section.composer-group").evaluate_all(
        """sections => sections.map(section => Object.fromEntries(
            Array.from(section.querySelectorAll('.composer-member')).map(member => [
                member.querySelector('.who .fw-semibold').textContent.trim(),
                member.querySelector('input[name=candidate]').value,
            ])))"""
    )


def group_of(proposal, company: str) -> int:
    return next(index for index, group in enumerate(proposal) if company in group)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_coordinator_imports_composes_moves_and_confirms(
    request, live_server, browser, page, coordinator, cohort, shots, tmp_path
):
    from playwright.sync_api import expect

    base = live_server.url
    chapter_url = f"{base}/chapters/56"
    sign_in(page, base, coordinator.email)

    # --- Import the CSV, already qualified -------------------------------------------------
    csv_file = tmp_path / "candidats-morbihan.csv"
    write_csv(csv_file)
    page.goto(f"{chapter_url}/candidates/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text(FR_IMPORT)
    page.set_input_files('input[name="file"]', csv_file)
    page.check('input[name="qualified"]')
    page.locator('form:has(input[name="file"]) button[type="submit"]').click()
    expect(page).to_have_url(f"{chapter_url}/candidates/?state=qualified")
    expect(page.locator(".messages .alert-success")).to_contain_text(FR_IMPORTED)
    main = page.locator("main")
    for company, *_rest in CANDIDATES:
        expect(main.get_by_text(company, exact=True).first).to_be_visible()

    # --- Run the composer ------------------------------------------------------------------
    page.goto(f"{chapter_url}/composer/")
    expect(page.get_by_role("heading", level=1)).to_have_text(FR_COMPOSER)
    expect(page.locator('input[name="min_size"]')).to_have_value("10")
    expect(page.locator('input[name="max_size"]')).to_have_value("12")
    page.locator('form:has(input[name="min_size"]) button[type="submit"]').click()
    expect(page).to_have_url(f"{chapter_url}/composer/proposal/", timeout=30_000)
    expect(page.get_by_role("heading", level=1)).to_have_text(FR_PROPOSAL)
    expect(page.locator("section.composer-group h2")).to_have_text([f"{FR_GROUP} 1", f"{FR_GROUP} 2"])
    expect(page.locator("form.move-form button").first).to_have_text(FR_MOVE)
    expect(page.locator("#confirm-form h2")).to_have_text(FR_CONFIRM)

    proposal = read_proposal(page)
    assert len(proposal) == 2, proposal
    assert sorted(len(group) for group in proposal) in ([11, 11], [10, 12]), proposal
    assert sorted(name for group in proposal for name in group) == sorted(row[0] for row in CANDIDATES)
    for twins in (BAKERS, ELECTRICIANS):  # never two competitors in one group
        assert group_of(proposal, twins[0]) != group_of(proposal, twins[1]), proposal

    # --- A move the rule refuses: a baker into the other baker's group ---------------------
    baker, other_baker = BAKERS
    baker_id, twin_group = proposal[group_of(proposal, baker)][baker], group_of(proposal, other_baker)
    with page.expect_navigation():  # with JavaScript, the choice sends the form
        page.select_option(f"#move-{baker_id}", str(twin_group))
    expect(page).to_have_url(f"{chapter_url}/composer/proposal/")
    refusal = page.locator(".messages .alert-danger")
    expect(refusal).to_contain_text(FR_REFUSED)
    expect(refusal).to_contain_text(baker)
    expect(refusal).to_contain_text(other_baker)
    expect(page.locator(".messages .alert-success")).to_have_count(0)
    assert read_proposal(page) == proposal  # unchanged
    page.screenshot(path=shots / "composer_refused.png", full_page=True)

    # --- A move the rule allows, without JavaScript: select + "Move" -----------------------
    source = max(range(2), key=lambda index: len(proposal[index]))  # the larger group gives
    target = 1 - source
    twins = {*BAKERS, *ELECTRICIANS}
    moved = next(name for name in proposal[source] if name not in twins)
    moved_id = proposal[source][moved]
    moved_leader = next(f"{row[4]} {row[5]}" for row in CANDIDATES if row[0] == moved)
    no_js = browser.new_context(
        locale="fr-FR",
        viewport=DESKTOP,
        java_script_enabled=False,
        storage_state=page.context.storage_state(),
    )
    request.addfinalizer(no_js.close)
    plain = no_js.new_page()
    plain.set_default_timeout(15_000)
    plain.goto(f"{chapter_url}/composer/proposal/")
    move_form = plain.locator(f"form.move-form:has(#move-{moved_id})")
    move_form.locator("select").select_option(str(target))
    move_form.locator('button[type="submit"]').click()
    expect(plain).to_have_url(f"{chapter_url}/composer/proposal/")
    expect(plain.locator(".messages .alert-success")).to_contain_text(f"{FR_MOVED} {target + 1}")
    expect(plain.locator(".messages .alert-success")).to_contain_text(moved)
    expect(plain.locator(".messages .alert-danger")).to_have_count(0)

    page.reload()
    after = read_proposal(page)
    assert moved not in after[source] and after[target][moved] == moved_id, after
    assert {name: id_ for group in after for name, id_ in group.items()} == {
        name: id_ for group in proposal for name, id_ in group.items()
    }
    target_companies = set(after[target])
    page.screenshot(path=shots / "composer_proposal.png", full_page=True)

    # --- The proposal on a phone, same session ---------------------------------------------
    phone = browser.new_context(
        locale="fr-FR",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        storage_state=page.context.storage_state(),
    )
    request.addfinalizer(phone.close)
    mobile = phone.new_page()
    mobile.set_default_timeout(15_000)
    mobile.goto(f"{chapter_url}/composer/proposal/")
    expect(mobile.get_by_role("heading", level=1)).to_have_text(FR_PROPOSAL)
    assert read_proposal(mobile) == after
    expect(mobile.locator(f"#move-{moved_id}")).to_be_visible()
    assert no_horizontal_scroll(mobile), "the proposal scrolls sideways on a phone"
    # The refused move again, on the phone: the electricians this time.
    electrician, other_electrician = ELECTRICIANS
    electrician_id = after[group_of(after, electrician)][electrician]
    with mobile.expect_navigation():
        mobile.select_option(f"#move-{electrician_id}", str(group_of(after, other_electrician)))
    expect(mobile.locator(".messages .alert-danger")).to_contain_text(FR_REFUSED)
    expect(mobile.locator(".messages .alert-danger")).to_contain_text(other_electrician)
    assert read_proposal(mobile) == after
    mobile.screenshot(path=shots / "composer_proposal_390.png", full_page=True)

    # --- Confirm: names and a start date ---------------------------------------------------
    names = {source: "Ria d'Étel 2027", target: "Presqu'île de Rhuys 2027"}
    for index, name in names.items():
        page.fill(f'input[name="name_{index}"]', name)
    page.fill('input[name="start_date"]', "2027-01-12")
    confirm = page.locator('#confirm-form button[type="submit"]')
    expect(confirm).to_have_text(FR_CREATE)
    confirm.click()
    expect(page).to_have_url(re.compile(re.escape(f"{base}/cohorts/?") + r".*state=forming"))
    expect(page.get_by_role("heading", level=1)).to_have_text(FR_COHORTS)
    confirmation = page.locator(".messages .alert-success")
    expect(confirmation).to_contain_text(FR_CREATED)
    for name in names.values():
        expect(confirmation).to_contain_text(name)
        row = page.locator("main table tbody tr").filter(has=page.get_by_role("link", name=name, exact=True))
        expect(row).to_contain_text(FR_FORMING)
    page.screenshot(path=shots / "composer_cohorts.png", full_page=True)

    # --- The cohort of the moved person: every member is there -----------------------------
    page.locator("main table").get_by_role("link", name=names[target], exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(f"{base}/cohorts/") + r"\d+/$"))
    cohort_url = page.url
    expect(page.get_by_role("heading", level=1)).to_contain_text(names[target])
    members = page.locator("section[aria-labelledby=members-title]")
    expect(members.locator("h2")).to_have_text(FR_MEMBERS)
    expect(members.locator("tbody tr")).to_have_count(len(target_companies))
    for company in target_companies:
        expect(members.get_by_role("link", name=company, exact=True)).to_be_visible()
    expect(members.get_by_role("link", name=moved_leader, exact=True)).to_be_visible()
    for company in set(after[source]):  # and nobody of the other group
        expect(members.get_by_text(company, exact=True)).to_have_count(0)
    page.screenshot(path=shots / "composer_cohort.png", full_page=True)

    # --- The cohort list and the cohort page on the phone ----------------------------------
    mobile.goto(f"{base}/cohorts/?state=forming")
    expect(mobile.get_by_role("heading", level=1)).to_have_text(FR_COHORTS)
    for name in names.values():
        expect(mobile.get_by_role("link", name=name, exact=True)).to_be_visible()
    assert no_horizontal_scroll(mobile), "the cohort list scrolls sideways on a phone"
    mobile.screenshot(path=shots / "composer_cohorts_390.png", full_page=True)
    mobile.goto(cohort_url)
    mobile_members = mobile.locator("section[aria-labelledby=members-title]")
    expect(mobile_members.get_by_role("link", name=moved_leader, exact=True)).to_be_visible()
    expect(mobile_members.get_by_role("link", name=moved, exact=True)).to_be_visible()
    assert no_horizontal_scroll(mobile), "the cohort page scrolls sideways on a phone"
    mobile.screenshot(path=shots / "composer_cohort_390.png", full_page=True)
