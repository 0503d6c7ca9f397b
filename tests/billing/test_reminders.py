"""Overdue reminders: each stage once, only while the invoice is overdue, in French."""

import datetime
from decimal import Decimal

import pytest

from billing import notifications, reminders, services
from billing.enums import PaymentMethod
from billing.models import InvoiceReminder

ISSUED = datetime.date(2026, 9, 1)  # due on 1 October 2026


@pytest.fixture
def invoice(buyer, coordinator):
    return services.issue_invoice(buyer, actor=coordinator, today=ISSUED)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def plan(today):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.plan_overdue_reminders(today)

    return plan


def late(invoice, days):
    return invoice.due_on + datetime.timedelta(days=days)


def test_nothing_before_the_first_stage(invoice, run, mailoutbox):
    assert run(late(invoice, 6)) == 0
    assert mailoutbox == []


def test_each_stage_goes_once_as_the_days_pass(invoice, run, mailoutbox):
    for days in (7, 8, 30, 31, 60, 90):
        run(late(invoice, days))
        run(late(invoice, days))

    subjects = [message.subject for message in mailoutbox]
    assert subjects == [
        "[Plato] Rappel : la facture P56-2026-00001 est échue",
        "[Plato] Deuxième rappel : la facture P56-2026-00001 reste impayée",
        "[Plato] Dernier rappel : facture P56-2026-00001",
    ]
    assert all(message.to == ["member@plato.test"] for message in mailoutbox)


def test_an_invoice_first_seen_late_gets_only_the_latest_stage(invoice, run, mailoutbox):
    run(late(invoice, 40))

    assert [message.subject for message in mailoutbox] == [
        "[Plato] Deuxième rappel : la facture P56-2026-00001 reste impayée"
    ]
    assert set(InvoiceReminder.objects.values_list("stage", flat=True)) == {1, 2}
    assert InvoiceReminder.objects.filter(sent_at__isnull=True).count() == 0


def test_the_reminder_says_what_is_due_and_how_to_pay(invoice, coordinator, run, mailoutbox):
    services.record_payment(
        invoice, amount=Decimal("1000"), method=PaymentMethod.CHEQUE, received_on=ISSUED, actor=coordinator
    )

    run(late(invoice, 7))

    (message,) = mailoutbox
    assert message.body.startswith("Bonjour Gwenaël Le Floch,")
    assert "1\xa0280,00 €" in message.body and "2\xa0280,00 €" in message.body
    assert "IBAN FR7630006000011234567890189" in message.body
    assert "40 €" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_a_paid_or_cancelled_invoice_gets_no_reminder(
    invoice, buyer, coordinator, memberships, run, mailoutbox, django_capture_on_commit_callbacks
):
    cancelled = services.issue_invoice(memberships[0], actor=coordinator, today=ISSUED)
    services.issue_credit_note(cancelled, reason="Erreur", actor=coordinator, today=ISSUED)
    services.record_payment(
        invoice,
        amount=invoice.total_incl_vat,
        method=PaymentMethod.TRANSFER,
        received_on=ISSUED,
        actor=coordinator,
    )

    run(late(invoice, 7))

    assert mailoutbox == []


def test_a_payment_between_planning_and_sending_stops_the_reminder(
    invoice, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # planned, the e-mail still queued
        reminders.plan_overdue_reminders(late(invoice, 7))
    services.record_payment(
        invoice,
        amount=invoice.total_incl_vat,
        method=PaymentMethod.TRANSFER,
        received_on=ISSUED,
        actor=coordinator,
    )

    assert notifications.send_invoice_reminder(InvoiceReminder.objects.get().pk) is False
    assert mailoutbox == []
    assert InvoiceReminder.objects.get().sent_at is not None  # closed: never sent later


def test_sending_twice_sends_once(invoice, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        reminders.plan_overdue_reminders(late(invoice, 7))
    reminder = InvoiceReminder.objects.get()

    assert notifications.send_invoice_reminder(reminder.pk) is True
    assert notifications.send_invoice_reminder(reminder.pk) is False
    assert len(mailoutbox) == 1
