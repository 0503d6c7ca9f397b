"""Load test of the check-in page at the door, on gunicorn and PostgreSQL.

    .venv/bin/python bench/checkin.py [--runs 3] [--no-write] [--workers 3]     (also run by `make bench`)

The scenario of the issue: 300 people arrive at a departmental plenary in about a quarter
of an hour (one every 3 s) and the chapter's staff check them in on their phones. Here 20
phones at once, with no pause between taps, which is far beyond a real door:

1. PostgreSQL: the server and credentials of DATABASE_URL when it is a PostgreSQL URL,
   else plato:plato@127.0.0.1:5432; always in a database of the bench's own,
   `plato_bench_checkin`, created fresh (dropped first if a failed run left it) and dropped
   at the end, so that the bench never touches the database DATABASE_URL names (in CI it
   is the test suite's). PostgreSQL unreachable: the script says how to start it and exits 2.
2. `migrate`, then through the ORM and the services: one chapter, its coordinator and two
   facilitators (the door is theirs too: `permissions.can_run_door`), 25 active cohorts of
   12, and a departmental plenary (capacity 320) that all 300 members registered for
   themselves with `services.register(…, now=…)`, in an order that mixes the cohorts.
   A trigger on the registrations' table (bench database only) logs every write that sets
   `checked_in_at`: the proof, afterwards, that each person was recorded exactly once.
3. gunicorn as the Dockerfile runs it (sync workers, 3 by default = WEB_CONCURRENCY,
   --max-requests 1000), in production mode (PLATO_ENV=production, DEBUG off, a random
   64-character SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, static files collected into a
   temporary STATIC_ROOT for the manifest storage), REDIS_URL empty (nothing at the door
   needs a task), staff MFA off, on a free loopback port; the script waits for /healthz.
   The clients talk to it as the TLS proxy would: X-Forwarded-Proto: https, and an
   X-Forwarded-For per phone (allauth's rate limits count by client address).
4. 20 clients (threads, stdlib http.client: nothing added to the lock file), each with its
   own session: it signs in through the real allauth form (/accounts/login/, CSRF token and
   all), once for all runs, over the 3 staff accounts, then loads the door page once to
   warm up. First, per run, one phone alone loads the page 5 times and checks in 20 people:
   the time a request takes with no queue (those check-ins are then cleared). Timed, the
   20 phones at once: each loads the door page (all 300 rows), then for each person of its
   share types the name in the search box (htmx GET ?q=, HX-Target door-results), finds the
   person's row in the answer and taps « check in » (htmx POST with the CSRF token,
   HX-Target registration-<pk>). The 300 are split 15 per phone, and 30 of them are also in
   the next phone's list at the same index: both phones search the name, meet (off the clock)
   and tap at the same moment, as two phones tapping the same name; the second tap must
   record nothing and still show the person checked in. Every request's latency is measured
   (connection to last byte); an error is any exception, a status other than 200, or an
   answer that does not show the person checked in.
5. After each run, against the database: 300 registrations checked in, 300 check-ins logged
   by the trigger, each registration once; and the page's counter reads 300 / 300.
   Any error or mismatch: exit 1, and docs/benchmarks.md is left as it was.
   Between runs the check-ins are cleared (and the trigger's log), the sessions kept.

gunicorn is stopped and the bench database dropped at the end, also after a failure.
The figures go to docs/benchmarks.md (section "Check-in at the door", rewritten in place).
"""

import http.client
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- checkin:start -->", "<!-- checkin:end -->"
DATABASE = "plato_bench_checkin"
DEFAULT_SERVER = "postgres://plato:plato@127.0.0.1:5432/postgres"
PEOPLE, CAPACITY, COHORT_SIZE, CLIENTS, DOUBLE_TAPS, DEFAULT_WORKERS = 300, 320, 12, 20, 30, 3
SOLO = 20  # check-ins by one phone alone, before each run
PASSWORD = "bench-door-plato-56"
NEED_SECONDS = 900 / PEOPLE  # the issue: 300 people in a quarter of an hour, one every 3 s

