"""With the broker down, nobody waits for it and nothing is lost.

A Redis of the test's own (`RedisServer`, on a free port of its own: the other tests keep
theirs) is the broker, and this process is set up as a server started with REDIS_URL
pointing at it (`app_configured_for`: the cache and every Celery setting as plato/settings.py
computes them, not the test session's in-memory cache). Then that Redis is stopped:

- signing in, asking for a new password and applying through the public form work;
- issuing an invoice, cancelling a meeting for 14 people and asking for the members' list
  each answer in under 2 s, and the page says the e-mail goes "as soon as possible".

Redis starts again on the same port, a real worker starts, and the sweeps run as beat
runs them: every PDF is built and every e-mail arrives exactly once at the SMTP sink.
PostgreSQL (the worker shares the test database), as the other worker tests.
"""

import datetime
import time
from collections import Counter

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from billing.models import Invoice
from documents.enums import ExportState
from documents.models import ExportJob
from groups.models import Candidate
from meetings.enums import NotificationKind
from meetings.models import Notification
from tests import factories
from tests.celery_workers import (
    DELIVERY_TIMEOUT,
    NEEDS_WORKER,
    RedisServer,
    Worker,
    app_configured_for,
    queue_length,
    wait_for,
)
from tests.factories import PASSWORD
from tests.groups.test_application_form import application
from tests.mail import SmtpSink

pytestmark = NEEDS_WORKER

FAST = 2.0  # seconds: the most any of these requests may take with the broker down
AT_ONCE = datetime.timedelta(0)  # the sweeps' age threshold: whatever waits, now


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def meeting(cohort, member, sponsor, facilitator):
    """A meeting of a cohort of 12 members, a sponsor and a facilitator: 14 people to tell."""
    for _ in range(11):
        factories.MembershipFactory(cohort=cohort)
    return factories.MeetingFactory(cohort=cohort)


def messages_of(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def test_with_the_broker_down_nobody_waits_and_everything_arrives_once_it_returns(
    transactional_db, invoicing_chapter, buyer, coordinator, meeting, media, tmp_path, capsys
):
    timings = {}
    with SmtpSink() as sink:
        redis = RedisServer(tmp_path)
        try:
            with app_configured_for(redis.url()):
                cache.clear()
                redis.stop()  # the broker (and, before this was fixed, the cache) is gone

                # Signing in: allauth's rate limits count in the cache.
                coordinator_client = Client()
                # The English msgids, stable whatever the French catalogue says.
                coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
                response, timings["sign-in"] = timed(
                    lambda: coordinator_client.post(
                        reverse("account_login"), {"login": coordinator.email, "password": PASSWORD}
                    )
                )
                assert response.status_code == 302, response.content[:500]
                assert "_auth_user_id" in coordinator_client.session

                # A forgotten password: allauth counts, then sends the link itself.
                with override_settings(MAILERS=sink.mailers()):
                    response, timings["password reset"] = timed(
                        lambda: Client().post(
                            reverse("account_reset_password"), {"email": buyer.person.email}
                        )
                    )
                assert response.status_code == 302, response.content[:500]

                # The public application form: its own limiter counts in the cache too.
                response, timings["application"] = timed(
                    lambda: Client().post(
                        reverse("groups:application", kwargs={"code": invoicing_chapter.code}),
                        application(invoicing_chapter),
                    )
                )
                assert response.status_code == 302, response.content[:500]
                candidate = Candidate.objects.get()

                # Issuing an invoice: its PDF and e-mail are a task's work.
                response, timings["invoice"] = timed(
                    lambda: coordinator_client.post(
                        reverse("billing:membership_invoice", kwargs={"pk": buyer.pk}), follow=True
                    )
                )
                invoice = Invoice.objects.get()
                assert "as soon as possible" in messages_of(response), messages_of(response)
                assert invoice.number in messages_of(response)

                # Cancelling a meeting for 14 people: one e-mail each.
                response, timings["meeting cancelled"] = timed(
                    lambda: coordinator_client.post(
                        reverse("meetings:meeting_cancel", kwargs={"pk": meeting.pk}),
                        {"reason": "Salle indisponible"},
                        follow=True,
                    )
                )
                assert response.status_code == 200
                assert Notification.objects.filter(kind=NotificationKind.MEETING_CANCELLED).count() == 14
                assert "as soon as possible" in messages_of(response), messages_of(response)

                # The members' list: built by a task.
                response, timings["export"] = timed(
                    lambda: coordinator_client.post(
                        reverse("billing:chapter_exports", kwargs={"code": invoicing_chapter.code}),
                        {"action": "roster"},
                        follow=True,
                    )
                )
                job = ExportJob.objects.get()
                assert job.state == ExportState.PENDING, "waiting for the broker, not failed"

                with capsys.disabled():
                    print("\nbroker down, seconds per request:", {k: round(v, 3) for k, v in timings.items()})
                slow = {what: seconds for what, seconds in timings.items() if seconds >= FAST}
                assert not slow, f"requests that waited on the broker: {slow}"

                # Nothing went out yet but the password link, sent by the request itself.
                assert [message["To"] for message in sink.handler.received()] == [buyer.person.email]

                # The broker comes back; a worker starts; beat's sweeps find what waits.
                redis.start()
                from billing.tasks import sweep_pending_documents
                from documents.services import sweep_exports
                from groups.services.candidates import sweep_acknowledgements
                from meetings import notifications

                worker = Worker(
                    sink.url,
                    tmp_path / "worker.log",
                    extra_env={"REDIS_URL": redis.url(), "MEDIA_ROOT": str(media)},
                )
                try:

                    def sweep() -> int:
                        return (
                            notifications.plan_reminders(stale_after=AT_ONCE)
                            + sweep_pending_documents(older_than_seconds=0)
                            + sweep_exports(older_than=AT_ONCE)
                            + sweep_acknowledgements(older_than=AT_ONCE)
                        )

                    assert sweep() == 14 + 1 + 1 + 1
                    wait_for(
                        lambda: (
                            not Notification.objects.filter(sent_at__isnull=True).exists()
                            and Invoice.objects.filter(emailed_at__isnull=False).exists()
                            and ExportJob.objects.filter(state=ExportState.DONE).exists()
                            and Candidate.objects.filter(acknowledged_at__isnull=False).exists()
                        ),
                        DELIVERY_TIMEOUT,
                        "every e-mail and document",
                    )
                    wait_for(lambda: queue_length() == 0, DELIVERY_TIMEOUT, "the queue to drain")
                    time.sleep(1.5)  # duplicates still in the worker's hands would arrive now
                    assert sweep() == 0, "a second round finds nothing left"
                finally:
                    worker.stop()
        finally:
            redis.stop()

    messages = sink.handler.received()
    ids = Counter(message["Message-ID"] for message in messages)
    assert set(ids.values()) == {1}, ids
    received = Counter(message["To"] for message in messages)
    expected = Counter(meeting.cohort.memberships.values_list("person__email", flat=True))
    expected.update(["sponsor@plato.test", "facilitator@plato.test"])
    expected[buyer.person.email] += 2  # the password link and the invoice
    expected[candidate.email] += 1  # the acknowledgement of the application
    assert received == expected
    invoice.refresh_from_db()
    job.refresh_from_db()
    assert invoice.pdf and job.file
    assert sorted(path.name for path in media.rglob("*.pdf")) == sorted(
        [f"{invoice.number}.pdf", job.file.name.rsplit("/", 1)[-1]]
    )
