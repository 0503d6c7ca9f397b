"""List the invoices issued since a time (a restored dump's), from storage and the mail log.

    python manage.py invoices_issued_since "2026-03-14 02:30" --mail-log worker.log [--reserve]

See billing/recovery.py and docs/deployment.md ("Restoring").
"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from billing import recovery


class Command(BaseCommand):
    help = (
        "After restoring an older backup: list the invoices and credit notes issued since the "
        "dump, found in storage (their PDFs) and in the worker's mail log, and say which the "
        "database no longer has. With --reserve, move each series' counter past them so that "
        "no number already sent is given again."
    )

    def add_arguments(self, parser):
        parser.add_argument("since", help='the dump\'s time, local time, e.g. "2026-03-14 02:30"')
        parser.add_argument(
            "--mail-log",
            action="append",
            default=[],
            type=Path,
            help="a log file of the worker (docker compose logs worker > worker.log); repeatable",
        )
        parser.add_argument(
            "--reserve", action="store_true", help="move the number counters past every number found"
        )

    def handle(self, *args, since: str, mail_log: list[Path], reserve: bool, **options):
        try:
            moment = datetime.datetime.fromisoformat(since)
        except ValueError as error:
            raise CommandError(f'"{since}" is not a time such as "2026-03-14 02:30".') from error
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        for path in mail_log:
            if not path.is_file():
                raise CommandError(f"{path}: no such file.")

        found = recovery.issued_since(moment, mail_logs=tuple(mail_log))
        if not found:
            self.stdout.write(f"No invoice issued since {moment:%Y-%m-%d %H:%M %Z}.")
        for entry in found:
            seen = timezone.localtime(entry.seen_at).strftime("%Y-%m-%d %H:%M") if entry.seen_at else "?"
            state = "in the database" if entry.in_database else "NOT IN THE DATABASE"
            sources = ", ".join(sorted(entry.sources - {"database"})) or "-"
            self.stdout.write(f"{entry.number:<24} {seen:<16} {state:<20} found in: {sources}")
        missing = [entry for entry in found if not entry.in_database]
        if missing:
            self.stdout.write(
                f"{len(missing)} issued and sent but lost by the restore: their numbers are taken; "
                "enter them again from their PDFs (or cancel them by credit notes)."
            )
        if reserve:
            for change in recovery.reserve_numbers(found):
                self.stdout.write(
                    f"Counter {change.chapter.invoice_prefix} {change.kind} {change.year}: "
                    f"{change.was} -> {change.now}"
                )
        elif missing:
            self.stdout.write(
                "Run again with --reserve before issuing anything, so that no number is given twice."
            )
