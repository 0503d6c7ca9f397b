"""After an older dump is restored: the invoices issued since it are found again (PDFs in
storage, the worker's mail log) and no number already sent is given a second time."""

import datetime
import logging
import os
from io import StringIO
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from billing import documents, recovery, services
from billing.models import Invoice, NumberCounter
from groups.models import Membership

pytestmark = pytest.mark.usefixtures("media_root")

DUMP = timezone.make_aware(datetime.datetime(2026, 3, 14, 2, 30))


def stored_pdf(number: str, written: datetime.datetime) -> None:
    """A PDF of an invoice the restore lost: in storage, written at `written`."""
    name = default_storage.save(f"invoices/56/{number}.pdf", ContentFile(b"%PDF-1.7 issued and sent"))
    os.utime(default_storage.path(name), (written.timestamp(), written.timestamp()))


def log_line(record: logging.LogRecord, at: datetime.datetime) -> str:
    """The line the worker writes for this record (the settings' format), at `at`."""
    record.created = at.timestamp()
    formatter = logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"])
    return formatter.format(record)


def test_parse_number_reads_invoices_and_credit_notes():
    assert recovery.parse_number("P56-2026-00012") == ("P56", "invoice", 2026, 12)
    assert recovery.parse_number("P56-AV-2026-00003") == ("P56", "credit", 2026, 3)
    assert recovery.parse_number("not a number") is None


def test_invoices_lost_by_a_restore_are_found_and_their_numbers_never_given_again(
    buyer, coordinator, memberships, caplog, tmp_path
):
    # Before the dump: invoice 00001, issued, stored and e-mailed on 10 March.
    caplog.set_level(logging.INFO, logger="billing.documents")
    before = DUMP - datetime.timedelta(days=4)
    with mock.patch("django.utils.timezone.now", return_value=before):  # the clock, on 10 March
        first = services.issue_invoice(buyer, actor=coordinator, today=before.date())
        documents.render_and_send(first.pk)
    (sent_line,) = [r for r in caplog.records if "e-mailed to the buyer" in r.getMessage()]
    first_pdf = default_storage.path(Invoice.objects.get(pk=first.pk).pdf.name)
    os.utime(first_pdf, (before.timestamp(), before.timestamp()))
    # After the dump, issued and sent, then lost by the restore: 00002 and 00003 left their
    # PDFs in storage; 00004's PDF is gone but the worker's log kept its e-mail.
    stored_pdf("P56-2026-00002", DUMP + datetime.timedelta(hours=8))
    stored_pdf("P56-2026-00003", DUMP + datetime.timedelta(hours=9))
    mail_log = tmp_path / "worker.log"
    lost_line = log_line(sent_line, DUMP + datetime.timedelta(hours=10)).replace(
        "number=P56-2026-00001", "number=P56-2026-00004"
    )
    mail_log.write_text(
        "\n".join(
            [
                "worker-1  | " + log_line(sent_line, before),  # before the dump: ignored
                "worker-1  | 2026-03-14 11:00:00,000 INFO celery.worker Task accepted",
                "worker-1  | " + lost_line,
            ]
        )
        + "\n"
    )
    assert NumberCounter.objects.get(chapter=first.chapter, kind="invoice", year=2026).last_number == 1
    out = StringIO()

    call_command(
        "invoices_issued_since", "2026-03-14 02:30", "--mail-log", str(mail_log), "--reserve", stdout=out
    )

    report = out.getvalue()
    lines = {line.split()[0]: line for line in report.splitlines() if line.startswith("P56-")}
    assert set(lines) == {"P56-2026-00002", "P56-2026-00003", "P56-2026-00004"}
    assert "NOT IN THE DATABASE" in lines["P56-2026-00002"]
    assert "found in: pdf" in lines["P56-2026-00003"]
    assert "found in: mail log" in lines["P56-2026-00004"]
    assert "2026-03-14 12:30" in lines["P56-2026-00004"]  # 10:30 UTC, Paris time
    assert "3 issued and sent but lost by the restore" in report
    assert "Counter P56 invoice 2026: 1 -> 4" in report
    # The next invoice follows every number already sent.
    other = Membership.objects.get(pk=memberships[0].pk)
    nxt = services.issue_invoice(other, actor=coordinator, today=datetime.date(2026, 3, 14))
    assert nxt.number == "P56-2026-00005"


def test_without_reserve_it_only_lists_and_says_what_to_do(buyer, coordinator):
    stored_pdf("P56-2026-00007", timezone.now())
    out = StringIO()

    call_command("invoices_issued_since", "2026-03-14 02:30", stdout=out)

    assert "P56-2026-00007" in out.getvalue()
    assert "Run again with --reserve" in out.getvalue()
    assert not NumberCounter.objects.filter(last_number=7).exists()


def test_an_invoice_still_in_the_database_is_not_reported_as_lost(buyer, coordinator):
    invoice = services.issue_invoice(buyer, actor=coordinator)
    documents.store_pdf(invoice.pk)
    out = StringIO()

    call_command("invoices_issued_since", "2026-03-14 02:30", stdout=out)

    (line,) = [line for line in out.getvalue().splitlines() if line.startswith(invoice.number)]
    assert "in the database" in line
    assert "NOT IN THE DATABASE" not in line


def test_reserving_never_moves_a_counter_back(buyer, coordinator):
    for _ in range(3):
        NumberCounter.objects.update_or_create(
            chapter=buyer.cohort.chapter, kind="invoice", year=2026, defaults={"last_number": 9}
        )
    found = [recovery.FoundInvoice("P56-2026-00004", "P56", "invoice", 2026, 4, sources={"pdf"})]

    assert recovery.reserve_numbers(found) == []
    assert NumberCounter.objects.get(chapter=buyer.cohort.chapter, kind="invoice", year=2026).last_number == 9


def test_a_time_that_is_not_one_is_refused_clearly(db):
    with pytest.raises(CommandError, match="is not a time"):
        call_command("invoices_issued_since", "yesterday")
