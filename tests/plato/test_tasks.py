"""Handing work to Celery (plato/tasks.py): one way for the whole app, that never raises,
never makes a request wait on the broker, and sends one message per fan-out."""

import ast
import base64
import json
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings

from billing import services as billing_services
from meetings import services as meeting_services
from meetings.enums import NotificationKind
from meetings.models import Notification
from meetings.notifications import send_notification
from plato.celery import ping
from plato.tasks import enqueue, enqueue_each
from tests import factories
from tests.celery_workers import REDIS_SERVER, RedisServer, app_configured_for, unreachable_redis_url

BASE_DIR = Path(settings.BASE_DIR)
THE_HELPER = BASE_DIR / "plato" / "tasks.py"
# The calls that hand a task to the broker, whatever the task.
SENDING_CALLS = {"delay", "apply_async", "send_task"}


def source_files():
    skipped = {".venv", "tests", "var", "node_modules", ".git"}
    for path in sorted(BASE_DIR.rglob("*.py")):
        if not skipped & set(path.relative_to(BASE_DIR).parts):
            yield path


def test_every_task_is_handed_over_through_plato_tasks():
    """A `.delay()` written anywhere else would make its request wait on a broker that is
    down (and raise, and hold the request for every row of a fan-out)."""
    offenders = []
    for path in source_files():
        if path == THE_HELPER:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in SENDING_CALLS
            ):
                offenders.append(f"{path.relative_to(BASE_DIR)}:{node.lineno} .{node.func.attr}()")
    assert not offenders, "use plato.tasks.enqueue*: " + ", ".join(offenders)


def test_the_guard_sees_the_source_tree():
    files = {path.relative_to(BASE_DIR).as_posix() for path in source_files()}

    assert {"plato/tasks.py", "meetings/notifications.py", "billing/services.py"} <= files
    assert not any(name.startswith(("tests/", ".venv/")) for name in files)


# --- With the broker down -------------------------------------------------------------------------


@pytest.fixture
def broker_down(db):
    with app_configured_for(unreachable_redis_url()):
        yield


def test_a_broker_that_is_down_costs_a_moment_and_a_warning_never_an_error(broker_down, caplog):
    started = time.monotonic()

    handed_over = enqueue(ping)

    assert time.monotonic() - started < 1
    assert handed_over is False
    assert "Task plato.ping() not handed over" in caplog.text


def test_no_result_backend_is_asked_for_a_result_nobody_reads():
    from tests.celery_workers import settings_for

    production = settings_for(REDIS_URL="redis://redis:6379/0")

    assert production["CELERY_RESULT_BACKEND"] is None
    assert production["CELERY_TASK_IGNORE_RESULT"] is True
    assert production["CELERY_BROKER_TRANSPORT_OPTIONS"]["socket_connect_timeout"] <= 1
    assert production["CELERY_TASK_PUBLISH_RETRY_POLICY"]["max_retries"] <= 1


# --- One message per fan-out, counted in a Redis of the test's own -------------------------------


@pytest.fixture
def broker(db, tmp_path):
    """A Redis of our own that nothing consumes from: what a request sends stays there."""
    if not Path(REDIS_SERVER).exists():
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path)
    try:
        with app_configured_for(server.url()):
            yield redis.Redis(port=server.port)
    finally:
        server.stop()


def queued(client) -> list[tuple[str, list]]:
    """The messages waiting in the default queue: (task name, positional arguments)."""
    messages = []
    for raw in reversed(client.lrange("celery", 0, -1)):
        message = json.loads(raw)
        args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        messages.append((message["headers"]["task"], args))
    return messages


def test_cancelling_a_meeting_for_14_people_sends_one_message(
    broker, cohort, member, sponsor, facilitator, django_capture_on_commit_callbacks
):
    for _ in range(11):
        factories.MembershipFactory(cohort=cohort)
    meeting = factories.MeetingFactory(cohort=cohort)

    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.cancel_meeting(meeting, reason="Salle indisponible", actor=facilitator)

    ids = sorted(
        Notification.objects.filter(kind=NotificationKind.MEETING_CANCELLED).values_list("pk", flat=True)
    )
    assert len(ids) == 14
    assert queued(broker) == [("plato.fan_out", ["meetings.send_notification", ids])]


def test_issuing_a_cohorts_invoices_sends_one_message(
    broker, invoicing_chapter, cohort, coordinator, django_capture_on_commit_callbacks
):
    for _ in range(12):
        factories.MembershipFactory(cohort=cohort)

    with django_capture_on_commit_callbacks(execute=True):
        issued = billing_services.issue_cohort_invoices(cohort, actor=coordinator)

    assert len(issued) == 12
    assert queued(broker) == [("plato.fan_out", ["billing.render_and_send_invoice", [i.pk for i in issued]])]


def test_a_fan_out_of_one_is_the_task_itself_and_of_none_is_nothing(broker):
    enqueue_each(send_notification, [])
    enqueue_each(send_notification, [7])

    assert queued(broker) == [("meetings.send_notification", [7])]


def test_every_periodic_task_of_beat_is_a_registered_task():
    """A sweep misnamed in CELERY_BEAT_SCHEDULE would never run, and what it should hand
    over again would wait for ever."""
    from django.utils.module_loading import autodiscover_modules

    from plato.celery import app

    autodiscover_modules("tasks")  # what the worker's autodiscovery imports
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert scheduled - set(app.tasks) == set()
    assert {
        "billing.sweep_exports",
        "groups.sweep_acknowledgements",
        "billing.sweep_pending_documents",
    } <= scheduled