FIRST_NAMES = [
    "Gaëlle", "Yann", "Maëlle", "Erwan", "Nolwenn", "Loïc", "Anne-Sophie", "Ronan", "Soizic",
    "Tanguy", "Cécile", "Goulven", "Hélène", "Mathieu", "Aurélie", "Pierre-Yves", "Solène",
    "Gwenaël", "Isabelle", "Kévin", "Morgane", "Thierry", "Armelle", "Benoît", "Clémence",
    "Denis", "Élodie", "François", "Katell", "Joël",
]  # fmt: skip
LAST_NAMES = [
    "Le Floch", "Le Gall", "Guégan", "Le Goff", "Jégo", "Le Corre", "Tanguy", "Le Bihan",
    "Morvan", "Le Roux", "Guillou", "Le Brun", "Quéré", "Le Meur", "Hervé", "Le Pape", "Kerhervé",
    "Le Bras", "Nicolas", "Le Gac", "Riou", "Cadoret", "Le Nours", "Évenou", "Le Dantec",
    "Perrot", "Lozac'h", "Le Béchec", "Pichon", "Allanic",
]  # fmt: skip
NAF_CODES = ["62.01Z", "10.71C", "30.12Z", "49.41A", "11.05Z", "43.32A", "69.20Z", "46.38A", "55.10Z", "45.20A"]  # fmt: skip


# --- PostgreSQL, before Django -----------------------------------------------------------------


