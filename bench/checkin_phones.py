"""The check-in bench's server and clients: gunicorn as the Dockerfile runs it, in
production mode on the bench database, and the phones that sign in through allauth's form,
search names and tap « check in » (stdlib http.client: nothing added to the lock file);
`shares` deals the people out to the phones, with the names two phones tap at once.

Imported once Django is set up (bench/checkin.py does it).
"""

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

from django.urls import reverse

from bench.checkin_database import BENCH_URL
from bench.checkin_world import PEOPLE

ROOT = Path(__file__).resolve().parent.parent
CLIENTS, DOUBLE_TAPS = 20, 30  # phones at once; names tapped by two phones at the same moment


# --- gunicorn --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The Dockerfile's CMD, but for the bind and the workers.
# fmt: off
GUNICORN_AS_DEPLOYED = [
    "--worker-tmp-dir", "/dev/shm", "--timeout", "60", "--graceful-timeout", "30",
    "--max-requests", "1000", "--max-requests-jitter", "100",
    "--access-logfile", "-", "--error-logfile", "-",
]
# fmt: on


def production_env(workdir: Path) -> dict:
    env = dict(os.environ)
    for name in ("EMAIL_URL", "CSRF_TRUSTED_ORIGINS", "SITE_URL", "WEB_CONCURRENCY"):
        env.pop(name, None)
    env.update(
        PLATO_ENV="production",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=BENCH_URL,
        REDIS_URL="",
        PLATO_REQUIRE_STAFF_MFA="false",
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        LOG_LEVEL="WARNING",
    )
    return env


