from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.builders import build_demo
from demo.builders.members import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Build (or refresh) the Plato 56 — CCI du Morbihan demo data and its demo accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even in production (it creates a superuser with a published password).",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION and not options["force"]:
            raise CommandError(
                "Refusing to load demo data in production: it creates admin@plato.test, a superuser "
                "whose password is published in the README. Use --force on a staging copy only."
            )
        build_demo(today=timezone.localdate())
        self.stdout.write(self.style.SUCCESS("Demo data ready: Plato 56 — CCI du Morbihan."))
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for role, email in DEMO_ACCOUNTS.items():
            self.stdout.write(f"  {role:<15} {email}")
