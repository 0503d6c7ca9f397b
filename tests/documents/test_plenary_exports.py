"""A plenary's exports: the attendee list as PDF (the welcome desk's) and CSV (French
Excel, safe against formula injection), the name badges; who may download them; a fixed
number of queries whatever the number of registrations."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents import plenary_documents as exports
from plenaries import services
from plenaries.enums import PlenaryScope, RegistrationState
from tests import factories
from tests.pages import assert_hides, assert_shows
from tests.pdf import pdf_pages, pdf_text
from tests.queries import describe

State = RegistrationState
LONG_NAME = ("Marie-Bénédicte", "de La Tour d'Auvergne-Kerguélen")
LONG_COMPANY = (
    "Société Coopérative Ouvrière de Production des Charpentiers et Menuisiers du Golfe du Morbihan"
)


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def url(name, plenary):
    return reverse(f"plenaries:{name}", kwargs={"pk": plenary.pk})


def person_of(cohort, first_name, last_name, company):
    return factories.MembershipFactory(
        cohort=cohort, person__first_name=first_name, person__last_name=last_name, company__name=company
    ).person


@pytest.fixture
def plenary(chapter):
    return factories.PlenaryFactory(
        chapter=chapter, title="Plénière du Morbihan", capacity=4, plus_one_allowed=True
    )


@pytest.fixture
def people(plenary, cohort):
    """Four places: Zénaïde Abgrall (with a guest, checked in), Yann Le Bihan, the long
    name (takes the last place); Bertrand Cadoret waits (rank 1), then Corentin Daniel
    (rank 2); Gwen Ezanno registered then cancelled, Hervé Fravalo wait and cancelled."""
    made = {}

    def add(key, first, last, company, **kwargs):
        person = person_of(cohort, first, last, company)
        made[key] = services.register(plenary, person, actor=person, **kwargs)

    add("abgrall", "Zénaïde", "Abgrall", "Kerlann Informatique", plus_one=True, plus_one_name="Loïc Tanguy")
    add("lebihan", "Yann", "Le Bihan", '=HYPERLINK("http://evil.test","clic")')
    add("ezanno", "Gwen", "Ezanno", "Conserverie Ezanno")
    services.cancel_registration(made["ezanno"], actor=None)
    add("long", *LONG_NAME, LONG_COMPANY)
    add("cadoret", "Bertrand", "Cadoret", "+33 Conseil")
    add("fravalo", "Hervé", "Fravalo", "Fravalo SARL")
    services.cancel_registration(made["fravalo"], actor=None)
    add("daniel", "Corentin", "Daniel", "@Daniel Design")
    services.check_in(made["abgrall"], actor=None)
    for registration in made.values():
        registration.refresh_from_db()
    assert made["cadoret"].state == State.WAITING and made["daniel"].state == State.WAITING
    assert made["long"].state == State.REGISTERED
    return made


# --- Who may download --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "role", "status"),
    [
        ("attendees_pdf", "coordinator", 200),
        ("attendees_pdf", "admin", 200),
        ("attendees_pdf", "facilitator", 200),  # at the welcome desk
        ("attendees_pdf", "member", 403),
        ("attendees_pdf", "other_chapter_coordinator", 404),
        ("attendees_pdf", "outsider", 404),
        ("attendees_csv", "coordinator", 200),
        ("attendees_csv", "facilitator", 403),  # e-mail addresses: the managers only
        ("attendees_csv", "sponsor", 403),
        ("attendees_csv", "other_chapter_coordinator", 404),
        ("badges_pdf", "coordinator", 200),
        ("badges_pdf", "facilitator", 403),
        ("badges_pdf", "member", 403),
        ("badges_pdf", "other_chapter_coordinator", 404),
    ],
)
def test_exports_answer_each_role(login, users, plenary, name, role, status):
    response = login(users[role]).get(url(name, plenary))
    assert response.status_code == status
    if status == 200:
        assert response["Cache-Control"] == "no-store, private" or "no-store" in response["Cache-Control"]
        assert "attachment" in response["Content-Disposition"]


def test_exports_send_the_anonymous_to_sign_in(client, plenary):
    for name in ("attendees_pdf", "attendees_csv", "badges_pdf"):
        response = client.get(url(name, plenary))
        assert response.status_code == 302 and "login" in response["Location"]


def test_another_chapters_plenary_does_not_exist_for_a_coordinator(login, coordinator, other_chapter):
    elsewhere = factories.PlenaryFactory(chapter=other_chapter)
    client = login(coordinator)
    for name in ("attendees_pdf", "attendees_csv", "badges_pdf"):
        assert client.get(url(name, elsewhere)).status_code == 404


# --- Attendee list (PDF) -------------------------------------------------------------------------


def test_attendee_list_pdf_names_those_who_come_and_those_who_wait(
    login, coordinator, plenary, people, tmp_path
):
    response = login(coordinator).get(url("attendees_pdf", plenary))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="emargement-pleniere-du-morbihan-' in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    assert "Plénière du Morbihan" in text
    assert "Palais des Arts" in text
    upper = text.upper()  # last names are printed in capitals
    for name in (
        "Abgrall",
        "Zénaïde",
        "Le Bihan",
        "Loïc Tanguy",
        "Kerlann Informatique",
        "Cadoret",
        "Daniel",
    ):
        assert name.upper() in upper, name
    assert "KERGUÉLEN" in upper
    assert "EZANNO" not in upper and "FRAVALO" not in upper  # cancelled
    # Registered by last name, then the waiting list in its order.
    order = [upper.index(name) for name in ("ABGRALL", "DE LA TOUR", "LE BIHAN", "CADORET", "DANIEL")]
    assert order == sorted(order)
    # Checked-in time of Zénaïde Abgrall, page numbers.
    checked_in = people["abgrall"].checked_in_at
    from django.utils import timezone

    assert timezone.localtime(checked_in).strftime("%H:%M") in text
    assert re.search(r"1 ?/ ?1", text)


def test_attendee_list_pdf_totals(plenary, people):
    listing = exports.attendee_list(plenary)
    assert [row.person.last_name for row in listing.registered] == [
        "Abgrall",
        LONG_NAME[1],
        "Le Bihan",
    ]
    assert [(row.rank, row.person.last_name) for row in listing.waiting] == [(1, "Cadoret"), (2, "Daniel")]
    assert (listing.people, listing.guests, listing.places, listing.capacity, listing.checked_in) == (
        3,
        1,
        4,
        4,
        1,
    )


def test_attendee_list_pdf_has_page_numbers_on_every_page(login, coordinator, chapter, cohort, tmp_path):
    plenary = factories.PlenaryFactory(chapter=chapter, title="Grande plénière", capacity=200)
    for n in range(60):
        person = person_of(cohort, f"Prénom{n:02d}", f"Nom{n:02d}", f"Entreprise {n:02d}")
        services.register(plenary, person, actor=person)
    content = login(coordinator).get(url("attendees_pdf", plenary)).content
    pages = pdf_pages(content, tmp_path)
    assert pages >= 2
    text = pdf_text(content, tmp_path)
    for page in range(1, pages + 1):
        assert re.search(rf"{page} ?/ ?{pages}", text), page
    assert text.count("Grande plénière") >= pages  # the header on every page
    assert "NOM00" in text.upper() and "NOM59" in text.upper()


def test_attendee_list_pdf_without_anybody(login, coordinator, plenary, tmp_path):
    text = pdf_text(login(coordinator).get(url("attendees_pdf", plenary)).content, tmp_path)
    assert "Plénière du Morbihan" in text


# --- Attendee list (CSV) -------------------------------------------------------------------------


def test_attendee_list_csv_one_line_per_registration_that_counts(login, coordinator, plenary, people):
    response = login(coordinator).get(url("attendees_csv", plenary))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="inscrits-pleniere-du-morbihan-' in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert len(header) == 10
    assert [row[0] for row in rows] == ["Abgrall", LONG_NAME[1], "Le Bihan", "Cadoret", "Daniel"]
    by_name = {row[0]: row for row in rows}
    abgrall = by_name["Abgrall"]
    assert abgrall[1] == "Zénaïde"
    assert abgrall[2] == people["abgrall"].person.email
    assert abgrall[3] == "Kerlann Informatique"
    assert abgrall[5] == people["abgrall"].cohort.name
    assert abgrall[6] == str(State.REGISTERED.label)
    assert abgrall[7] == "Loïc Tanguy"
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", abgrall[8])
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", abgrall[9])
    assert by_name["Le Bihan"][9] == ""
    assert by_name["Cadoret"][6] == str(State.WAITING.label)
    assert "Ezanno" not in by_name and "Fravalo" not in by_name


def test_attendee_list_csv_cells_never_run_as_formulas(login, coordinator, plenary, people):
    rows = csv_rows(login(coordinator).get(url("attendees_csv", plenary)))[1:]
    by_name = {row[0]: row for row in rows}
    assert by_name["Le Bihan"][3] == '\'=HYPERLINK("http://evil.test","clic")'
    assert by_name["Cadoret"][3] == "'+33 Conseil"
    assert by_name["Daniel"][3] == "'@Daniel Design"
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (row, cell)


def test_attendee_list_csv_names_starting_with_a_dash_are_kept_whole(login, coordinator, plenary, cohort):
    person = person_of(cohort, "-Anne", "=Rouxel", "Kerlann")
    services.register(plenary, person, actor=person)
    (row,) = csv_rows(login(coordinator).get(url("attendees_csv", plenary)))[1:]
    assert row[:2] == ["'=Rouxel", "'-Anne"]


# --- Name badges ---------------------------------------------------------------------------------


def test_badges_one_per_registered_person_and_guest(plenary, people):
    badges = exports.badges(plenary)
    assert [(badge.first_name, badge.last_name, badge.is_guest) for badge in badges] == [
        ("Zénaïde", "ABGRALL", False),
        ("Loïc", "TANGUY", True),
        (LONG_NAME[0], LONG_NAME[1].upper(), False),
        ("Yann", "LE BIHAN", False),
    ]
    assert "Zénaïde Abgrall" in badges[1].role
    assert badges[0].company == "Kerlann Informatique"
    assert people["abgrall"].cohort.name in badges[0].role
    assert badges[2].first_name_size != "l" and badges[2].last_name_size in ("s", "xs")


def test_badges_pdf(login, coordinator, plenary, people, tmp_path):
    response = login(coordinator).get(url("badges_pdf", plenary))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="badges-pleniere-du-morbihan-' in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    for name in (
        "Zénaïde",
        "ABGRALL",
        "Loïc",
        "TANGUY",
        "Yann",
        "LE BIHAN",
        "Marie-Bénédicte",
        "Kerlann Informatique",
    ):
        assert name in text, name
    assert "Kerguélen".upper() in text.replace("- ", "-").replace(" ", "") or "KERGUÉLEN" in text
    assert "Cadoret" not in text and "CADORET" not in text  # waiting: no badge yet
    assert "EZANNO" not in text  # cancelled
    assert re.search(r"1 ?/ ?1", text)


def test_badges_pdf_eight_per_sheet(login, coordinator, chapter, cohort, tmp_path):
    plenary = factories.PlenaryFactory(chapter=chapter, capacity=50, plus_one_allowed=True)
    for n in range(8):
        person = person_of(cohort, f"Prénom{n}", f"Nom{n}", f"Entreprise {n}")
        services.register(plenary, person, actor=person, plus_one=(n == 0))  # 9 badges
    content = login(coordinator).get(url("badges_pdf", plenary)).content
    assert pdf_pages(content, tmp_path) == 2


def test_a_guest_with_no_name_gets_a_badge_to_write_on(plenary, cohort):
    person = person_of(cohort, "Anne", "Rouxel", "Kerlann")
    services.register(plenary, person, actor=person, plus_one=True)
    _host, guest = exports.badges(plenary)
    assert guest.is_guest and guest.first_name == "" and guest.last_name == ""
    assert "Anne Rouxel" in guest.role


# --- Fixed query count ---------------------------------------------------------------------------


def _plenary_with(chapter, cohort, size):
    plenary = factories.PlenaryFactory(chapter=chapter, capacity=size, plus_one_allowed=True)
    for n in range(size + 2):  # two wait
        person = factories.MembershipFactory(cohort=cohort).person
        registration = services.register(plenary, person, actor=person, plus_one=(n == 0))
        if n % 3 == 0 and registration.state == State.REGISTERED:
            services.check_in(registration, actor=None)
    return plenary


@pytest.mark.parametrize("name", ["attendees_pdf", "attendees_csv", "badges_pdf"])
def test_exports_have_a_fixed_query_count(login, coordinator, chapter, cohort, name):
    client = login(coordinator)
    counts = []
    sizes = (3, 30)
    for size in sizes:
        plenary = _plenary_with(chapter, cohort, size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(name, plenary))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], describe(*counts, sizes)


# --- Links and a regional plenary ------------------------------------------------------------


def test_the_managers_registrations_page_links_the_exports(login, coordinator, plenary):
    response = login(coordinator).get(url("registrations", plenary))
    assert_shows(
        response, url("attendees_pdf", plenary), url("attendees_csv", plenary), url("badges_pdf", plenary)
    )


def test_the_plenary_page_gives_the_attendee_list_to_the_door_only(login, users, plenary):
    facilitator_page = login(users["facilitator"]).get(plenary.get_absolute_url())
    assert_shows(facilitator_page, url("attendees_pdf", plenary))
    assert_hides(facilitator_page, url("attendees_csv", plenary), url("badges_pdf", plenary))
    assert_hides(login(users["member"]).get(plenary.get_absolute_url()), url("attendees_pdf", plenary))


def test_a_regional_plenarys_exports(login, coordinator, region, cohort, tmp_path):
    plenary = factories.PlenaryFactory(
        scope=PlenaryScope.REGIONAL, chapter=None, region=region, title="Plénière Bretagne", capacity=50
    )
    person = person_of(cohort, "Anne", "Rouxel", "Kerlann Informatique")
    services.register(plenary, person, actor=person)
    client = login(coordinator)
    assert "ROUXEL" in pdf_text(client.get(url("attendees_pdf", plenary)).content, tmp_path).upper()
    assert "ROUXEL" in pdf_text(client.get(url("badges_pdf", plenary)).content, tmp_path, name="b.pdf")
    assert csv_rows(client.get(url("attendees_csv", plenary)))[1][:2] == ["Rouxel", "Anne"]
