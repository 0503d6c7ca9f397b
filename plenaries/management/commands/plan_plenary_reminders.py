"""Run the plenaries' planner once (Celery beat does it every 15 minutes in production)."""

from django.core.management.base import BaseCommand

from plenaries import notifications, services


class Command(BaseCommand):
    help = (
        "Pass on the places offered and not confirmed in time, then send the plenary invitations "
        "and reminders due now (each at most once); for setups without Celery beat."
    )

    def handle(self, *args, **options):
        lapsed = services.expire_offers()
        count = notifications.plan_reminders()
        self.stdout.write(f"{lapsed} offer(s) lapsed, {count} e-mail(s) enqueued.")
