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

This script measures and reports; the data are built by bench/checkin_world.py (step 2),
the server and the phones are bench/checkin_phones.py (steps 3 and 4), the bench database
is bench/checkin_database.py (step 1).
"""

import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.checkin_database import BENCH_URL, SERVER, drop_database, recreate_database  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- checkin:start -->", "<!-- checkin:end -->"
DEFAULT_WORKERS = 3
SOLO = 20  # check-ins by one phone alone, before each run

if __name__ == "__main__":
    recreate_database(SERVER)
os.environ["DATABASE_URL"] = BENCH_URL
os.environ["REDIS_URL"] = ""  # nothing at the door needs a task or a shared cache
os.environ["PLATO_ENV"] = "development"  # this process only builds data; gunicorn runs production
os.environ.pop("EMAIL_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "plato.settings"

import django  # noqa: E402

django.setup()

from django.db import connection, connections  # noqa: E402

from bench.checkin_phones import CLIENTS, DOUBLE_TAPS, Gunicorn, Phone, Sample, shares  # noqa: E402
from bench.checkin_world import (  # noqa: E402
    CAPACITY,
    PEOPLE,
    build_world,
    check_database,
    reset_check_ins,
)

NEED_SECONDS = 900 / PEOPLE  # the issue: 300 people in a quarter of an hour, one every 3 s


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