def server_url() -> str:
    """The PostgreSQL server (and credentials) to use: DATABASE_URL's when it is PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    scheme = urlsplit(url).scheme
    return url if scheme in {"postgres", "postgresql", "pgsql", "psql"} else DEFAULT_SERVER


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgres", path="/" + name))


def admin_connection(url: str):
    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
        connect_timeout=5,
        autocommit=True,
    )


def recreate_database(url: str) -> None:
    """A fresh bench database, or exit 2 with how to start PostgreSQL."""
    parts = urlsplit(url)
    where = f"{parts.hostname or '127.0.0.1'}:{parts.port or 5432}"
    try:
        with admin_connection(url) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{DATABASE}"')
    except psycopg.OperationalError as error:
        print(
            f"bench/checkin.py: PostgreSQL is not reachable at {where} as {parts.username!r}:\n"
            f"  {str(error).strip()}\n"
            "This bench needs PostgreSQL. Start it, e.g.:\n"
            "  pg_ctlcluster 15 main start          (Debian; `pg_lsclusters` lists the clusters)\n"
            "or run `.ci/run` once (installs and starts PostgreSQL, creates the role plato/plato),\n"
            "or set DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/ANY to a server where USER may "
            "create databases.",
            file=sys.stderr,
        )
        sys.exit(2)
    except psycopg.Error as error:
        print(
            f"bench/checkin.py: cannot create the database {DATABASE!r} on {where}: {str(error).strip()}\n"
            f"The role {parts.username!r} needs CREATEDB (ALTER ROLE {parts.username} CREATEDB).",
            file=sys.stderr,
        )
        sys.exit(2)


def drop_database(url: str) -> None:
    try:
        with admin_connection(url) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    except psycopg.Error as error:
        print(f"bench/checkin.py: could not drop {DATABASE!r}: {error}", file=sys.stderr)


SERVER = server_url()
BENCH_URL = with_database(SERVER, DATABASE)
if __name__ == "__main__":
    recreate_database(SERVER)
os.environ["DATABASE_URL"] = BENCH_URL
os.environ["REDIS_URL"] = ""  # nothing at the door needs a task or a shared cache
os.environ["PLATO_ENV"] = "development"  # this process only builds data; gunicorn runs production
os.environ.pop("EMAIL_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "plato.settings"

import datetime  # noqa: E402
from decimal import Decimal  # noqa: E402

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from groups.enums import CohortState, MembershipState, StaffRole  # noqa: E402
from groups.models import Chapter, ChapterRole, Cohort, Membership, Region  # noqa: E402
from members.identifiers import make_siret  # noqa: E402
from members.models import Company, User  # noqa: E402
from plenaries import services  # noqa: E402
from plenaries.enums import PlenaryScope, RegistrationState  # noqa: E402
from plenaries.models import Plenary, Registration  # noqa: E402

# --- Data ------------------------------------------------------------------------------------


@dataclass
class World:
    plenary: Plenary
    staff: list  # (email, password) of the three accounts the phones sign in with
    people: list  # (registration pk, name typed in the search box), in the order of the split


def build_world() -> World:
    call_command("migrate", verbosity=0)
    region, _created = Region.objects.get_or_create(code="53")
    chapter = Chapter.objects.create(
        region=region,
        code="56",
        department="56",
        name="Plato 56 — CCI du Morbihan",
        cci_name="CCI du Morbihan",
        fee=Decimal("1900.00"),
        vat_rate=Decimal("20.00"),
        invoice_prefix="P56",
        issuer_legal_name="Chambre de commerce et d'industrie du Morbihan",
    )
    staff = []
    password_hash = make_password(PASSWORD)
    for email, first, last, role in (
        ("coordinator@bench.plato.test", "Gaëlle", "Le Nours", StaffRole.COORDINATOR),
        ("facilitator1@bench.plato.test", "Erwan", "Jégo", StaffRole.FACILITATOR),
        ("facilitator2@bench.plato.test", "Soizic", "Riou", StaffRole.FACILITATOR),
    ):
        user = User.objects.create(email=email, first_name=first, last_name=last, password=password_hash)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        ChapterRole.objects.create(chapter=chapter, user=user, role=role)
        staff.append((email, PASSWORD))

    companies = Company.objects.bulk_create(
        Company(
            chapter=chapter,
            name=f"Entreprise {n:03d}",
            siret=make_siret(30_000 + n),
            naf_code=NAF_CODES[n % len(NAF_CODES)],
            postcode="56000",
            town="Vannes",
        )
        for n in range(PEOPLE)
    )
    # 30 first names × 30 last names: (n % 30, (n % 30 + n // 30) % 30) never repeats for n < 900.
    people = User.objects.bulk_create(
        User(
            email=f"person{n}@bench.plato.test",
            first_name=FIRST_NAMES[n % 30],
            last_name=LAST_NAMES[(n % 30 + n // 30) % 30],
            password="!",
            company=company,
            chapter=chapter,
        )
        for n, company in enumerate(companies)
    )
    start = datetime.date(2025, 9, 2)
    cohorts = Cohort.objects.bulk_create(
        Cohort(
            chapter=chapter,
            name=f"Cohorte {n + 1}",
            start_date=start,
            end_date=start + datetime.timedelta(days=730),
            state=CohortState.ACTIVE,
        )
        for n in range(PEOPLE // COHORT_SIZE)
    )
    cohort_count = len(cohorts)
    Membership.objects.bulk_create(
        Membership(
            cohort=cohorts[n % cohort_count],
            company=company,
            person=person,
            state=MembershipState.ACTIVE,
            joined_on=start,
        )
        for n, (company, person) in enumerate(zip(companies, people, strict=True))
    )

    now = timezone.now()
    plenary = Plenary.objects.create(
        scope=PlenaryScope.DEPARTMENTAL,
        region=region,
        chapter=chapter,
        title="Plénière départementale 2026",
        starts_at=now + datetime.timedelta(minutes=15),  # the doors are open
        ends_at=now + datetime.timedelta(hours=4),
        registration_opens_at=now - datetime.timedelta(days=30),
        registration_closes_at=now - datetime.timedelta(days=2),
        venue_name="Palais des Arts",
        venue_town="Vannes",
        capacity=CAPACITY,
    )
    opens = plenary.registration_opens_at
    for n, person in enumerate(people):
        registration = services.register(
            plenary, person, actor=person, now=opens + datetime.timedelta(minutes=37 * n + 5)
        )
        assert registration.state == RegistrationState.REGISTERED, registration.state

    table = Registration._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_checkin_log (registration_id bigint NOT NULL, at timestamptz)")
        cursor.execute(
            "CREATE FUNCTION bench_log_checkin() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "INSERT INTO bench_checkin_log VALUES (NEW.id, NEW.checked_in_at); RETURN NEW; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER bench_checkin_log AFTER UPDATE OF checked_in_at ON {table} FOR EACH ROW "
            "WHEN (NEW.checked_in_at IS NOT NULL AND NEW.checked_in_at IS DISTINCT FROM OLD.checked_in_at) "
            "EXECUTE FUNCTION bench_log_checkin()"
        )
    rows = Registration.objects.filter(plenary=plenary).select_related("person").order_by("pk")
    return World(
        plenary=plenary,
        staff=staff,
        people=[(row.pk, f"{row.person.first_name} {row.person.last_name}") for row in rows],
    )


def reset_check_ins(plenary: Plenary) -> None:
    Registration.objects.filter(plenary=plenary).update(checked_in_at=None, checked_in_by=None)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE bench_checkin_log")


def check_database(plenary: Plenary) -> list[str]:
    """What the database says after a run; an empty list when all is right."""
    problems = []
    registered = Registration.objects.filter(plenary=plenary, state=RegistrationState.REGISTERED)
    checked_in = registered.filter(checked_in_at__isnull=False).count()
    if checked_in != PEOPLE:
        problems.append(f"{checked_in} registrations checked in, not {PEOPLE}")
    if Registration.objects.filter(plenary=plenary).count() != PEOPLE:
        problems.append("the number of registrations changed")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(DISTINCT registration_id) FROM bench_checkin_log")
        logged, distinct = cursor.fetchone()
    if logged != PEOPLE or distinct != PEOPLE:
        problems.append(
            f"{logged} check-ins written for {distinct} registrations (expected {PEOPLE} and {PEOPLE})"
        )
    return problems


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


# --- Measuring ---------------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def one_run(phones: list[Phone], lists: list[list]) -> dict:
    for phone in phones:
        phone.samples, phone.errors = [], []
    barrier = threading.Barrier(len(phones) + 1)
    twice = Counter(item for todo in lists for item in todo if item is not None)
    rendezvous = {item[0]: threading.Barrier(2) for item, count in twice.items() if count == 2}

    def walk(phone: Phone, todo: list) -> None:
        try:
            barrier.wait(timeout=60)
            phone.load_page(timed=True)
            for item in todo:
                if item is not None:
                    phone.check_in(*item, rendezvous.get(item[0]))
        except Exception as error:  # any failure is counted, never hidden
            phone.errors.append(f"{error.__class__.__name__}: {error}")
            for meeting in rendezvous.values():
                meeting.abort()  # the partner of a phone that failed must not wait for it

    threads = [
        threading.Thread(target=walk, args=(phone, todo)) for phone, todo in zip(phones, lists, strict=True)
    ]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=60)
    started = time.perf_counter()
    for thread in threads:
        thread.join(timeout=600)
    wall = time.perf_counter() - started

    samples = [sample for phone in phones for sample in phone.samples]
    errors = [f"phone {phone.number}: {error}" for phone in phones for error in phone.errors]
    by_kind = {
        kind: [s.seconds for s in samples if s.kind == kind] for kind in ("page", "search", "check_in")
    }
    # Double taps whose two POSTs were in flight at the same time.
    taps: dict[int, list[Sample]] = {}
    for sample in samples:
        if sample.kind == "check_in":
            taps.setdefault(sample.registration, []).append(sample)
    doubles = [pair for pair in taps.values() if len(pair) == 2]
    overlapping = sum(
        1 for a, b in doubles if a.started < b.started + b.seconds and b.started < a.started + a.seconds
    )
    return {
        "wall": wall,
        "requests": len(samples),
        "errors": errors,
        "latency": {
            kind: (statistics.median(values), p95(values), max(values)) if values else (0, 0, 0)
            for kind, values in by_kind.items()
        },
        "counts": {kind: len(values) for kind, values in by_kind.items()},
        "doubles": len(doubles),
        "overlapping": overlapping,
    }


def alone(phone: Phone, people: list) -> dict:
    """One phone, nobody else: the time a request takes without waiting for a worker."""
    phone.samples, phone.errors = [], []
    for _ in range(5):
        phone.load_page(timed=True)
    for registration_pk, name in people:
        phone.check_in(registration_pk, name)
    if phone.errors:
        raise RuntimeError(f"one phone alone: {phone.errors}")
    return {
        kind: statistics.median(sample.seconds for sample in phone.samples if sample.kind == kind)
        for kind in ("page", "search", "check_in")
    }


def measure(runs: int, workers: int) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="plato-bench-checkin-"))
    server = Gunicorn(workdir, workers)
    results, problems = [], []
    try:
        started = time.perf_counter()
        world = build_world()
        print(f"  data: {PEOPLE} registered in {time.perf_counter() - started:.1f} s", flush=True)
        connections.close_all()
        server.start()
        print(f"  gunicorn: {workers} sync workers on 127.0.0.1:{server.port}", flush=True)
        phones = [
            Phone(n, server.port, world.plenary.pk, *world.staff[n % len(world.staff)])
            for n in range(CLIENTS)
        ]
        for phone in phones:
            phone.sign_in()
        lists = shares(world.people)
        for run in range(runs):
            reset_check_ins(world.plenary)
            solo = alone(phones[0], world.people[:SOLO])
            reset_check_ins(world.plenary)
            result = one_run(phones, lists)
            result["alone"] = solo
            run_problems = result["errors"] + check_database(world.plenary)
            count = phones[0].counter()
            if count != {"checked_in": PEOPLE, "registered": PEOPLE}:
                run_problems.append(f"the page's counter reads {count}")
            if result["counts"]["check_in"] != PEOPLE + DOUBLE_TAPS or result["doubles"] != DOUBLE_TAPS:
                run_problems.append(f"{result['counts']['check_in']} taps, {result['doubles']} double taps")
            results.append(result)
            problems += [f"run {run + 1}: {problem}" for problem in run_problems]
            print(
                f"  run {run + 1}/{runs}: {result['wall']:.1f} s, {result['requests']} requests, "
                f"{len(run_problems)} problems",
                flush=True,
            )
            if run_problems:
                break
    finally:
        server.stop()
        connections.close_all()
        if problems or not results:
            print(f"gunicorn's last lines:\n{server.tail()}", file=sys.stderr)
        shutil.rmtree(workdir, ignore_errors=True)
    median = statistics.median
    return {
        "runs": len(results),
        "workers": workers,
        "problems": problems,
        "wall": median(r["wall"] for r in results),
        "requests": results[0]["requests"],
        "errors": sum(len(r["errors"]) for r in results),
        "throughput": median(r["requests"] / r["wall"] for r in results),
        "latency": {
            kind: tuple(median(r["latency"][kind][i] for r in results) for i in range(3))
            for kind in ("page", "search", "check_in")
        },
        "worst": {
            kind: max(r["latency"][kind][2] for r in results) for kind in ("page", "search", "check_in")
        },
        "counts": results[0]["counts"],
        "alone": {kind: median(r["alone"][kind] for r in results) for kind in ("page", "search", "check_in")},
        "overlapping": median(r["overlapping"] for r in results),
    }


# --- Report ----------------------------------------------------------------------------------


def table(r) -> list[str]:
    labels = {
        "page": f"door page, everyone ({PEOPLE} rows), once per phone",
        "search": "search by name (htmx GET `?q=`)",
        "check_in": "check-in tap (htmx POST)",
    }
    lines = [
        f"| request | per run | one phone alone: median | {CLIENTS} phones: median | p95 | max (median of runs / worst) |",
        "|---|---|---|---|---|---|",
    ]
    for kind, label in labels.items():
        median, high, top = r["latency"][kind]
        lines.append(
            f"| {label} | {r['counts'][kind]} | {1000 * r['alone'][kind]:.0f} ms | {1000 * median:.0f} ms | "
            f"{1000 * high:.0f} ms | "
            f"{1000 * top:.0f} ms / {1000 * r['worst'][kind]:.0f} ms |"
        )
    per_second = PEOPLE / r["wall"]
    lines += [
        "",
        f"- {PEOPLE} people checked in by {CLIENTS} phones in **{r['wall']:.1f} s** "
        f"({r['requests']} requests, {r['throughput']:.0f} requests/s, {per_second:.1f} check-ins/s); "
        f"errors: **{r['errors']}**.",
        f"- The door's need is one check-in every {NEED_SECONDS:.0f} s ({PEOPLE} in a quarter of an hour): "
        f"the server checks people in **{per_second * NEED_SECONDS:.0f}×** as fast as they arrive.",
        f"- After each run the database holds {PEOPLE} registrations checked in, and the trigger logged "
        f"{PEOPLE} check-ins for {PEOPLE} distinct registrations: none lost, none recorded twice. Of the "
        f"{DOUBLE_TAPS} names tapped by two phones, {r['overlapping']:.0f} (median) had both POSTs in "
        "flight at the same moment; the second tap recorded nothing and answered the row « checked in ». "
        f"The page's counter reads {PEOPLE} / {PEOPLE}.",
    ]
    return lines


def write_doc(r):
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "unknown CPU",
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0].split()[0]
    from importlib.metadata import version

    section = "\n".join(
        [
            START,
            "## Check-in at the door",
            "",
            "Measured with `make bench` (or `.venv/bin/python bench/checkin.py --runs 3`), which rewrites this section.",
            f"Medians of {r['runs']} runs; {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores ({cpu}), "
            f"Python {platform.python_version()}, gunicorn {version('gunicorn')} ({r['workers']} sync workers), "
            f"PostgreSQL {postgres}, client and server on the same machine (loopback).",
            "The machine is shared and noisy: read times as orders of magnitude.",
            "",
            f"A departmental plenary with {PEOPLE} people registered (25 cohorts of 12, capacity {CAPACITY}). "
            "gunicorn runs as the Dockerfile starts it (sync workers, `--max-requests 1000`) in production "
            "mode (`PLATO_ENV=production`, DEBUG off, manifest static storage, `CONN_MAX_AGE=60`), "
            "without Redis (nothing at the door needs a task). "
            f"{CLIENTS} clients (threads, stdlib `http.client`, a new connection per request as sync "
            "workers close it) each sign in through the allauth form with one of three staff accounts "
            "(the coordinator and two facilitators), outside the clock; then, timed, each loads the door "
            f"page once and, for each person of its share ({PEOPLE // CLIENTS} each), searches the name "
            "as typed on a phone and taps « check in » (htmx, CSRF token, headers of the TLS proxy). "
            f"{DOUBLE_TAPS} of the names are also on the next phone's list: both phones search them, "
            "meet and tap at the same moment (the wait to meet counts in the wall time, not in the latencies). The « one phone alone » column: before "
            f"each run, one phone by itself loads the page 5 times and checks in {SOLO} people (then "
            "cleared), the time of a request with no queue. "
            "No pause between requests: this is the server's capacity with 20 phones hammering it, "
            "far above a real door; latency is measured by the client (connection to last byte) and "
            "includes the wait for a free worker.",
            "",
            "Sync workers: each request is CPU work (templates, ORM) with short queries between; on 2 "
            "cores, threads of one process (gthread) would share one GIL, and the deployment runs sync "
            f"workers (`WEB_CONCURRENCY`, 3 by default). {CLIENTS} phones on {r['workers']} workers means "
            "a queue: the difference between the two columns is waiting for a free worker.",
            "",
            *table(r),
            END,
        ]
    )
    text = (
        DOC.read_text(encoding="utf-8")
        if DOC.exists()
        else "# Benchmarks\n\nFigures measured, with the command.\n"
    )
    if START in text and END in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv):
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 3
    workers = int(argv[argv.index("--workers") + 1]) if "--workers" in argv else DEFAULT_WORKERS
    try:
        r = measure(runs, workers)
        if not r["problems"] and "--no-write" not in argv:
            write_doc(r)  # PostgreSQL's version, read before the database goes
            print(f"Figures written to {DOC.relative_to(ROOT)}")
    finally:
        connections.close_all()
        drop_database(SERVER)
    print("\n".join(table(r)))
    if r["problems"]:
        print("FAILED:\n  " + "\n  ".join(r["problems"][:40]), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv)
