"""Every outbox handler through the production engines: PostgreSQL, Redis, a real Celery
worker, SMTP — the worker killed (SIGKILL) in the middle of a batch, then resumed.

One test, one case per handler (tests/plato/test_outbox.py checks no handler lacks its
case): each writes a batch of due e-mails the way the product does (the planner, the
service), a worker starts sending them and is killed while it talks to the mail server,
then a new worker and the outbox's sweep resume. Every e-mail arrives exactly once, to the
right person, and every row is stamped sent. Runs in CI; skipped in embedded mode.
"""

import datetime
import time
from collections import Counter
from dataclasses import dataclass

import pytest
from django.utils import timezone

from plato.outbox import HANDLERS
from tests import factories
from tests.celery_workers import DELIVERY_TIMEOUT, NEEDS_WORKER, Worker, queue_length, wait_for
from tests.mail import SmtpSink

pytestmark = NEEDS_WORKER

BATCH = 10


@dataclass
class Batch:
    """What a case arranged: who must get one e-mail each, how to start sending, and
    what else resuming needs besides the outbox's sweep."""

    expected: Counter
    start: object
    resume: object = None


def _members(cohort, count=BATCH):
    return [factories.MembershipFactory(cohort=cohort) for _ in range(count)]


def meeting_notices(request) -> Batch:
    from meetings import notifications

    cohort = request.getfixturevalue("cohort")
    members = _members(cohort, BATCH - 2)
    # With the cohort's sponsor and facilitator (the fixtures attach them to the cohort).
    sponsor, facilitator = request.getfixturevalue("sponsor"), request.getfixturevalue("facilitator")
    starts_at = timezone.now() + datetime.timedelta(days=6, hours=20)
    factories.MeetingFactory(
        cohort=cohort,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        vote_opens_at=starts_at - datetime.timedelta(days=30),
        vote_closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    # The week's reminder to everyone, and the RSVP request to the sponsor (who gets both).
    expected = Counter([m.person.email for m in members] + [facilitator.email, sponsor.email, sponsor.email])
    return Batch(expected, start=notifications.plan_reminders)


def plenary_notices(request) -> Batch:
    from plenaries import notifications
    from plenaries.enums import Attendee, RegistrationState
    from plenaries.models import Registration

    chapter, cohort = request.getfixturevalue("chapter"), request.getfixturevalue("cohort")
    now = timezone.now()
    starts_at = now + datetime.timedelta(days=6, hours=20)
    plenary = factories.PlenaryFactory(
        chapter=chapter,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=4),
        registration_opens_at=now - datetime.timedelta(days=30),
        registration_closes_at=now - datetime.timedelta(days=1),
    )
    members = _members(cohort)
    for membership in members:
        Registration.objects.create(
            plenary=plenary,
            person=membership.person,
            attendee=Attendee.MEMBER,
            cohort=cohort,
            state=RegistrationState.REGISTERED,
            queued_at=now,
        )
    return Batch(Counter(m.person.email for m in members), start=notifications.plan_reminders)


def _issued_invoices(request, *, today=None):
    from billing import services

    request.getfixturevalue("invoicing_chapter")
    cohort, coordinator = request.getfixturevalue("cohort"), request.getfixturevalue("coordinator")
    members = _members(cohort)
    invoices = [services.issue_invoice(m, actor=coordinator, today=today) for m in members]
    return invoices


def invoice_emails(request) -> Batch:
    from billing.models import InvoiceEmail
    from billing.tasks import render_and_send_invoice, sweep_pending_documents
    from plato.celery import app
    from plato.tasks import enqueue_each

    request.getfixturevalue("media_settings")
    invoices = _issued_invoices(request)
    app.control.purge()  # issuing enqueued them already: the test starts them itself, below
    rows = InvoiceEmail.objects.filter(invoice__in=invoices)
    assert rows.count() == BATCH

    def start():
        # What the issue enqueued after its commit: each invoice's PDF, then its e-mail.
        enqueue_each(render_and_send_invoice, [invoice.pk for invoice in invoices])

    # A worker killed while rendering leaves an e-mail waiting for its PDF: beat's sweep of
    # pending documents renders it.
    return Batch(
        Counter(invoice.buyer_email for invoice in invoices),
        start=start,
        resume=lambda: sweep_pending_documents(older_than_seconds=0),
    )


