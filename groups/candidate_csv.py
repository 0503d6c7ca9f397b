"""Reading a file of candidates: the coordinator's import and `compose_cohorts` share it.

The file is UTF-8 (a BOM is fine), has a header row and these columns, separated by
commas or semicolons (what French spreadsheets write):

    company_name,siret,naf_code,town,postcode,leader_first_name,leader_last_name,email

Reading never stops at the first mistake: every bad row is reported with its line
number and reason, so the coordinator fixes the file once. SIRET and NAF codes are
normalised the way the forms do ("552 100 554 00013", "6201z" are accepted).
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from members import naf
from members.validators import normalize_siret, validate_naf_code, validate_postcode, validate_siret

COLUMNS = (
    "company_name",
    "siret",
    "naf_code",
    "town",
    "postcode",
    "leader_first_name",
    "leader_last_name",
    "email",
)
MAX_BYTES = 2 * 1024 * 1024
# The candidate's fields (groups.models.Candidate) and the company made from it hold no more.
MAX_LENGTHS = {
    "company_name": 150,
    "town": 100,
    "leader_first_name": 150,
    "leader_last_name": 150,
    "email": 254,
}
MAX_ROWS = 5000


@dataclass(frozen=True)
class CandidateRow:
    line: int
    company_name: str
    siret: str
    naf_code: str
    town: str
    postcode: str
    leader_first_name: str
    leader_last_name: str
    email: str

    def __str__(self) -> str:
        return self.company_name


@dataclass(frozen=True)
class RowError:
    line: int  # 0 for a problem with the whole file
    message: str

    def __str__(self) -> str:
        if self.line:
            return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}
        return self.message


@dataclass
class ParsedFile:
    rows: list[CandidateRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _messages(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def parse_candidates(data: bytes | str) -> ParsedFile:
    """Every row of the file, or every reason it cannot be imported as it is."""
    result = ParsedFile()
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            result.errors.append(RowError(0, _("The file is larger than 2 MB: split it.")))
            return result
        text = _decode(data)
        if text is None:
            result.errors.append(
                RowError(
                    0,
                    _(
                        "The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8 (comma or semicolon delimited)”."
                    ),
                )
            )
            return result
    else:
        text = data.removeprefix("\ufeff")
    if "\x00" in text:
        result.errors.append(RowError(0, _("The file is not a CSV text file.")))
        return result
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    if not header_line:
        result.errors.append(RowError(0, _("The file is empty.")))
        return result
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        while not any(cell.strip() for cell in header):
            header = next(reader)
    except StopIteration:
        result.errors.append(RowError(0, _("The file is empty.")))
        return result
    except csv.Error as error:
        result.errors.append(
            RowError(reader.line_num, _("The row cannot be read as CSV (%(error)s).") % {"error": error})
        )
        return result
    names = [cell.strip().lower() for cell in header]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        result.errors.append(
            RowError(
                reader.line_num,
                _("The header row lacks the column(s) %(missing)s. Expected: %(expected)s.")
                % {"missing": ", ".join(missing), "expected": ",".join(COLUMNS)},
            )
        )
        return result
    index = {column: names.index(column) for column in COLUMNS}
    seen_sirets: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(result.rows) + len(result.errors) >= MAX_ROWS:
                result.errors.append(
                    RowError(line, _("The file has more than %(max)d rows: split it.") % {"max": MAX_ROWS})
                )
                break
            row, problems = _read_row(line, cells, index, len(names))
            if row is not None:
                if row.siret in seen_sirets:
                    problems.append(
                        _("SIRET %(siret)s already appears on line %(line)d.")
                        % {"siret": row.siret, "line": seen_sirets[row.siret]}
                    )
                else:
                    seen_sirets[row.siret] = line
                if row.email in seen_emails:
                    problems.append(
                        _("The e-mail %(email)s already appears on line %(line)d.")
                        % {"email": row.email, "line": seen_emails[row.email]}
                    )
                else:
                    seen_emails[row.email] = line
            if problems:
                result.errors.extend(RowError(line, problem) for problem in problems)
            elif row is not None:
                result.rows.append(row)
    except csv.Error as error:
        result.errors.append(
            RowError(reader.line_num, _("The row cannot be read as CSV (%(error)s).") % {"error": error})
        )
    if not result.rows and not result.errors:
        result.errors.append(RowError(0, _("The file has a header row but no candidate.")))
    return result


def _read_row(line: int, cells: list[str], index: dict[str, int], width: int):
    problems: list[str] = []
    if len(cells) != width:
        problems.append(
            _("%(found)d columns instead of %(expected)d (check separators and quotes).")
            % {"found": len(cells), "expected": width}
        )
        return None, problems
    value = {column: cells[position].strip() for column, position in index.items()}
    missing_messages = {
        "company_name": _("The company name is missing."),
        "town": _("The town is missing."),
        "leader_first_name": _("The leader's first name is missing."),
        "leader_last_name": _("The leader's last name is missing."),
    }
    for column, message in missing_messages.items():
        if not value[column]:
            problems.append(message)
        elif len(value[column]) > MAX_LENGTHS[column]:
            problems.append(
                _("“%(value)s” is longer than %(max)d characters.")
                % {"value": value[column][:40] + "…", "max": MAX_LENGTHS[column]}
            )
    siret = normalize_siret(value["siret"])
    try:
        validate_siret(siret)
    except ValidationError as error:
        problems.append(_messages(error))
    naf_code = naf.normalize_code(value["naf_code"])
    try:
        validate_naf_code(naf_code)
    except ValidationError as error:
        problems.append(_messages(error))
    try:
        validate_postcode(value["postcode"])
    except ValidationError as error:
        problems.append(_messages(error))
    email = value["email"].lower()
    try:
        validate_email(email)
        if len(email) > MAX_LENGTHS["email"]:
            raise ValidationError("too long")
    except ValidationError:
        problems.append(
            _("“%(value)s” is not an e-mail address.") % {"value": value["email"]}
            if value["email"]
            else _("The e-mail is missing.")
        )
    row = CandidateRow(
        line=line,
        company_name=value["company_name"],
        siret=siret,
        naf_code=naf_code,
        town=value["town"],
        postcode=value["postcode"],
        leader_first_name=value["leader_first_name"],
        leader_last_name=value["leader_last_name"],
        email=email,
    )
    return row, problems
