from django.core.management.base import BaseCommand
from django.utils import timezone

from members.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoBuilder


class Command(BaseCommand):
    help = "Build (or refresh) the Plato 56 — CCI du Morbihan demo data and its demo accounts."

    def handle(self, *args, **options):
        DemoBuilder(today=timezone.localdate()).build()
        self.stdout.write(self.style.SUCCESS("Demo data ready: Plato 56 — CCI du Morbihan."))
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for role, email in DEMO_ACCOUNTS.items():
            self.stdout.write(f"  {role:<15} {email}")
