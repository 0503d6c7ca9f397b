"""Benchmark of invoice issue and PDF rendering.

    .venv/bin/python bench/invoices.py [--runs 3] [--no-write]     (also run by `make bench`)

A throwaway SQLite database and media folder (a temporary directory, deleted at the
end) get one chapter with its invoicing details, a coordinator, and 500 active members
in cohorts of 12. Then:

1. All 500 invoices are issued with `billing.services.issue_cohort_invoices`, cohort by
   cohort. The Celery task that `_after_issue` enqueues on commit is replaced by a no-op
   here: in embedded mode it runs inline and would render every PDF during the issue,
   and this bench measures issue and rendering separately.
2. Per PDF, on a sample of the 500 (rendering all 500 twice takes minutes on 2 cores):
   the app's `billing.documents.render_pdf(invoice)` (the HTML built from the stored
   invoice by `invoice_html`, then WeasyPrint) next to a bare WeasyPrint rendering of the
   same HTML, with the same base_url, URL fetcher and stylesheet, in the same run, in
   alternating order. Target: the app adds under 30 %.
3. A batch's wall time with 1 and 2 worker processes (multiprocessing, spawn: each
   process runs django.setup() and takes every other id), on the same file database:
   (a) `billing.documents.render_and_send` (render, store, e-mail to the locmem backend),
   as the Celery task does; (b) `render_pdf` alone, the CPU part without the database's
   lock. The PDFs are cleared between measurements.

The figures go to docs/benchmarks.md (section "Invoices", rewritten in place).
"""

