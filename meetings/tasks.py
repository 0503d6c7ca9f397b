"""Celery tasks of meetings: thin, by id, idempotent (see meetings.notifications)."""

from celery import shared_task

from meetings import notifications


@shared_task(name="meetings.plan_reminders")
def plan_reminders() -> int:
    """Run by Celery beat (settings.CELERY_BEAT_SCHEDULE): the reminders due now."""
    return notifications.plan_reminders()


@shared_task(
    name="meetings.send_notification",
    autoretry_for=(OSError,),  # the mail server refused or was unreachable: try again later
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=notifications.TASK_RETRIES,
)
def send_notification(notification_id: int) -> bool:
    return notifications.send_notification(notification_id)
