"""A cohort's invoices rendered and e-mailed by a real worker that is killed midway.

PostgreSQL, Redis, a Celery worker subprocess and an SMTP sink: a batch of 12 invoices
is issued, the worker is SIGKILLed while it talks to the mail server, then a new worker
and beat's sweep (`billing.sweep_pending_documents`) resume. In the end every invoice
has exactly one PDF in storage and every member exactly one e-mail. Runs in CI.
"""

import time
from collections import Counter

import pytest

from billing import services
from billing.models import Invoice
from billing.tasks import sweep_pending_documents
from tests import factories
from tests.celery_workers import DELIVERY_TIMEOUT, NEEDS_WORKER, Worker, queue_length, wait_for
from tests.mail import SmtpSink

pytestmark = NEEDS_WORKER

MEMBERS = 12


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_worker_killed_while_sending_a_batch_leaves_one_pdf_and_one_email_each(
    transactional_db, invoicing_chapter, cohort, coordinator, media, broker_queue_empty, tmp_path
):
    for _ in range(MEMBERS):
        factories.MembershipFactory(cohort=cohort)
    env = {"MEDIA_ROOT": str(media)}

    with SmtpSink(rcpt_delay=0.3) as sink:
        worker = Worker(sink.url, tmp_path / "worker-1.log", extra_env=env)
        try:
            issued = services.issue_cohort_invoices(cohort, actor=coordinator)
            assert len(issued) == MEMBERS
            wait_for(lambda: len(sink.handler.received()) >= 4, DELIVERY_TIMEOUT, "the first four e-mails")
            sink.handler.waiting.clear()
            wait_for(sink.handler.waiting.is_set, DELIVERY_TIMEOUT, "the worker to start the next e-mail")
            worker.kill()
        finally:
            worker.stop()

        delivered = len(sink.handler.received())
        assert 4 <= delivered < MEMBERS, "the kill should land midway"
        assert Invoice.objects.filter(emailed_at__isnull=False).count() == delivered

        worker = Worker(sink.url, tmp_path / "worker-2.log", extra_env=env)
        try:
            # The new worker may already be taking the tasks left in the queue: the sweep
            # finds at most those the dead worker left, and enqueueing some twice is harmless.
            assert 0 <= sweep_pending_documents(older_than_seconds=0) <= MEMBERS - delivered
            wait_for(
                lambda: not Invoice.objects.filter(emailed_at__isnull=True).exists(),
                DELIVERY_TIMEOUT,
                "every invoice to be e-mailed",
            )
            wait_for(lambda: queue_length() == 0, DELIVERY_TIMEOUT, "the queue to drain")
            time.sleep(1.5)  # duplicates still in the worker's hands would arrive now
        finally:
            worker.stop()

    invoices = list(Invoice.objects.order_by("sequence"))
    ids = Counter(message["Message-ID"] for message in sink.handler.received())
    assert len(ids) == MEMBERS and set(ids.values()) == {1}, ids
    assert sorted(message["To"] for message in sink.handler.received()) == sorted(
        i.buyer_email for i in invoices
    )
    assert all(invoice.pdf for invoice in invoices)
    files = sorted(path.name for path in media.rglob("*.pdf"))
    assert files == sorted(f"{invoice.number}.pdf" for invoice in invoices), files
