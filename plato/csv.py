"""The one CSV writer of the app, for French Excel.

Every CSV a user downloads is written here (tests/plato/test_files.py lists them and
checks each one; tests/plato/test_csv.py refuses the standard library's writer
anywhere else):

- UTF-8 with a BOM (otherwise Excel reads the accents as Windows-1252), « ; » between
  cells (the comma is the French decimal separator), CRLF line ends;
- every text cell is neutralised: one starting with = + - @ (or a tab, a carriage
  return, or their full-width forms) would be run by Excel as a formula, e.g. a company
  name typed as `=HYPERLINK("http://evil.test","clic")` on the public form. It gets a
  leading apostrophe, which Excel takes as « this is text » and does not display;
- numbers (`int`, `Decimal`) and dates are formatted here, the French way (« -12,50 »,
  « 31/12/2026 »), and are never neutralised, so that an accountant can still add up a
  column of credit notes. That is why a number must be passed as a number: the same
  « -12,50 » passed as text is neutralised like any other text.

The writer neutralises each cell itself, so a caller cannot forget to.
"""

import csv
import datetime
import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise

from plato.http import private_file_response

BOM = "\ufeff"
DELIMITER = ";"
LINE_END = "\r\n"
CONTENT_TYPE = "text/csv; charset=utf-8"

# What makes Excel (and LibreOffice) read a cell as a formula: OWASP's list, with the
# full-width forms that some spreadsheet versions fold into the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(text: str) -> str:
    """A text cell that Excel shows as typed, never runs."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def cell(value) -> str:
    """One value as the text of its cell: text neutralised, numbers and dates formatted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        # True/False would come out in English; say what it means in the caller's words.
        raise TypeError("pass a yes/no cell as text (e.g. gettext('yes')), not a bool")
    if isinstance(value, int | Decimal):
        return format(value, "f" if isinstance(value, Decimal) else "d").replace(".", ",")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str | Promise):
        return safe_cell(str(value))
    raise TypeError(f"no CSV cell for a {type(value).__name__}: pass text, an int, a Decimal or a date")


def csv_text(header: Iterable, rows: Iterable[Iterable]) -> str:
    """The whole file: its BOM, the header line, one line per row."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator=LINE_END)
    writer.writerow([cell(value) for value in header])
    writer.writerows([cell(value) for value in row] for row in rows)
    return out.getvalue()


def csv_response(header: Iterable, rows: Iterable[Iterable], *, filename: str) -> HttpResponse:
    """The file as a download, private to the person who asked for it."""
    return private_file_response(
        csv_text(header, rows).encode("utf-8"), filename=filename, content_type=CONTENT_TYPE
    )