class Gunicorn:
    def __init__(self, workdir: Path, workers: int):
        self.workdir, self.workers = workdir, workers
        self.port = free_port()
        self.env = production_env(workdir)
        self.log = workdir / "gunicorn.log"
        self.process = None

    def start(self) -> None:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "gunicorn"),
                    "plato.wsgi:application",
                    *f"--bind 127.0.0.1:{self.port} --workers {self.workers}".split(),
                    *GUNICORN_AS_DEPLOYED,
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with code {self.process.returncode}:\n{self.tail()}")
            try:
                status, _headers, _body = request("GET", self.port, "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer /healthz within 60 s:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


# --- A phone -----------------------------------------------------------------------------------


def request(method: str, port: int, path: str, *, headers=None, body: bytes | None = None):
    """One request on a new connection (gunicorn's sync workers close it after each answer)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
ROW = re.compile(rb'id="registration-(\d+)" data-checked-in="(yes|no)"')
COUNT = re.compile(rb'data-count="(checked_in|registered)">(\d+)<')


@dataclass
class Sample:
    kind: str  # "page", "search", "check_in"
    started: float
    seconds: float
    registration: int | None = None


@dataclass
class Phone:
    number: int
    port: int
    plenary_pk: int
    email: str
    password: str
    cookies: dict = field(default_factory=dict)
    csrf: str = ""
    samples: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def send(self, method, path, *, headers=None, form=None):
        headers = {
            "X-Forwarded-Proto": "https",  # as the TLS proxy says (SECURE_PROXY_SSL_HEADER)
            "X-Forwarded-For": f"10.56.0.{self.number + 10}",  # each phone its own address
            "User-Agent": "plato-bench-checkin",
            **(headers or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": self.origin + self.door_path,
            }
        status, response_headers, content = request(method, self.port, path, headers=headers, body=body)
        for line in response_headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(line)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return status, response_headers, content

    @property
    def door_path(self) -> str:
        return reverse("plenaries:door", kwargs={"pk": self.plenary_pk})

    def sign_in(self) -> None:
        """The real allauth form: its page (CSRF cookie and token), then the POST."""
        login = reverse("account_login")
        status, _headers, page = self.send("GET", login)
        token = CSRF_FIELD.search(page)
        if status != 200 or not token:
            raise RuntimeError(f"phone {self.number}: the sign-in page answered {status}")
        status, headers, _page = self.send(
            "POST",
            login,
            form={
                "csrfmiddlewaretoken": token.group(1).decode(),
                "login": self.email,
                "password": self.password,
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(
                f"phone {self.number}: signing in answered {status} ({headers.get('Location')})"
            )
        self.load_page(timed=False)

    def load_page(self, *, timed: bool) -> None:
        started = time.perf_counter()
        status, _headers, page = self.send("GET", self.door_path)
        if timed:
            self.samples.append(Sample("page", started, time.perf_counter() - started))
        token = CSRF_FIELD.search(page)
        rows = len(ROW.findall(page))
        if status != 200 or not token or rows != PEOPLE:
            raise RuntimeError(f"phone {self.number}: the door page answered {status} with {rows} rows")
        self.csrf = token.group(1).decode()

    def check_in(self, registration_pk: int, name: str, rendezvous: threading.Barrier | None = None) -> None:
        """Type the name, find the row, tap it. With a `rendezvous`, the tap waits (off the clock)
        for the other phone that has the same person on screen, and both tap at once."""
        hx = {"HX-Request": "true", "HX-Current-URL": self.origin + self.door_path}
        started = time.perf_counter()
        status, _headers, results = self.send(
            "GET",
            f"{self.door_path}?q={quote(name)}",
            headers=hx | {"HX-Target": "door-results", "HX-Trigger": "door-q"},
        )
        self.samples.append(Sample("search", started, time.perf_counter() - started, registration_pk))
        found = {int(pk) for pk, _state in ROW.findall(results)}
        if status != 200 or registration_pk not in found:
            self.errors.append(
                f"search {name!r}: {status}, person {'found' if registration_pk in found else 'missing'}"
            )
            return
        if rendezvous is not None:
            rendezvous.wait(timeout=120)
        path = reverse(
            "plenaries:door_check_in", kwargs={"pk": self.plenary_pk, "registration_pk": registration_pk}
        )
        started = time.perf_counter()
        status, _headers, answer = self.send(
            "POST",
            path,
            headers=hx | {"HX-Target": f"registration-{registration_pk}"},
            form={"csrfmiddlewaretoken": self.csrf, "q": name},
        )
        self.samples.append(Sample("check_in", started, time.perf_counter() - started, registration_pk))
        row = ROW.search(answer)
        if status != 200 or not row or int(row.group(1)) != registration_pk or row.group(2) != b"yes":
            self.errors.append(f"check-in {registration_pk}: {status}, row {row.groups() if row else None}")
        elif b"alert-danger" in answer:
            self.errors.append(f"check-in {registration_pk}: the answer shows an error")

    def counter(self) -> dict[str, int]:
        status, _headers, answer = self.send(
            "GET", self.door_path, headers={"HX-Request": "true", "HX-Target": "door-counter"}
        )
        if status != 200:
            raise RuntimeError(f"the counter answered {status}")
        return {name.decode(): int(value) for name, value in COUNT.findall(answer)}


def shares(people: list) -> list[list]:
    """Each phone's list of people to check in: its share of PEOPLE // CLIENTS, and DOUBLE_TAPS
    people of a phone's share also in the next phone's list, at the same index of both lists,
    where the two phones meet before tapping. A phone meets at most one other at an index, so
    every phone waiting at index i waits for one that will get there: no deadlock. An index
    where a phone has nobody to check in is None (skipped)."""
    own = [people[n::CLIENTS] for n in range(CLIENTS)]
    pairs = [  # (owner, partner, person, earliest index): ranks 3 then 10 of the owner's share
        (
            k % CLIENTS,
            (k % CLIENTS + 1) % CLIENTS,
            own[k % CLIENTS][3 + 7 * (k // CLIENTS)],
            3 + 7 * (k // CLIENTS),
        )
        for k in range(DOUBLE_TAPS)
    ]
    shared = {person for _owner, _partner, person, _rank in pairs}
    queues = [[person for person in share if person not in shared] for share in own]
    lists: list[list] = [[] for _ in range(CLIENTS)]
    while pairs or any(queues):
        busy: set[int] = set()
        for pair in list(pairs):
            owner, partner, person, rank = pair
            if len(lists[0]) >= rank and not {owner, partner} & busy:
                lists[owner].append(person)
                lists[partner].append(person)
                busy |= {owner, partner}
                pairs.remove(pair)
        for phone in range(CLIENTS):
            if phone not in busy:
                lists[phone].append(queues[phone].pop(0) if queues[phone] else None)
    return lists
