"""A coordinator follows the roster being built: the progress bar moves by itself (htmx
polls the status every second, under our CSP) and the download link appears when the
file is ready, without reloading the page.

The task's progress is written to the job as the worker would write it. Screenshots (for
people, not compared) go to /tmp/shots/exports_*.png.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from documents.enums import ExportState
from documents.models import ExportJob
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_coordinator_watches_the_roster_progress_then_downloads_it(
    live_server, page, transactional_db, coordinator, cohort, settings, tmp_path, shots
):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    chapter = cohort.chapter
    job = ExportJob.objects.create(chapter=chapter, requested_by=coordinator, total=3)
    ExportJob.objects.filter(pk=job.pk).update(state=ExportState.RUNNING, done=1, started_at=timezone.now())
    csp_errors = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    sign_in(page, live_server.url, coordinator.email)
    page.goto(live_server.url + reverse("billing:chapter_exports", kwargs={"code": chapter.code}))
    page.evaluate("window.notReloaded = true")
    progress = page.locator("progress.export-progress")
    expect(progress).to_have_attribute("value", "1")
    expect(page.locator("body")).to_contain_text("Préparation de la liste : 1 sur 3 groupes")
    page.screenshot(path=shots / "exports_progress.png", full_page=True)

    ExportJob.objects.filter(pk=job.pk).update(done=2)
    expect(progress).to_have_attribute("value", "2")

    name = default_storage.save("exports/adherents-56.pdf", ContentFile(b"%PDF-1.7 browser"))
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportState.DONE, done=3, file=name, finished_at=timezone.now()
    )
    download = page.get_by_role("link", name="Télécharger la liste (PDF)")
    expect(download).to_be_visible()
    assert page.evaluate("window.notReloaded") is True, "the page reloaded instead of polling"
    assert page.locator("[hx-trigger]").count() == 0, "still polling once the file is ready"
    page.screenshot(path=shots / "exports_done.png", full_page=True)
    assert not csp_errors, csp_errors


def test_a_build_whose_worker_died_turns_into_a_retry_by_itself_then_finishes(
    live_server, page, transactional_db, coordinator, cohort, settings, tmp_path, shots
):
    """The page follows a build whose worker is then lost: it stops saying « in progress »
    without a reload and offers to try again; trying again builds the list (tasks inline)."""
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    chapter = cohort.chapter
    job = ExportJob.objects.create(chapter=chapter, requested_by=coordinator, total=3)
    beat = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportState.RUNNING, done=1, started_at=beat, heartbeat_at=beat, attempts=1
    )

    sign_in(page, live_server.url, coordinator.email)
    page.goto(live_server.url + reverse("billing:chapter_exports", kwargs={"code": chapter.code}))
    expect(page.locator("progress.export-progress")).to_have_attribute("value", "1")

    silent = timezone.now() - datetime.timedelta(seconds=settings.PLATO_EXPORT_STALE_SECONDS + 1)
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=silent)  # the worker is gone
    retry = page.get_by_role("button", name="Réessayer")
    expect(retry).to_be_visible()
    expect(page.locator("progress.export-progress")).to_have_count(0)
    page.screenshot(path=shots / "exports_stalled.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=shots / "exports_stalled_phone.png", full_page=True)

    retry.click()
    expect(page.get_by_role("link", name="Télécharger la liste (PDF)")).to_be_visible()
    job.refresh_from_db()
    assert (job.state, job.attempts) == (ExportState.DONE, 2)
