"""Reminders of overdue invoices, by stage, each e-mailed to the buyer at most once.

Run daily by Celery beat (`billing.plan_overdue_reminders`): for every invoice still
overdue (a balance left, not cancelled by a credit note), the stages whose day has come
get an `InvoiceReminder` row (unique per invoice and stage), and each new row's e-mail
is enqueued after the commit. Only the latest stage due is sent: an invoice found 40
days late gets the second reminder, not the first and the second at once (the first is
recorded as passed). The sending task locks the row, checks the invoice is still
overdue (a payment may have come in), sends and stamps `sent_at` in one transaction:
a second run or a redelivered task sends nothing twice.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from billing.enums import InvoiceKind, InvoiceStatus
from billing.models import Invoice, InvoiceReminder
from billing.selectors import overdue_since, with_status
from billing.services import euros
from plato.emails import build_email
from plato.tasks import enqueue_each_on_commit

logger = logging.getLogger(__name__)

# Days after the due date: a friendly reminder, a second one, a last one before the
# CCI's collection procedure.
STAGES = {1: 7, 2: 30, 3: 60}
STALE_AFTER = datetime.timedelta(minutes=30)


def days_late(invoice: Invoice, today: datetime.date) -> int:
    """Days since the oldest unpaid instalment fell due (without a schedule: the due date).
    Reads the `paid` annotation of `with_status`."""
    return (today - overdue_since(invoice, invoice.paid)).days


def stage_due(invoice: Invoice, today: datetime.date) -> int:
    """The latest stage whose day has come (0: none yet)."""
    late = days_late(invoice, today)
    return max((stage for stage, days in STAGES.items() if late >= days), default=0)


def plan_overdue_reminders(today: datetime.date | None = None) -> int:
    """Write the reminders due today and enqueue their e-mails (and those a dead worker
    left unsent). Returns how many e-mails were enqueued."""
    from billing.tasks import send_invoice_reminder  # the task module imports this one

    today = today or timezone.localdate()
    started = timezone.now()
    with transaction.atomic():
        overdue = with_status(Invoice.objects.filter(kind=InvoiceKind.INVOICE), today).filter(
            status=InvoiceStatus.OVERDUE
        )
        existing = set(InvoiceReminder.objects.filter(invoice__in=overdue).values_list("invoice_id", "stage"))
        rows = []
        for invoice in overdue.only("pk", "due_on", "instalments"):
            latest = stage_due(invoice, today)
            for stage in range(1, latest + 1):
                if (invoice.pk, stage) not in existing:
                    # Earlier stages passed unseen are recorded as such, not sent late.
                    rows.append(
                        InvoiceReminder(
                            invoice=invoice, stage=stage, sent_at=None if stage == latest else started
                        )
                    )
        InvoiceReminder.objects.bulk_create(rows, ignore_conflicts=True)
        ids = _unsent_ids(started)
        # One message for them all; a broker refusing it leaves them for the next run.
        enqueue_each_on_commit(send_invoice_reminder, ids)
    return len(ids)


def _unsent_ids(started: datetime.datetime) -> list[int]:
    fresh = InvoiceReminder.objects.filter(sent_at__isnull=True, created_at__gte=started)
    stale = InvoiceReminder.objects.filter(
        sent_at__isnull=True,
        created_at__lt=started - STALE_AFTER,
        created_at__gt=started - datetime.timedelta(days=7),
    )
    return sorted(set(fresh.values_list("pk", flat=True)) | set(stale.values_list("pk", flat=True)))


SUBJECTS = {
    1: lambda c: _("Reminder: invoice %(number)s is due") % c,
    2: lambda c: _("Second reminder: invoice %(number)s is still unpaid") % c,
    3: lambda c: _("Last reminder: invoice %(number)s") % c,
}


def send_invoice_reminder(reminder_id: int) -> bool:
    """Send one reminder unless sent already or no longer due (paid or cancelled since)."""
    failure = None
    with transaction.atomic():
        reminder = (
            InvoiceReminder.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=reminder_id, sent_at__isnull=True)
            .first()
        )
        if reminder is None:
            return False
        invoice = with_status(Invoice.objects.filter(pk=reminder.invoice_id)).select_related("chapter").get()
        if invoice.status != InvoiceStatus.OVERDUE or not invoice.buyer_email:
            reminder.sent_at = timezone.now()  # nothing to send any more: closed, not sent
            reminder.save(update_fields=["sent_at"])
            logger.info("Invoice reminder %s no longer due", reminder_id)
            return False
        reminder.attempts += 1
        try:
            with translation.override("fr"):
                # What fell due and was not paid (one instalment, or the whole balance).
                due = invoice.overdue_amount
                context = {
                    "invoice": invoice,
                    "chapter": invoice.chapter,
                    "stage": reminder.stage,
                    "due_amount": euros(due),
                    "total": euros(invoice.total_incl_vat),
                    "days_late": days_late(invoice, timezone.localdate()),
                    # The date the days are counted from: the oldest unpaid instalment's.
                    "overdue_since": overdue_since(invoice, invoice.paid),
                }
                subject = SUBJECTS[reminder.stage]({"number": invoice.number})
            build_email(
                "billing/overdue",
                context,
                subject=subject,
                to=[invoice.buyer_email],
                language="fr",
                message_of=("invoice-reminder", reminder),
            ).send()
        except Exception as error:
            failure = error
            reminder.save(update_fields=["attempts"])
        else:
            reminder.sent_at = timezone.now()
            reminder.save(update_fields=["attempts", "sent_at"])
    if failure is not None:
        raise failure
    return True
