"""Celery tasks of the documents: thin, by id, idempotent (found by Celery's autodiscovery).

Their names are still « billing.… »: beat's schedule (plato/settings.py) and the
messages already queued in Redis call them by these names. `billing.send_attendance_certificate`
is the outbox task of documents.notifications.CertificateHandler."""

from celery import shared_task

from documents import notifications, services  # noqa: F401 (notifications: the outbox task)


@shared_task(name="billing.build_export")
def build_export(job_id: int) -> None:
    """Build a waiting export once: a job gone, done, failed or already claimed is left alone."""
    services.build_export(job_id)


@shared_task(name="billing.sweep_exports")
def sweep_exports() -> int:
    """Run every minute by Celery beat: exports whose worker died are started over, and
    those never handed to a worker are handed over again."""
    return services.sweep_exports()
