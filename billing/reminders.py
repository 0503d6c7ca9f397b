"""Reminders of overdue invoices, by stage, each e-mailed to the buyer at most once.

Run daily by Celery beat (`billing.plan_overdue_reminders`): for every invoice still
overdue (a balance left, not cancelled by a credit note), the stages whose day has come
get an `InvoiceReminder` row (unique per invoice and stage), and each new row's e-mail
is enqueued after the commit through the outbox (billing.notifications). Only the latest stage due is sent: an invoice found 40
days late gets the second reminder, not the first and the second at once (the first is
recorded as passed). The handler checks the invoice is still overdue when it sends (a
payment may have come in): a second run or a redelivered task sends nothing twice.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from billing.enums import InvoiceKind, InvoiceStatus
from billing.models import Invoice, InvoiceReminder
from billing.notifications import InvoiceReminderHandler
from billing.selectors import days_late, with_status

logger = logging.getLogger(__name__)

# Days after the due date: a friendly reminder, a second one, a last one before the
# CCI's collection procedure.
STAGES = {1: 7, 2: 30, 3: 60}


def stage_due(invoice: Invoice, today: datetime.date) -> int:
    """The latest stage whose day has come (0: none yet)."""
    late = days_late(invoice, today)
    return max((stage for stage, days in STAGES.items() if late >= days), default=0)


def plan_overdue_reminders(today: datetime.date | None = None) -> int:
    """Write the reminders due today and enqueue their e-mails (and those a dead worker
    left unsent). Returns how many e-mails were enqueued."""
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
        fresh = InvoiceReminder.objects.filter(sent_at__isnull=True, created_at__gte=started)
        # One message for them all; a broker refusing it leaves them for the next run.
        return len(InvoiceReminderHandler().plan(fresh.values_list("pk", flat=True), started=started))
