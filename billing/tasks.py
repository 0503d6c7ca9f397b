"""Celery tasks of billing: thin, by id, idempotent."""

from celery import shared_task

from billing import documents


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
