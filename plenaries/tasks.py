"""Celery tasks of plenaries: thin, by id, idempotent (see plenaries.notifications)."""

from celery import shared_task

from plenaries import notifications, services


@shared_task(name="plenaries.expire_offers")
def expire_offers() -> int:
    """Run by Celery beat: places offered from the waiting list and not confirmed in time pass on."""
    return services.expire_offers()


@shared_task(name="plenaries.send_notification", autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_notification(notification_id: int) -> bool:
    return notifications.send_notification(notification_id)
