"""A real Celery worker for tests: a subprocess on the test database and REDIS_URL,
sending e-mail to an SMTP sink, that a test can kill (SIGKILL) and start again."""

import os
import runpy
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import override_settings

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


# --- A Redis of the test's own, and the app configured for it as in production ---------------

REDIS_SERVER = "/usr/bin/redis-server"
OWN_REDIS_PORTS = range(6400, 6421)  # kept for tests' own servers; the shared Redis is on 6379


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def unreachable_redis_url() -> str:
    """A Redis URL where nothing answers: a free port of ours with no server on it."""
    port = next(port for port in OWN_REDIS_PORTS if _port_is_free(port))
    return f"redis://127.0.0.1:{port}/0"


class RedisServer:
    """A `redis-server` on a free port of its own, that a test stops (the broker goes down)
    and starts again on the same port (it comes back), leaving the shared Redis alone.
    No persistence: what it held is gone with it, as after a crash without AOF."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.process = None
        self.port = None
        for port in OWN_REDIS_PORTS:
            if _port_is_free(port) and self._start_on(port):
                self.port = port
                break
        if self.port is None:
            pytest.fail(f"no free port for a Redis of our own in {OWN_REDIS_PORTS}")

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def _answers(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.2, socket_timeout=0.2).ping()
        except redis.RedisError:
            return False

    def _start_on(self, port: int) -> bool:
        self.process = subprocess.Popen(
            [
                *(REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.port = port
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:  # another test took the port meanwhile
                return False
            if self._answers():
                return True
            time.sleep(0.02)
        self.process.kill()
        return False

    def start(self) -> None:
        """Start again on the same port."""
        if not self._start_on(self.port):
            pytest.fail(f"Redis did not start again on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        assert not self._answers()


def settings_for(**environment) -> dict:
    """plato/settings.py evaluated afresh with these environment variables: what a server
    started with them gets (e.g. REDIS_URL=<our own Redis>), as a dict of settings."""
    with mock.patch.dict(os.environ, environment):
        namespace = runpy.run_path(str(BASE_DIR / "plato" / "settings.py"))
    return {name: value for name, value in namespace.items() if name.isupper()}


def _reset_celery_connections(app) -> None:
    """Forget the broker connections made so far (the pools of kombu's registry too: a
    closed pool left there would be handed out again for the same URL)."""
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local = threading.local()


@contextmanager
def app_configured_for(redis_url: str):
    """This process (the web side: views, services, sweeps) configured as a server started
    with REDIS_URL=`redis_url`: the cache and every CELERY_* setting from plato/settings.py,
    whatever the test session's own overrides say (tests/conftest.py keeps the cache in
    memory). Restored on exit."""
    from plato.celery import app

    fresh = settings_for(REDIS_URL=redis_url)
    celery = {
        name.removeprefix("CELERY_").lower(): value
        for name, value in fresh.items()
        if name.startswith("CELERY_")
    }
    celery.setdefault("result_backend", None)  # a setting removed counts as unset
    previous = {key: app.conf.get(key) for key in celery}
    app.conf.update(celery)
    _reset_celery_connections(app)
    try:
        with override_settings(CACHES=fresh["CACHES"], REDIS_URL=fresh["REDIS_URL"]):
            yield fresh
    finally:
        app.conf.update(previous)
        _reset_celery_connections(app)
