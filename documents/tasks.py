"""Celery tasks of the documents: thin, by id, idempotent (found by Celery's autodiscovery).

Their names are still « billing.… »: beat's schedule (plato/settings.py) and the
messages already queued in Redis call them by these names."""

from celery import shared_task

from documents import services


@shared_task(name="billing.build_export")
def build_export(job_id: int) -> None:
    """Build a waiting export once: a job gone, done, failed or already claimed is left alone."""
    services.build_export(job_id)


@shared_task(name="billing.sweep_exports")
def sweep_exports() -> int:
    """Run every minute by Celery beat: exports whose worker died are started over, and
    those never handed to a worker are handed over again."""
    return services.sweep_exports()


@shared_task(
    name="billing.send_attendance_certificate",
    autoretry_for=(OSError,),  # the mail server refused or was unreachable: try again later
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=5,
)
def send_attendance_certificate(delivery_id: int) -> bool:
    """E-mail an alumni their end-of-programme certificate once."""
    return services.send_attendance_certificate(delivery_id)


@shared_task(name="billing.sweep_certificate_emails")
def sweep_certificate_emails() -> int:
    """Run hourly by Celery beat: certificates left unsent go back to their task."""
    return services.sweep_certificate_emails()
