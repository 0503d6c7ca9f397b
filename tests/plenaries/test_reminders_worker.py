"""Plenary reminders through the production engines: PostgreSQL, Redis, a real Celery
worker, SMTP. The worker is killed (SIGKILL) while it talks to the mail server, then a
new worker and the next planner run resume: every reminder arrives exactly once. Runs in
CI (.ci/run sets DATABASE_URL and REDIS_URL); skipped in embedded mode.
"""

import datetime
import time
from collections import Counter

import pytest
from django.utils import timezone

from plenaries import notifications
from plenaries.enums import Attendee, PlenaryNotificationKind, RegistrationState
from plenaries.models import PlenaryNotification, Registration
from tests import factories
from tests.celery_workers import DELIVERY_TIMEOUT, NEEDS_WORKER, Worker, queue_length, wait_for
from tests.mail import SmtpSink

pytestmark = NEEDS_WORKER


@pytest.fixture
def week_before(transactional_db, chapter, cohort):
    """A plenary in six days and twenty hours with 12 people registered (registration closed)."""
    now = timezone.now()
    starts_at = now + datetime.timedelta(days=6, hours=20)
    plenary = factories.PlenaryFactory(
        chapter=chapter,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=4),
        registration_opens_at=now - datetime.timedelta(days=30),
        registration_closes_at=now - datetime.timedelta(days=1),
    )
    for _ in range(12):
        person = factories.MembershipFactory(cohort=cohort).person
        Registration.objects.create(
            plenary=plenary,
            person=person,
            attendee=Attendee.MEMBER,
            cohort=cohort,
            state=RegistrationState.REGISTERED,
            queued_at=now,
        )
    return plenary


def test_a_worker_killed_midway_then_resumed_sends_every_reminder_exactly_once(
    week_before, broker_queue_empty, tmp_path
):
    expected = Counter(week_before.registrations.values_list("person__email", flat=True))
    total = sum(expected.values())
    assert total == 12

    # Each RCPT waits 0.3 s: the kill lands while the worker talks to the server.
    with SmtpSink(rcpt_delay=0.3) as sink:
        worker = Worker(sink.url, tmp_path / "worker-1.log")
        try:
            assert notifications.plan_reminders() == total
            wait_for(lambda: len(sink.handler.received()) >= 4, DELIVERY_TIMEOUT, "the first four e-mails")
            sink.handler.waiting.clear()
            wait_for(sink.handler.waiting.is_set, DELIVERY_TIMEOUT, "the worker to start the next e-mail")
            worker.kill()
        finally:
            worker.stop()

        delivered = len(sink.handler.received())
        stamped = PlenaryNotification.objects.filter(sent_at__isnull=False).count()
        assert 4 <= delivered < total, "the kill should land midway"
        assert stamped == delivered, "every delivered e-mail is recorded, and only those"

        worker = Worker(sink.url, tmp_path / "worker-2.log")
        try:
            notifications.plan_reminders(stale_after=datetime.timedelta(0))
            wait_for(
                lambda: not PlenaryNotification.objects.filter(sent_at__isnull=True).exists(),
                DELIVERY_TIMEOUT,
                "every reminder to be sent",
            )
            wait_for(lambda: queue_length() == 0, DELIVERY_TIMEOUT, "the queue to drain")
            time.sleep(1.5)  # duplicates still in the worker's hands would arrive now
            assert notifications.plan_reminders() == 0
        finally:
            worker.stop()

    messages = sink.handler.received()
    ids = Counter(message["Message-ID"] for message in messages)
    assert len(messages) == total and set(ids.values()) == {1}, ids
    assert Counter(message["To"] for message in messages) == expected
    assert set(PlenaryNotification.objects.values_list("kind", flat=True)) == {PlenaryNotificationKind.WEEK}
