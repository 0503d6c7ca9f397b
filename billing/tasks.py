"""Celery tasks of billing: thin, by id, idempotent."""

from celery import shared_task

from billing import documents, reminders


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


@shared_task(
    name="billing.send_invoice_reminder",
    autoretry_for=(OSError,),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=5,
)
def send_invoice_reminder(reminder_id: int) -> bool:
    return reminders.send_invoice_reminder(reminder_id)
