"""Concurrent issues on PostgreSQL: consecutive numbers, dates that never go down, no gap left
by an issue that rolled back. Skipped on SQLite (one writer at a time: nothing to race)."""

import datetime
import random
import threading

import pytest
from django.db import connection, transaction

from billing import services
from billing.models import Invoice
from tests import factories

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"),
    pytest.mark.django_db(transaction=True),
]

COMMITTED, ROLLED_BACK = 50, 10


class RolledBack(Exception):
    pass


def test_concurrent_issues_get_consecutive_numbers_and_rollbacks_leave_no_gap(
    transactional_db, invoicing_chapter, cohort, coordinator
):
    memberships = [factories.MembershipFactory(cohort=cohort) for _ in range(COMMITTED + ROLLED_BACK)]
    plans = [True] * COMMITTED + [False] * ROLLED_BACK  # True: commits; False: rolls back after issuing
    random.Random(56).shuffle(plans)
    base = datetime.date(2026, 11, 27)
    barrier = threading.Barrier(len(memberships))
    errors: list[BaseException] = []

    def issue(membership, commits: bool, skew: int) -> None:
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                # Each "server" reads its own clock: some run a day or two behind.
                services.issue_invoice(
                    membership, actor=coordinator, today=base + datetime.timedelta(days=skew)
                )
                if not commits:
                    raise RolledBack
        except RolledBack:
            pass
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    rng = random.Random(35)
    threads = [
        threading.Thread(target=issue, args=(membership, commits, rng.randint(0, 2)))
        for membership, commits in zip(memberships, plans, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    invoices = list(Invoice.objects.order_by("sequence"))
    assert [invoice.sequence for invoice in invoices] == list(range(1, COMMITTED + 1))
    assert [invoice.number for invoice in invoices][:2] == ["P56-2026-00001", "P56-2026-00002"]
    dates = [invoice.issued_on for invoice in invoices]
    assert dates == sorted(dates), "an issue date went down as the numbers went up"
    assert len({invoice.membership_id for invoice in invoices}) == COMMITTED
