"""A real Celery worker for tests: a subprocess on the test database and REDIS_URL,
sending e-mail to an SMTP sink, that a test can kill (SIGKILL) and start again."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[1]

NEEDS_WORKER = [
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


def database_url() -> str:
    db = connection.settings_dict  # the test database, e.g. test_plato
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


class Worker:
    """A `celery worker` subprocess on the test database, sending to the SMTP sink."""

    def __init__(self, email_url: str, log_path, *, extra_env: dict | None = None):
        from plato.celery import app

        self.name = f"plato-tests-{os.getpid()}-{time.monotonic_ns()}@%h"
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
                "DATABASE_URL": database_url(),
                "EMAIL_URL": email_url,
            }
            | (extra_env or {}),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        prefix = self.name.split("@")[0]

        def answers() -> bool:
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited with {self.process.returncode}: {self.log_path.read_text()}")
            return any(host.startswith(prefix) for reply in app.control.ping(timeout=0.5) for host in reply)

        wait_for(answers, WORKER_START_TIMEOUT, "the Celery worker to answer a ping")

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


def queue_length() -> int:
    from plato.celery import app

    with app.connection_for_write() as conn:
        return conn.default_channel.client.llen("celery")


@pytest.fixture
def broker_queue_empty():
    from plato.celery import app

    app.control.purge()  # nothing left over from another run
    yield
    app.control.purge()