import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The throwaway database and media, set before django.setup(); worker processes (spawned,
# they import this module again) inherit the environment and so the same directory.
if "PLATO_BENCH_INVOICES_DIR" not in os.environ:
    os.environ["PLATO_BENCH_INVOICES_DIR"] = tempfile.mkdtemp(prefix="plato-bench-invoices-")
WORKDIR = Path(os.environ["PLATO_BENCH_INVOICES_DIR"])
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(WORKDIR / "media")
os.environ["REDIS_URL"] = ""  # embedded mode: no broker, no shared cache
os.environ.pop("EMAIL_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "plato.settings"

import logging  # noqa: E402

import django  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()
logging.getLogger("billing.documents").setLevel(logging.WARNING)  # one line per PDF otherwise
settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Two processes share one SQLite file: wait for the write lock rather than fail after 5 s.
settings.DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 120

import datetime  # noqa: E402
import multiprocessing  # noqa: E402
from decimal import Decimal  # noqa: E402

import weasyprint  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from billing import documents, services  # noqa: E402
from billing.models import Invoice  # noqa: E402
from groups.enums import CohortState, MembershipState, StaffRole  # noqa: E402
from groups.models import Chapter, ChapterRole, Cohort, Membership, Region  # noqa: E402
from members.identifiers import make_siret, vat_number_for  # noqa: E402
from members.models import Company, User  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- invoices:start -->", "<!-- invoices:end -->"
INVOICES, COHORT_SIZE, SAMPLE, BATCH = 500, 12, 60, 100
NAF_CODES = ["62.01Z", "10.71C", "30.12Z", "49.41A", "11.05Z", "43.32A", "69.20Z", "46.38A", "55.10Z", "45.20A"]  # fmt: skip


# --- Data ------------------------------------------------------------------------------------


def build_world():
    """Plato 56 with its invoicing details (as tests' `invoicing_chapter`), a coordinator,
    and INVOICES active members in cohorts of COHORT_SIZE. Plain ORM rows, no password hashing."""
    call_command("migrate", verbosity=0)
    region, _created = Region.objects.get_or_create(code="53")
    siret = make_siret(1)
    chapter = Chapter(
        region=region,
        code="56",
        department="56",
        name="Plato 56 — CCI du Morbihan",
        cci_name="CCI du Morbihan",
        invoice_prefix="P56",
        fee=Decimal("1900.00"),
        vat_rate=Decimal("20.00"),
        issuer_legal_name="Chambre de commerce et d'industrie du Morbihan",
        issuer_address="21 quai des Indes",
        issuer_postcode="56100",
        issuer_town="Lorient",
        issuer_siret=siret,
        issuer_vat_number=vat_number_for(siret),
        issuer_iban="FR7630006000011234567890189",
        issuer_bic="AGRIFRPP",
        programme_commitment="16 demi-journées de réunion, 2 plénières départementales et 2 régionales.",
    )
    chapter.full_clean()
    chapter.save()
    coordinator = User.objects.create(
        email="coordinator@plato.test", first_name="Gaëlle", last_name="Le Nours", password="!"
    )
    ChapterRole.objects.create(chapter=chapter, user=coordinator, role=StaffRole.COORDINATOR)
    companies = Company.objects.bulk_create(
        Company(
            chapter=chapter,
            name=f"Entreprise {n:03d}",
            siret=make_siret(20_000 + n),
            vat_number=vat_number_for(make_siret(20_000 + n)),
            naf_code=NAF_CODES[n % len(NAF_CODES)],
            address=f"{n % 90 + 1} rue du Port",
            postcode="56000",
            town="Vannes",
        )
        for n in range(INVOICES)
    )
    people = User.objects.bulk_create(
        User(
            email=f"person{n}@plato.test",
            first_name="Maëlle",
            last_name=f"Le Floch {n}",
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
        for n in range(-(-INVOICES // COHORT_SIZE))
    )
    Membership.objects.bulk_create(
        Membership(
            cohort=cohorts[n // COHORT_SIZE],
            company=company,
            person=person,
            state=MembershipState.ACTIVE,
            joined_on=start,
        )
        for n, (company, person) in enumerate(zip(companies, people, strict=True))
    )
    return coordinator, cohorts


def issue_all(coordinator, cohorts) -> float:
    """Issue every member's invoice; returns the seconds taken."""
    # The on-commit task would render (and e-mail) each PDF inline in embedded mode: this
    # bench measures the issue and the rendering separately.
    after_issue, services._after_issue = services._after_issue, lambda invoices: None
    try:
        started = time.perf_counter()
        issued = sum(len(services.issue_cohort_invoices(cohort, actor=coordinator)) for cohort in cohorts)
        elapsed = time.perf_counter() - started
    finally:
        services._after_issue = after_issue
    assert issued == INVOICES, issued
    return elapsed


# --- Per PDF ---------------------------------------------------------------------------------


def bare_pdf(html: str) -> bytes:
    """WeasyPrint alone, as plato.pdf calls it (same base_url, a local-only fetcher)."""
    return weasyprint.HTML(
        string=html,
        base_url=str(settings.BASE_DIR),
        url_fetcher=weasyprint.URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True),
    ).write_pdf()


def per_pdf(ids) -> tuple[list[float], list[float]]:
    app, bare = [], []
    invoices = list(Invoice.objects.select_related("chapter").filter(pk__in=ids).order_by("pk"))
    bare_pdf(documents.invoice_html(invoices[0]))  # warm-up: fonts, stylesheet, templates
    documents.render_pdf(invoices[0])
    for index, invoice in enumerate(invoices):
        html = documents.invoice_html(invoice)
        for which in ("app", "bare") if index % 2 == 0 else ("bare", "app"):
            started = time.perf_counter()
            if which == "app":
                documents.render_pdf(invoice)
            else:
                bare_pdf(html)
            (app if which == "app" else bare).append(time.perf_counter() - started)
    return app, bare


# --- Workers ---------------------------------------------------------------------------------


def work(args) -> int:
    """One worker process's share: a fresh interpreter that ran django.setup() on import."""
    mode, ids = args
    if mode == "render_and_send":
        for invoice_id in ids:
            documents.render_and_send(invoice_id)
    else:
        for invoice in Invoice.objects.select_related("chapter").filter(pk__in=ids):
            documents.render_pdf(invoice)
    connections.close_all()
    return len(ids)


def reset(ids) -> None:
    Invoice.objects.filter(pk__in=ids).update(pdf="", pdf_rendered_at=None, emailed_at=None)
    shutil.rmtree(WORKDIR / "media" / "invoices", ignore_errors=True)


def batch(mode: str, ids, workers: int, context) -> float:
    reset(ids)
    connections.close_all()
    shares = [(mode, ids[n::workers]) for n in range(workers)]
    with context.Pool(workers) as pool:
        pool.map(time.sleep, [0.5] * workers, chunksize=1)  # processes up and set up before the clock
        started = time.perf_counter()
        done = sum(pool.map(work, shares, chunksize=1))
        elapsed = time.perf_counter() - started
    assert done == len(ids)
    if mode == "render_and_send":
        stored = Invoice.objects.filter(pk__in=ids).exclude(pdf="").exclude(emailed_at=None).count()
        assert stored == len(ids), f"{stored} of {len(ids)} rendered, stored and e-mailed"
    return elapsed


# --- Report ----------------------------------------------------------------------------------


def measure(runs: int) -> dict:
    coordinator, cohorts = build_world()
    issue_seconds = issue_all(coordinator, cohorts)
    ids = list(Invoice.objects.order_by("pk").values_list("pk", flat=True))
    step = len(ids) // SAMPLE
    sample, batch_ids = ids[::step][:SAMPLE], ids[:BATCH]
    context = multiprocessing.get_context("spawn")
    app, bare, walls = [], [], {}
    for run in range(runs):
        run_app, run_bare = per_pdf(sample)
        app.append(statistics.median(run_app))
        bare.append(statistics.median(run_bare))
        for mode in ("render_and_send", "render_pdf"):
            for workers in (1, 2):
                walls.setdefault((mode, workers), []).append(batch(mode, batch_ids, workers, context))
        print(f"  run {run + 1}/{runs} done", flush=True)
    median = statistics.median
    return {
        "runs": runs,
        "issue": issue_seconds,
        "app": median(app),
        "bare": median(bare),
        "walls": {key: median(values) for key, values in walls.items()},
    }


def table(r) -> list[str]:
    overhead = 100 * (r["app"] / r["bare"] - 1)
    lines = [
        f"Issue: {INVOICES} invoices in {-(-INVOICES // COHORT_SIZE)} cohorts (`issue_cohort_invoices`): "
        f"{r['issue']:.2f} s, {1000 * r['issue'] / INVOICES:.1f} ms per invoice (once, first run).",
        "",
        "| per PDF (median of a sample) | app `render_pdf` | bare WeasyPrint, same HTML | app / bare |",
        "|---|---|---|---|",
        f"| {SAMPLE} of the {INVOICES} invoices | {1000 * r['app']:.0f} ms | {1000 * r['bare']:.0f} ms | "
        f"{r['app'] / r['bare']:.2f} ({overhead:+.1f} %) |",
        "",
        f"| batch of {BATCH} PDFs (wall time) | 1 worker | 2 workers | speed-up |",
        "|---|---|---|---|",
    ]
    for mode, label in (
        ("render_and_send", "`render_and_send` (render, store, e-mail)"),
        ("render_pdf", "`render_pdf` only"),
    ):
        one, two = r["walls"][(mode, 1)], r["walls"][(mode, 2)]
        lines.append(f"| {label} | {one:.1f} s | {two:.1f} s | {one / two:.2f}× |")
    return lines


def verdict(r) -> list[str]:
    overhead = 100 * (r["app"] / r["bare"] - 1)
    one, two = r["walls"][("render_and_send", 1)], r["walls"][("render_and_send", 2)]
    cpu_one, cpu_two = r["walls"][("render_pdf", 1)], r["walls"][("render_pdf", 2)]
    return [
        (
            f"- The app adds {overhead:.1f} % to WeasyPrint per PDF"
            if overhead > 0
            else f"- The app is no slower than bare WeasyPrint per PDF ({overhead:+.1f} %, within the noise)"
        )
        + ": target (under 30 %) "
        + ("met." if overhead < 30 else "MISSED."),
        f"- Two worker processes render alone {cpu_one / cpu_two:.2f}× as fast as one on "
        f"{os.cpu_count()} cores; through `render_and_send` on SQLite the speed-up is {one / two:.2f}×: "
        "`store_pdf` renders inside its transaction, and SQLite's transactions (BEGIN IMMEDIATE, "
        "see plato/settings.py) take the database's single write lock, so the renderings of two "
        "workers take turns. On PostgreSQL the lock is the invoice's row (`select_for_update`), "
        "and workers on different invoices do not wait for each other; this bench does not measure it.",
        "- The 2-worker figures move most from one run of the bench to the next (the other processes "
        "on the machine take a core): compare them within one run.",
    ]


def write_doc(r):
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "unknown CPU",
    )
    section = "\n".join(
        [
            START,
            "## Invoices",
            "",
            "Measured with `make bench` (or `.venv/bin/python bench/invoices.py`), which rewrites this section.",
            f"Medians of {r['runs']} runs; {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores ({cpu}), "
            f"Python {platform.python_version()}, WeasyPrint {version('weasyprint')}, SQLite (a throwaway "
            "file database and media folder, deleted at the end).",
            "The machine is shared and noisy: read times as orders of magnitude, compare the ratios "
            "(measured side by side in the same run).",
            "",
            f"{INVOICES} members of one chapter (with its invoicing details) in cohorts of {COHORT_SIZE} are "
            "invoiced; the on-commit rendering task is disabled during the issue so that issue and rendering "
            f"are measured apart. Per PDF: a sample of {SAMPLE} evenly spread invoices (rendering all "
            f"{INVOICES} twice per run takes minutes on this 2-core machine), each rendered by the app "
            "(`billing.documents.render_pdf`: the HTML built from the stored invoice, then WeasyPrint) and "
            "by bare WeasyPrint from the same HTML with the same base URL, local-only URL fetcher and "
            "stylesheet, in alternating order. Workers: a batch of "
            f"{BATCH} invoices shared between 1 or 2 processes (multiprocessing, spawned, each running "
            "`django.setup()`; started before the clock), e-mail to Django's locmem backend, PDFs cleared "
            "between measurements — not Celery workers, which need Redis and PostgreSQL.",
            "",
            *table(r),
            "",
            *verdict(r),
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
    try:
        r = measure(runs)
    finally:
        connections.close_all()
        shutil.rmtree(WORKDIR, ignore_errors=True)
    print("\n".join(table(r)))
    print("\n".join(verdict(r)))
    if "--no-write" not in argv:
        write_doc(r)
        print(f"Figures written to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv)
