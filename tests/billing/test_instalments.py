"""An invoice paid by instalments is overdue only when what fell due by today exceeds what
was paid; its reminders ask for the amount overdue, counted from the oldest unpaid
instalment. Three instalments of 760 €: 1 October 2026, 1 February 2027, 1 June 2027."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from billing import reminders, selectors, services
from billing.enums import InvoiceStatus, PaymentMethod
from billing.models import Invoice, InvoiceReminder

ISSUED = datetime.date(2026, 9, 1)
FIRST, SECOND, THIRD = datetime.date(2026, 10, 1), datetime.date(2027, 2, 1), datetime.date(2027, 6, 1)


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock: `clock.today = date` moves it (timezone.localdate everywhere)."""

    class Clock:
        today = ISSUED

    frozen = Clock()
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: frozen.today)
    return frozen


@pytest.fixture
def invoice(buyer, coordinator, invoicing_chapter, clock):
    """This module's invoice (not tests/billing/conftest.py's single payment): three
    instalments, issued on 1 September 2026 under the frozen clock."""
    invoicing_chapter.instalments = 3
    invoicing_chapter.save()
    invoice = services.issue_invoice(buyer, actor=coordinator, today=ISSUED)
    assert invoice.instalments == [
        {"due_on": "2026-10-01", "amount": "760.00"},
        {"due_on": "2027-02-01", "amount": "760.00"},
        {"due_on": "2027-06-01", "amount": "760.00"},
    ]
    return invoice


def pay(invoice, coordinator, amount, on):
    services.record_payment(
        invoice, amount=Decimal(amount), method=PaymentMethod.TRANSFER, received_on=on, actor=coordinator
    )


def status(invoice, today):
    sql = selectors.with_status(Invoice.objects.filter(pk=invoice.pk), today).get()
    python = selectors.status_of(invoice, today)
    assert sql.status == python, (sql.status, python)
    return python


@pytest.fixture
def plan(clock, django_capture_on_commit_callbacks):
    def run(today):
        clock.today = today
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.plan_overdue_reminders(today)

    return run


def test_a_paid_first_instalment_is_not_overdue(invoice, coordinator, clock, plan, mailoutbox):
    clock.today = FIRST
    pay(invoice, coordinator, "760.00", FIRST)

    for days in (1, 7, 30, 60, 100):
        assert status(invoice, FIRST + datetime.timedelta(days=days)) == InvoiceStatus.PARTLY_PAID
        plan(FIRST + datetime.timedelta(days=days))

    assert mailoutbox == []
    assert selectors.chapter_invoices(
        invoice.chapter, today=FIRST + datetime.timedelta(days=30)
    ).total_due == Decimal("1520.00")


def test_an_unpaid_first_instalment_asks_for_it_alone(invoice, plan, mailoutbox):
    assert status(invoice, FIRST) == InvoiceStatus.ISSUED
    assert status(invoice, FIRST + datetime.timedelta(days=1)) == InvoiceStatus.OVERDUE

    plan(FIRST + datetime.timedelta(days=7))

    (message,) = mailoutbox
    assert "Reste dû : 760,00 € (total de la facture : 2\xa0280,00 € TTC)." in message.body


def test_the_second_instalment_late_counts_from_its_own_date(invoice, coordinator, clock, plan, mailoutbox):
    clock.today = FIRST
    pay(invoice, coordinator, "760.00", FIRST)

    assert status(invoice, SECOND) == InvoiceStatus.PARTLY_PAID
    assert status(invoice, SECOND + datetime.timedelta(days=1)) == InvoiceStatus.OVERDUE
    plan(SECOND + datetime.timedelta(days=6))
    assert mailoutbox == []

    plan(SECOND + datetime.timedelta(days=7))
    plan(SECOND + datetime.timedelta(days=30))

    first, second = mailoutbox
    assert "Reste dû : 760,00 €" in first.body
    assert "Deuxième rappel" in second.subject
    assert "30 jours plus tard" in second.body and "Reste dû : 760,00 €" in second.body
    since = date_format(SECOND, "j F Y")  # the second instalment's date, not the invoice's first
    assert since in second.body
    assert date_format(invoice.due_on, "j F Y") not in second.body
    assert set(InvoiceReminder.objects.values_list("stage", flat=True)) == {1, 2}


def test_a_partial_payment_of_an_instalment_leaves_the_rest_overdue(
    invoice, coordinator, clock, plan, mailoutbox
):
    clock.today = FIRST
    pay(invoice, coordinator, "700.00", FIRST)

    plan(FIRST + datetime.timedelta(days=7))

    (message,) = mailoutbox
    assert "Reste dû : 60,00 €" in message.body


def test_after_the_last_instalment_everything_unpaid_is_overdue(
    invoice, coordinator, clock, plan, mailoutbox
):
    clock.today = SECOND
    pay(invoice, coordinator, "1520.00", SECOND)

    assert status(invoice, THIRD) == InvoiceStatus.PARTLY_PAID
    plan(THIRD + datetime.timedelta(days=7))

    (message,) = mailoutbox
    assert "Reste dû : 760,00 €" in message.body


def test_without_a_schedule_the_whole_balance_is_overdue_after_the_due_date(
    buyer, coordinator, clock, plan, mailoutbox
):
    invoice = services.issue_invoice(buyer, actor=coordinator, today=ISSUED)
    assert invoice.instalments == []

    assert status(invoice, invoice.due_on) == InvoiceStatus.ISSUED
    assert status(invoice, invoice.due_on + datetime.timedelta(days=1)) == InvoiceStatus.OVERDUE
    plan(invoice.due_on + datetime.timedelta(days=7))

    (message,) = mailoutbox
    assert "Reste dû : 2\xa0280,00 €" in message.body
