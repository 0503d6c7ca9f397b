"""Reminders through the production engines: PostgreSQL, Redis, a real Celery worker, SMTP.

The worker is killed (SIGKILL) in the middle of a run, while it talks to the mail
server, then a new worker and the next planner run resume: every reminder arrives
exactly once. Runs in CI (.ci/run sets DATABASE_URL and REDIS_URL); skipped in
embedded mode, where there is no worker and the test database lives in memory.
"""

import datetime
import os
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from meetings import notifications
from meetings.enums import NotificationKind
from meetings.models import Notification
from tests import factories
from tests.conftest import BASE_DIR
from tests.mail import SmtpSink

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is unset: embedded mode has no worker"),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="a worker process cannot share the in-memory SQLite test database",
    ),
    pytest.mark.django_db(transaction=True),
]

WORKER_START_TIMEOUT = 45
DELIVERY_TIMEOUT = 90


def _database_url() -> str:
    db = connection.settings_dict  # the test database, e.g. test_plato
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


class Worker:
    """A `celery worker` subprocess on the test database, sending to the SMTP sink."""

    def __init__(self, email_url: str, log_path):
        from plato.celery import app

        self.name = f"plato-reminders-{os.getpid()}-{time.monotonic_ns()}@%h"
        self.log_path = log_path
        self.log = open(log_path, "w")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "plato", "worker"),
                *("--pool=solo", "--concurrency=1", "-l", "info", "-n", self.name),
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            ],
            cwd=BASE_DIR,
            env=os.environ
            | {
                "DJANGO_SETTINGS_MODULE": "plato.settings",
                "DATABASE_URL": _database_url(),
                "EMAIL_URL": email_url,
            },
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        prefix = self.name.split("@")[0]

        def answers() -> bool:
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited with {self.process.returncode}: {self.log_path.read_text()}")
            return any(host.startswith(prefix) for reply in app.control.ping(timeout=0.5) for host in reply)

        _wait(answers, WORKER_START_TIMEOUT, "the Celery worker to answer a ping")

    def kill(self) -> None:
        self.process.kill()  # SIGKILL: no warm shutdown, no message handed back
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.log.close()


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


@pytest.fixture
def broker_queue_empty():
    from plato.celery import app

    app.control.purge()  # nothing left over from another run
    yield
    app.control.purge()


def _queue_length() -> int:
    from plato.celery import app

    with app.connection_for_write() as conn:
        return conn.default_channel.client.llen("celery")


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
            _wait(lambda: len(sink.handler.received()) >= 4, DELIVERY_TIMEOUT, "the first four e-mails")
            sink.handler.waiting.clear()
            _wait(sink.handler.waiting.is_set, DELIVERY_TIMEOUT, "the worker to start the next e-mail")
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
            _wait(
                lambda: not Notification.objects.filter(sent_at__isnull=True).exists(),
                DELIVERY_TIMEOUT,
                "every reminder to be sent",
            )
            _wait(lambda: _queue_length() == 0, DELIVERY_TIMEOUT, "the queue to drain")
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
        (kinds[int(message["Message-ID"].split("-")[1].split("@")[0])], message["To"]) for message in messages
    )
    assert received == expected
