"""Run the meetings' reminder planner once (Celery beat does it every 15 minutes in production)."""

from django.core.management.base import BaseCommand

from meetings import notifications


class Command(BaseCommand):
    help = "Send the meeting reminders due now (each at most once); for setups without Celery beat."

    def handle(self, *args, **options):
        count = notifications.plan_reminders()
        self.stdout.write(f"{count} e-mail(s) enqueued.")
