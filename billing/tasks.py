"""Celery tasks of billing: thin, by id, idempotent.

`billing.send_invoice_email` and `billing.send_invoice_reminder` are the outbox tasks of
billing.notifications' handlers (plato.outbox): importing the module here is what makes
the worker know them."""

import datetime

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from billing import documents, notifications, reminders  # noqa: F401 (notifications: its tasks)
from plato.tasks import enqueue_each


@shared_task(
    name="billing.render_and_send_invoice",
    autoretry_for=(OSError,),  # storage or mail server unavailable: try again later
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=5,
)
def render_and_send_invoice(invoice_id: int) -> None:
    """Render the invoice's PDF once, then e-mail it to the buyer once."""
    documents.render_and_send(invoice_id)


@shared_task(name="billing.plan_overdue_reminders")
def plan_overdue_reminders() -> int:
    """Run daily by Celery beat (settings.CELERY_BEAT_SCHEDULE)."""
    return reminders.plan_overdue_reminders()


# An invoice still without its PDF or its e-mail this long after its issue lost its task
# (a worker killed mid-render, a flushed broker): the sweep enqueues it again.
SWEEP_AFTER = datetime.timedelta(minutes=10)


@shared_task(name="billing.sweep_pending_documents")
def sweep_pending_documents(*, older_than_seconds: int | None = None) -> int:
    """Run by Celery beat every 15 minutes: invoices issued a while ago whose PDF or e-mail
    is still missing go back to `render_and_send_invoice` (which does each step once)."""
    from billing.models import Invoice

    older_than = (
        datetime.timedelta(seconds=older_than_seconds) if older_than_seconds is not None else SWEEP_AFTER
    )
    pending = Invoice.objects.filter(created_at__lte=timezone.now() - older_than).filter(
        Q(pdf="") | Q(emailed_at__isnull=True, buyer_email__gt="")
    )
    ids = list(pending.values_list("pk", flat=True))
    enqueue_each(render_and_send_invoice, ids)
    return len(ids)
