"""A cohort's batch issue and a single issue for one of its members at the same moment:
no deadlock, every member invoiced once. PostgreSQL only (SQLite has one writer at a time).

The single issue holds its membership's lock and is about to take the number counter when
the batch starts. Were the batch to lock memberships one at a time while holding the
counter, each would wait for the other (a deadlock, a 500). The batch locks its members up
front, before numbering, so it waits for the single issue and then skips its member."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction

from billing import services
from billing.models import Invoice
from groups.models import Membership
from tests import factories

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"),
    pytest.mark.django_db(transaction=True),
]

TODAY = datetime.date(2026, 11, 27)


def test_a_single_issue_during_the_batch_neither_deadlocks_nor_invoices_twice(
    transactional_db, invoicing_chapter, cohort, coordinator, monkeypatch
):
    memberships = [factories.MembershipFactory(cohort=cohort) for _ in range(4)]
    # The single issue is for the member the batch would reach last.
    target = Membership.objects.filter(cohort=cohort).order_by("company__name", "pk").last()
    holds_its_member = threading.Event()
    go_on = threading.Event()
    take_number = services._take_number

    def paused_take_number(*args, **kwargs):
        if threading.current_thread().name == "single":
            holds_its_member.set()
            go_on.wait(timeout=30)
        return take_number(*args, **kwargs)

    monkeypatch.setattr(services, "_take_number", paused_take_number)

    errors: list[BaseException] = []
    results: dict[str, object] = {}

    def run(name, issue):
        try:
            with transaction.atomic():
                results[name] = issue()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    single = threading.Thread(
        name="single",
        target=run,
        args=("single", lambda: services.issue_invoice(target, actor=coordinator, today=TODAY)),
    )
    batch = threading.Thread(
        name="batch",
        target=run,
        args=("batch", lambda: services.issue_cohort_invoices(cohort, actor=coordinator, today=TODAY)),
    )
    single.start()
    assert holds_its_member.wait(timeout=30)
    batch.start()
    time.sleep(1.5)  # the batch is now waiting (for the member's lock, or the counter's)
    go_on.set()
    single.join(timeout=60)
    batch.join(timeout=60)

    assert not errors, errors
    invoices = list(Invoice.objects.order_by("sequence"))
    assert len(invoices) == len(memberships)
    assert len({invoice.membership_id for invoice in invoices}) == len(invoices)
    assert [invoice.sequence for invoice in invoices] == list(range(1, len(invoices) + 1))
    assert results["single"].membership_id == target.pk
    assert target.pk not in {invoice.membership_id for invoice in results["batch"]}