def invoice_reminders(request) -> Batch:
    from billing import reminders
    from billing.models import InvoiceEmail
    from plato.celery import app

    invoices = _issued_invoices(request, today=timezone.localdate() - datetime.timedelta(days=60))
    app.control.purge()  # the invoices' own e-mails are not this case's
    InvoiceEmail.objects.update(sent_at=timezone.now())
    return Batch(Counter(invoice.buyer_email for invoice in invoices), start=reminders.plan_overdue_reminders)


def certificate_deliveries(request) -> Batch:
    from groups import services as group_services

    request.getfixturevalue("media_settings")
    cohort = request.getfixturevalue("cohort")
    members = _members(cohort)

    def start():
        group_services.close_cohort(cohort, actor=None, closed_on=timezone.localdate())

    return Batch(Counter(m.person.email for m in members), start=start)


CASES = {
    "meetings.send_notification": meeting_notices,
    "plenaries.send_notification": plenary_notices,
    "billing.send_invoice_email": invoice_emails,
    "billing.send_invoice_reminder": invoice_reminders,
    "billing.send_attendance_certificate": certificate_deliveries,
}


@pytest.fixture
def media_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.parametrize("task_name", sorted(CASES))
def test_a_worker_killed_midway_then_resumed_sends_each_email_once(
    task_name, request, broker_queue_empty, tmp_path, settings
):
    handler = HANDLERS[task_name]
    batch = CASES[task_name](request)
    total = sum(batch.expected.values())
    assert total >= BATCH
    env = {"MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    # Sent, not merely closed (a reminder stage passed unseen is stamped without an e-mail).
    sent = handler.model.objects.filter(sent_at__isnull=False, attempts__gt=0)

    # Each RCPT waits 0.3 s: the kill lands while the worker talks to the server.
    with SmtpSink(rcpt_delay=0.3) as sink:
        worker = Worker(sink.url, tmp_path / "worker-1.log", extra_env=env)
        try:
            batch.start()
            wait_for(lambda: len(sink.handler.received()) >= 3, DELIVERY_TIMEOUT, "the first three e-mails")
            sink.handler.waiting.clear()
            wait_for(sink.handler.waiting.is_set, DELIVERY_TIMEOUT, "the worker to start the next e-mail")
            worker.kill()
        finally:
            worker.stop()

        delivered = len(sink.handler.received())
        assert 3 <= delivered < total, "the kill should land midway"
        assert sent.count() == delivered, "every delivered e-mail is recorded, and only those"

        # Resume: a new worker takes what is left in the queue, and the sweep hands over
        # again the rows the dead worker left unsent.
        worker = Worker(sink.url, tmp_path / "worker-2.log", extra_env=env)
        try:
            if batch.resume:
                batch.resume()
            handler.sweep(stale_after=datetime.timedelta(0))
            wait_for(lambda: not handler.unsent().exists(), DELIVERY_TIMEOUT, "every e-mail to be sent")
            wait_for(lambda: queue_length() == 0, DELIVERY_TIMEOUT, "the queue to drain")
            time.sleep(1.5)  # duplicates still in the worker's hands would arrive now
            assert handler.sweep() == 0, "a later sweep finds nothing to send"
        finally:
            worker.stop()

    messages = sink.handler.received()
    ids = Counter(message["Message-ID"] for message in messages)
    assert len(messages) == total and set(ids.values()) == {1}, ids
    assert Counter(message["To"] for message in messages) == batch.expected
    assert sent.count() == total
