"""Celery tasks of plenaries: thin, by id, idempotent (see plenaries.notifications)."""

from celery import shared_task

from plenaries import notifications, services


@shared_task(name="plenaries.expire_offers")
def expire_offers() -> int:
    """Run by Celery beat: places offered from the waiting list and not confirmed in time pass on."""
    return services.expire_offers()


@shared_task(name="plenaries.plan_reminders")
def plan_reminders() -> int:
    """Run by Celery beat (settings.CELERY_BEAT_SCHEDULE): the invitations and reminders due now."""
    return notifications.plan_reminders()


@shared_task(
    name="plenaries.send_notification",
    autoretry_for=(OSError,),  # the mail server refused or was unreachable: try again later
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=notifications.TASK_RETRIES,
)
def send_notification(notification_id: int) -> bool:
    return notifications.send_notification(notification_id)
