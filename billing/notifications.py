"""The e-mails billing sends, each once, through the outbox (plato.outbox).

- the invoice (or credit note) with its PDF, to the buyer: an `InvoiceEmail` row written
  when it is issued, sent once its PDF is stored (billing.documents);
- the reminders of an overdue invoice: an `InvoiceReminder` row per stage, written by the
  daily planner (billing.reminders), dropped if the invoice was paid or cancelled since.

Both are in French, whatever language the coordinator browses in: they are what a French
CCI sends to a company.
"""

import datetime
import logging

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from billing.enums import InvoiceStatus
from billing.models import Invoice, InvoiceEmail, InvoiceReminder
from billing.selectors import days_late, euros, instalments, overdue_since, with_status
from plato.emails import Attachment, build_email
from plato.outbox import Handler, NotDue

logger = logging.getLogger(__name__)

LANGUAGE = "fr"


# --- The invoice -------------------------------------------------------------------------------


def build_invoice_email(invoice: Invoice, pdf: bytes):
    """The buyer's e-mail (French, HTML and text), with the PDF attached. Its Message-ID
    is the invoice's (`invoice-<pk>.<created>`), which the mail log of billing.recovery reads."""
    with translation.override(LANGUAGE):  # the subject and the amounts, as the body: French
        params = {"number": invoice.number, "chapter": invoice.chapter.name}
        if invoice.is_credit_note:
            subject = _("Credit note %(number)s — %(chapter)s") % params
        else:
            subject = _("Invoice %(number)s — %(chapter)s") % params
        context = {
            "invoice": invoice,
            "chapter": invoice.chapter,
            "corrects": invoice.corrects if invoice.corrects_id else None,
            "total": euros(invoice.total_incl_vat),
            "instalments": [
                {"due_on": part["due_on"], "amount": euros(part["amount"])} for part in instalments(invoice)
            ],
        }
    return build_email(
        "billing/invoice",
        context,
        subject=subject,
        to=[invoice.buyer_email],
        language=LANGUAGE,
        message_of=("invoice", invoice),
        attachments=(Attachment(f"{invoice.number}.pdf", pdf, "application/pdf"),),
    )


class InvoiceEmailHandler(Handler):
    """The invoice's e-mail: due while the buyer has an address; ready once the PDF is
    stored (until then it waits, for billing.documents.render_and_send or the sweep)."""

    model = InvoiceEmail
    task_name = "billing.send_invoice_email"
    message_kind = "invoice"  # the invoice's own (see build_invoice_email)
    related = ("invoice__chapter",)
    not_due = NotDue.CLOSE

    def ready(self, message: InvoiceEmail) -> bool:
        return bool(message.invoice.pdf)

    def still_due(self, message: InvoiceEmail, now) -> bool:
        return bool(message.invoice.buyer_email) and message.invoice.emailed_at is None

    def build(self, message: InvoiceEmail, now):
        with message.invoice.pdf.open("rb") as file:
            content = file.read()
        return build_invoice_email(message.invoice, content)

    def after_send(self, message: InvoiceEmail, email) -> None:
        invoice = message.invoice
        Invoice.objects.filter(pk=invoice.pk).update(emailed_at=message.sent_at)
        # The mail log of what was issued: after a restore of an older dump, `manage.py
        # invoices_issued_since` reads these lines back (billing/recovery.py, MAIL_LOG_LINE).
        logger.info(
            "Invoice %s e-mailed to the buyer: number=%s issued_on=%s message_id=%s",
            invoice.pk,
            invoice.number,
            invoice.issued_on.isoformat(),
            email.extra_headers["Message-ID"],
        )


send_invoice_email = InvoiceEmailHandler.task


def plan_invoice_emails(invoices) -> list[int]:
    """Inside the issuing transaction: the e-mail of each invoice whose buyer has an
    address, as an outbox row (sent by billing.documents.render_and_send once the PDF is
    stored). Returns the rows' ids."""
    invoices = [invoice for invoice in invoices if invoice.buyer_email and invoice.emailed_at is None]
    InvoiceEmail.objects.bulk_create(
        [InvoiceEmail(invoice=invoice) for invoice in invoices], ignore_conflicts=True
    )
    return list(
        InvoiceEmail.objects.filter(invoice__in=invoices, sent_at__isnull=True).values_list("pk", flat=True)
    )


# --- The reminders of an overdue invoice ----------------------------------------------------------

REMINDER_SUBJECTS = {
    1: lambda c: _("Reminder: invoice %(number)s is due") % c,
    2: lambda c: _("Second reminder: invoice %(number)s is still unpaid") % c,
    3: lambda c: _("Last reminder: invoice %(number)s") % c,
}


class InvoiceReminderHandler(Handler):
    """A stage of the reminders: dropped (recorded as closed, not sent) when the invoice
    is no longer overdue or its buyer has no address."""

    model = InvoiceReminder
    task_name = "billing.send_invoice_reminder"
    message_kind = "invoice-reminder"
    not_due = NotDue.CLOSE
    stale_after = datetime.timedelta(minutes=30)
    give_up_after = datetime.timedelta(days=7)

    def _invoice(self, reminder: InvoiceReminder) -> Invoice:
        if not hasattr(reminder, "_invoice"):
            reminder._invoice = (
                with_status(Invoice.objects.filter(pk=reminder.invoice_id)).select_related("chapter").get()
            )
        return reminder._invoice

    def still_due(self, reminder: InvoiceReminder, now) -> bool:
        invoice = self._invoice(reminder)
        return invoice.status == InvoiceStatus.OVERDUE and bool(invoice.buyer_email)

    def build(self, reminder: InvoiceReminder, now):
        invoice = self._invoice(reminder)
        with translation.override(LANGUAGE):
            context = {
                "invoice": invoice,
                "chapter": invoice.chapter,
                "stage": reminder.stage,
                # What fell due and was not paid (one instalment, or the whole balance).
                "due_amount": euros(invoice.overdue_amount),
                "total": euros(invoice.total_incl_vat),
                "days_late": days_late(invoice, timezone.localdate()),
                # The date the days are counted from: the oldest unpaid instalment's.
                "overdue_since": overdue_since(invoice, invoice.paid),
            }
            subject = REMINDER_SUBJECTS[reminder.stage]({"number": invoice.number})
        return self.email(
            reminder, "billing/overdue", context, subject=subject, to=[invoice.buyer_email], language=LANGUAGE
        )


send_invoice_reminder = InvoiceReminderHandler.task
