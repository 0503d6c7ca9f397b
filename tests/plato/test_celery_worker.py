"""A real Celery worker on REDIS_URL: tasks round-trip and /healthz sees the worker.

Skipped in embedded mode (REDIS_URL unset: tasks run inline, there is no worker to
talk to). CI sets REDIS_URL, so these run there.
"""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import BASE_DIR

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is unset: embedded mode has no worker"),
]

WORKER_START_TIMEOUT = 45  # seconds; a cold start imports Django and every app


@pytest.fixture(scope="module")
def celery_worker(tmp_path_factory):
    """A worker subprocess (env inherited, so the same REDIS_URL), stopped after this module:
    it works on the development database, so it must not take other tests' tasks."""
    from plato.celery import app

    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    log = log_path.open("w")
    name = f"plato-tests-{os.getpid()}@%h"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "plato",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-l",
            "warning",
            "-n",
            name,
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=BASE_DIR,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "plato.settings"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    prefix = name.split("@")[0]
    deadline = time.monotonic() + WORKER_START_TIMEOUT
    try:
        while True:
            if worker.poll() is not None:
                pytest.fail(f"the Celery worker exited with {worker.returncode}: {log_path.read_text()}")
            replies = app.control.ping(timeout=0.5)
            ours = [host for reply in replies for host in reply if host.startswith(prefix)]
            if ours:
                break
            if time.monotonic() > deadline:
                pytest.fail(
                    f"the Celery worker did not answer a ping within {WORKER_START_TIMEOUT} s: "
                    f"{log_path.read_text()}"
                )
        yield ours[0]
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)
        log.close()


def test_ping_task_round_trips_through_the_worker(celery_worker):
    """There is no result backend (nothing in the app reads a task's result): the worker's
    own count of the tasks it ran shows that the message went through and was run."""
    from plato.celery import app, ping
    from plato.tasks import enqueue

    def pings_run() -> int:
        stats = app.control.inspect(destination=[celery_worker], timeout=1).stats() or {}
        return stats.get(celery_worker, {}).get("total", {}).get("plato.ping", 0)

    before = pings_run()
    assert enqueue(ping) is True
    deadline = time.monotonic() + 10
    while pings_run() == before:
        assert time.monotonic() < deadline, "the worker did not run the ping"
        time.sleep(0.1)


@pytest.mark.django_db
def test_healthz_reports_the_worker(celery_worker, client, settings):
    settings.HEALTHZ_TOKEN = "monitor-token"

    response = client.get(reverse("healthz"), HTTP_X_HEALTHZ_TOKEN="monitor-token")

    assert response.status_code == 200, response.content
    checks = response.json()["checks"]
    assert checks["redis"] == {"ok": True, "configured": True}
    assert checks["celery"]["ok"] is True
    assert checks["celery"]["workers"] >= 1
