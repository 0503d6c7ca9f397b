"""Celery tasks of meetings: thin, by id, idempotent (see meetings.notifications).

`meetings.send_notification` is the outbox task of `notifications.NotificationHandler`
(plato.outbox): importing the module here is what makes the worker know it."""

from celery import shared_task

from meetings import notifications


@shared_task(name="meetings.plan_reminders")
def plan_reminders() -> int:
    """Run by Celery beat (settings.CELERY_BEAT_SCHEDULE): the reminders due now."""
    return notifications.plan_reminders()
