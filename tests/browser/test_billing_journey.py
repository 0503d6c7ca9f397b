"""A coordinator, in Chromium: records a cheque on an overdue invoice, then asks for the
chapter's roster, watches the job's progress bar and downloads the PDF.

The roster is built by the real Celery task (`billing.build_export`), run from the test
while the page polls, as a worker would: the button's POST only queues it (tasks are
not run inline here), so the page shows the waiting job first. Desktop, then the invoice
again on a 390 px phone. Screenshots (for people, not compared): /tmp/shots/billing_*.png.
"""

import datetime
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from billing import services
from billing.models import Payment
from documents.enums import ExportState
from documents.models import ExportJob
from tests import factories
from tests.browser.conftest import PHONE, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def tasks_queued_not_run():
    """The button's task goes to an in-memory queue nobody reads: the test runs it."""
    from plato.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous


def test_coordinator_records_a_payment_then_exports_the_roster(
    live_server,
    page,
    browser,
    transactional_db,
    invoicing_chapter,
    buyer,
    coordinator,
    cohort,
    settings,
    tmp_path,
    shots,
    tasks_queued_not_run,
):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    for _ in range(4):
        factories.MembershipFactory(cohort=cohort)
    invoice = services.issue_invoice(buyer, actor=coordinator, today=datetime.date(2026, 9, 1))
    base = live_server.url
    sign_in(page, base, coordinator.email)

    # The overdue invoice, from the chapter's list.
    page.goto(base + reverse("billing:chapter_invoices", kwargs={"code": invoicing_chapter.code}))
    row = page.locator("tr", has_text=invoice.number)
    expect(row).to_contain_text("En retard")
    row.get_by_role("link", name=invoice.number).click()
    form = page.locator("form#payment")
    expect(form.locator("input[name=amount]")).to_have_value("2280,00")
    form.locator("input[name=amount]").fill("1280,00")
    form.locator("select[name=method]").select_option("cheque")
    form.locator("input[name=reference]").fill("Chèque n° 4812304")
    form.get_by_role("button", name="Enregistrer le paiement").click()

    expect(page.locator(".alert-success")).to_contain_text("Paiement de 1\xa0280,00 € enregistré.")
    expect(page.locator("h1")).to_contain_text("En retard")  # still 1 000 € due after the due date
    expect(page.locator("body")).to_contain_text("Reste dû : 1\xa0000,00 €")
    payment = Payment.objects.get()
    assert (payment.amount, payment.method, payment.reference) == (
        Decimal("1280.00"),
        "cheque",
        "Chèque n° 4812304",
    )
    page.screenshot(path=shots / "billing_invoice_paid_part.png", full_page=True)

    # The roster: asked for, waiting, built by the task while the page polls, downloaded.
    page.goto(base + reverse("billing:chapter_exports", kwargs={"code": invoicing_chapter.code}))
    page.get_by_role("button", name="Générer la liste des adhérents (PDF)").click()
    progress = page.locator("progress.export-progress")
    expect(progress).to_be_visible()
    page.evaluate("window.notReloaded = true")
    page.screenshot(path=shots / "billing_roster_waiting.png", full_page=True)
    job = ExportJob.objects.get()
    assert job.state == ExportState.PENDING

    from documents.tasks import build_export

    build_export(job.pk)  # what the worker does

    download = page.get_by_role("link", name="Télécharger la liste (PDF)")
    expect(download).to_be_visible(timeout=10_000)
    assert page.evaluate("window.notReloaded") is True, "the page reloaded instead of polling"
    expect(progress).to_have_count(0)
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (ExportState.DONE, job.total, job.total)
    page.screenshot(path=shots / "billing_roster_ready.png", full_page=True)
    with page.expect_download() as arrival:
        download.click()
    path = tmp_path / "roster.pdf"
    arrival.value.save_as(path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert cohort.name in text and "Kerlann Informatique" in text

    # The invoice on a phone.
    phone = browser.new_context(locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        small = phone.new_page()
        sign_in(small, base, coordinator.email)
        small.goto(base + invoice.get_absolute_url())
        expect(small.locator("body")).to_contain_text("Chèque n° 4812304")
        small.screenshot(path=shots / "billing_invoice_phone.png", full_page=True)
    finally:
        phone.close()
