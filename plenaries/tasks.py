"""Celery tasks of plenaries: thin, by id, idempotent (see plenaries.notifications).

`plenaries.send_notification` is the outbox task of `notifications.PlenaryNotificationHandler`
(plato.outbox): importing the module here is what makes the worker know it."""

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
