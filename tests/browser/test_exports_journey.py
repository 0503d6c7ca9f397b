"""A coordinator follows the roster being built: the progress bar moves by itself (htmx
polls the status every second, under our CSP) and the download link appears when the
file is ready, without reloading the page.

The task's progress is written to the job as the worker would write it. Screenshots (for
people, not compared) go to /tmp/shots/exports_*.png.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from billing.enums import ExportState
from billing.models import ExportJob
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
