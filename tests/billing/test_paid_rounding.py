"""A fully paid invoice is paid, whatever the float sums of SQLite: 1900.05 € at 20 % is
2 280,06 €, paid in three payments (576,15 + 589,05 + 1 114,86)."""

import datetime
from decimal import Decimal

import pytest

from billing import reminders, selectors, services
from billing.enums import InvoiceStatus, PaymentMethod
from billing.models import Invoice, InvoiceReminder

ISSUED = datetime.date(2026, 9, 1)


@pytest.fixture
def paid_invoice(buyer, coordinator, invoicing_chapter):
    invoicing_chapter.fee = Decimal("1900.05")
    invoicing_chapter.save()
    invoice = services.issue_invoice(buyer, actor=coordinator, today=ISSUED)
    assert invoice.total_incl_vat == Decimal("2280.06")
    for amount in ("576.15", "589.05", "1114.86"):
        services.record_payment(
            invoice,
            amount=Decimal(amount),
            method=PaymentMethod.TRANSFER,
            received_on=ISSUED,
            actor=coordinator,
        )
    return invoice


def test_the_database_says_paid(paid_invoice, invoicing_chapter):
    later = paid_invoice.due_on + datetime.timedelta(days=40)

    annotated = selectors.with_status(Invoice.objects.filter(pk=paid_invoice.pk), later).get()
    listing = selectors.chapter_invoices(invoicing_chapter, today=later)

    assert annotated.status == InvoiceStatus.PAID
    assert selectors.status_of(paid_invoice, later) == InvoiceStatus.PAID
    assert listing.total_due == Decimal("0.00")
    assert [
        i.number for i in selectors.chapter_invoices(invoicing_chapter, status="paid", today=later).invoices
    ] == [paid_invoice.number]


def test_no_reminder_for_it(paid_invoice, mailoutbox, django_capture_on_commit_callbacks):
    for days in (7, 30, 60):
        with django_capture_on_commit_callbacks(execute=True):
            reminders.plan_overdue_reminders(paid_invoice.due_on + datetime.timedelta(days=days))

    assert mailoutbox == []
    assert not InvoiceReminder.objects.exists()
