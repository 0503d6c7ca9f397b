"""Celery tasks of the member exports: thin, by id, idempotent (registered by BillingConfig.ready)."""

from celery import shared_task

from billing.exports import services


@shared_task(name="billing.build_export")
def build_export(job_id: int) -> None:
    """Build the export once: a job gone or done is left alone; a failed one is built again."""
    services.build_export(job_id)
