"""After restoring an older backup: the invoices issued since the dump, and their numbers kept.

A dump taken at 02:30 and restored in the afternoon has lost the invoices issued in
between, yet they were rendered, stored and e-mailed: members hold them, and their
numbers are taken for good. The database's counters went back with the dump, so the
next invoice would be given one of those numbers again — a second invoice with the
number of one already sent, which French invoicing forbids (one chronological series,
no number used twice).

Two traces outlive the database:

- the PDFs in storage (`invoices/<chapter code>/<number>.pdf`, billing/documents.py),
  as long as the media were not restored from the older backup too;
- the worker's log, where each invoice e-mailed leaves a line with its number
  (`MAIL_LOG_LINE`, written by billing.documents.send_invoice_email).

`issued_since` reads both and compares them with the database; `reserve_numbers` moves
each series' counter past the highest number found, so that no number is given twice.
`python manage.py invoices_issued_since` does both (docs/deployment.md, "Restoring").
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from billing.enums import InvoiceKind
from billing.models import Invoice, NumberCounter
from billing.services import CREDIT_NOTE_INFIX
from groups.models import Chapter

NUMBER = re.compile(
    r"^(?P<prefix>.+?)(?P<credit>-" + CREDIT_NOTE_INFIX + r")?-(?P<year>\d{4})-(?P<sequence>\d+)$"
)
# "2026-03-15 10:02:03,123 INFO billing.documents Invoice 12 e-mailed to the buyer: number=P56-2026-00012 …"
MAIL_LOG_LINE = re.compile(
    r"^(?:.*?\|\s*)?(?P<at>\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2})\S*\s.*?"
    r"e-mailed to the buyer: number=(?P<number>\S+) issued_on=(?P<issued_on>\d{4}-\d{2}-\d{2})"
)


@dataclass
class FoundInvoice:
    number: str
    prefix: str
    kind: str
    year: int
    sequence: int
    seen_at: datetime.datetime | None = None  # the earliest trace (file written, e-mail sent)
    sources: set[str] = field(default_factory=set)  # "pdf", "mail log", "database"

    @property
    def in_database(self) -> bool:
        return "database" in self.sources


def parse_number(number: str) -> tuple[str, str, int, int] | None:
    """(prefix, kind, year, sequence) of `P56-2026-00012` or `P56-AV-2026-00003`."""
    match = NUMBER.match(number)
    if match is None:
        return None
    kind = InvoiceKind.CREDIT_NOTE if match["credit"] else InvoiceKind.INVOICE
    return match["prefix"], kind, int(match["year"]), int(match["sequence"])


def _found(numbers: dict[str, FoundInvoice], number: str, source: str, at: datetime.datetime | None) -> None:
    parsed = parse_number(number)
    if parsed is None:
        return
    entry = numbers.get(number)
    if entry is None:
        prefix, kind, year, sequence = parsed
        entry = numbers[number] = FoundInvoice(number, prefix, kind, year, sequence)
    entry.sources.add(source)
    if at is not None and (entry.seen_at is None or at < entry.seen_at):
        entry.seen_at = at


def _from_storage(numbers: dict[str, FoundInvoice], since: datetime.datetime) -> None:
    storage = Invoice._meta.get_field("pdf").storage
    try:
        chapters, _files = storage.listdir("invoices")
    except FileNotFoundError:
        return
    for code in chapters:
        for name in storage.listdir(f"invoices/{code}")[1]:
            if not name.endswith(".pdf"):
                continue
            written = storage.get_modified_time(f"invoices/{code}/{name}")
            if written >= since:
                _found(numbers, name.removesuffix(".pdf"), "pdf", written)


def _from_mail_log(numbers: dict[str, FoundInvoice], since: datetime.datetime, path: Path) -> None:
    with path.open(encoding="utf-8", errors="replace") as log:
        for line in log:
            match = MAIL_LOG_LINE.search(line)
            if match is None:
                continue
            at = timezone.make_aware(datetime.datetime.fromisoformat(match["at"].replace("T", " ")))
            if at >= since:
                _found(numbers, match["number"], "mail log", at)


def issued_since(since: datetime.datetime, *, mail_logs: tuple[Path, ...] = ()) -> list[FoundInvoice]:
    """Every invoice and credit note with a trace after `since`: in storage, in the mail
    logs given, or in the database (created since), sorted by series and number."""
    numbers: dict[str, FoundInvoice] = {}
    _from_storage(numbers, since)
    for path in mail_logs:
        _from_mail_log(numbers, since, path)
    for number, created_at in Invoice.objects.filter(created_at__gte=since).values_list(
        "number", "created_at"
    ):
        _found(numbers, number, "database", created_at)
    known = set(Invoice.objects.filter(number__in=list(numbers)).values_list("number", flat=True))
    for number in known:
        numbers[number].sources.add("database")
    return sorted(numbers.values(), key=lambda found: (found.prefix, found.kind, found.year, found.sequence))


@dataclass(frozen=True)
class Reserved:
    chapter: Chapter
    kind: str
    year: int
    was: int
    now: int


@transaction.atomic
def reserve_numbers(found: list[FoundInvoice]) -> list[Reserved]:
    """Move each series' counter up to the highest number found (never down), under its
    row lock, so that the next invoice of the series follows every number already sent."""
    highest: dict[tuple[str, str, int], int] = {}
    for entry in found:
        key = (entry.prefix, entry.kind, entry.year)
        highest[key] = max(highest.get(key, 0), entry.sequence)
    chapters = {
        chapter.invoice_prefix: chapter
        for chapter in Chapter.objects.filter(invoice_prefix__in=[k[0] for k in highest])
    }
    changes = []
    for (prefix, kind, year), sequence in sorted(highest.items()):
        chapter = chapters.get(prefix)
        if chapter is None:
            continue
        NumberCounter.objects.bulk_create(
            [NumberCounter(chapter=chapter, kind=kind, year=year)], ignore_conflicts=True
        )
        counter = NumberCounter.objects.select_for_update().get(chapter=chapter, kind=kind, year=year)
        if counter.last_number < sequence:
            changes.append(Reserved(chapter, kind, year, counter.last_number, sequence))
            counter.last_number = sequence
            counter.save(update_fields=["last_number"])
    return changes
