"""Reminders through the production engines: PostgreSQL, Redis, a real Celery worker, SMTP.

The worker is killed (SIGKILL) in the middle of a run, while it talks to the mail
server, then a new worker and the next planner run resume: every reminder arrives
exactly once. Runs in CI (.ci/run sets DATABASE_URL and REDIS_URL); skipped in
embedded mode, where there is no worker and the test database lives in memory.
"""

import datetime
import time
from collections import Counter

import pytest
from django.utils import timezone

from meetings import notifications
from meetings.enums import NotificationKind
from meetings.models import Notification
from tests import factories
from tests.celery_workers import DELIVERY_TIMEOUT, NEEDS_WORKER, Worker, queue_length, wait_for
from tests.mail import SmtpSink

pytestmark = NEEDS_WORKER


@pytest.fixture
def week_before(transactional_db, cohort, member, sponsor, facilitator):
    """A meeting in six days and twenty hours: 14 reminders of the week (12 members, the
    sponsor, the facilitator) and the sponsor's RSVP request."""
    for _ in range(11):
        factories.MembershipFactory(cohort=cohort)
    starts_at = timezone.now() + datetime.timedelta(days=6, hours=20)
    meeting = factories.MeetingFactory(
        cohort=cohort,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        vote_opens_at=starts_at - datetime.timedelta(days=30),
        vote_closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    return meeting


def test_a_worker_killed_midway_then_resumed_sends_every_reminder_exactly_once(
    week_before, broker_queue_empty, tmp_path
):
    expected = Counter(
        {
            (NotificationKind.MEETING_WEEK, email): 1
            for email in week_before.cohort.memberships.values_list("person__email", flat=True)
        }
    )
    expected[(NotificationKind.MEETING_WEEK, "facilitator@plato.test")] = 1
    expected[(NotificationKind.MEETING_WEEK, "sponsor@plato.test")] = 1
    expected[(NotificationKind.RSVP_REQUEST, "sponsor@plato.test")] = 1
    total = sum(expected.values())
    assert total == 15

    # Each RCPT waits 0.3 s: the kill lands while the worker talks to the server, before any data.
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
        stamped = Notification.objects.filter(sent_at__isnull=False).count()
        assert 4 <= delivered < total, "the kill should land midway"
        assert stamped == delivered, "every delivered e-mail is recorded, and only those"

        # Resume: a new worker takes what is left in the queue, and the next planner run
        # enqueues again the rows the dead worker left unsent.
        worker = Worker(sink.url, tmp_path / "worker-2.log")
        try:
            notifications.plan_reminders(stale_after=datetime.timedelta(0))
            wait_for(
                lambda: not Notification.objects.filter(sent_at__isnull=True).exists(),
                DELIVERY_TIMEOUT,
                "every reminder to be sent",
            )
            wait_for(lambda: queue_length() == 0, DELIVERY_TIMEOUT, "the queue to drain")
            time.sleep(1.5)  # duplicates still in the worker's hands would arrive now
            # A third run finds nothing to send.
            assert notifications.plan_reminders() == 0
        finally:
            worker.stop()

    messages = sink.handler.received()
    ids = Counter(message["Message-ID"] for message in messages)
    assert len(messages) == total and set(ids.values()) == {1}, ids
    kinds = dict(Notification.objects.values_list("pk", "kind"))
    received = Counter(
        (kinds[int(message["Message-ID"].split("-")[1].split(".")[0])], message["To"]) for message in messages
    )
    assert received == expected
