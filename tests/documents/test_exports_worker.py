"""The members' list built by a real worker that is killed (SIGKILL) halfway through.

PostgreSQL, Redis, a Celery worker subprocess: the worker dies while it lays out the list.
The page stops saying « in progress » as soon as the job's heartbeat is overdue (here
2 s instead of production's 60 s, the period of beat's sweep), and offers to try again;
the sweep (`billing.sweep_exports`, called here as beat calls it) starts the build over
and a new worker finishes it: one file, built by the second attempt. Runs in CI.
"""

import time

import pytest
from django.urls import reverse

from documents.enums import ExportState
from documents.models import ExportJob
from documents.services import sweep_exports
from groups.enums import CohortState
from tests import factories
from tests.celery_workers import DELIVERY_TIMEOUT, NEEDS_WORKER, Worker, queue_length, wait_for
from tests.mail import SmtpSink

pytestmark = NEEDS_WORKER

HEARTBEAT = 0.3  # seconds between two heartbeats of a build
STALE = 2.0  # seconds without one before a build counts as dead
COHORTS = 24  # enough for the build to take a few seconds


@pytest.fixture
def media(media_root):
    return media_root


@pytest.fixture
def large_chapter(invoicing_chapter):
    for number in range(COHORTS):
        cohort = factories.CohortFactory(
            chapter=invoicing_chapter, name=f"Groupe {number:02d}", state=CohortState.ACTIVE
        )
        for _ in range(4):
            factories.MembershipFactory(cohort=cohort)
    return invoicing_chapter


def test_a_worker_killed_during_an_export_is_noticed_and_the_sweep_finishes_the_list(
    transactional_db, large_chapter, coordinator, login, media, settings, broker_queue_empty, tmp_path
):
    settings.PLATO_EXPORT_HEARTBEAT_SECONDS = HEARTBEAT
    settings.PLATO_EXPORT_STALE_SECONDS = STALE
    env = {
        "MEDIA_ROOT": str(media),
        "PLATO_EXPORT_HEARTBEAT_SECONDS": str(HEARTBEAT),
        "PLATO_EXPORT_STALE_SECONDS": str(STALE),
    }
    client = login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    exports = reverse("billing:chapter_exports", kwargs={"code": large_chapter.code})

    def status_page() -> str:
        job = ExportJob.objects.get()
        url = reverse("billing:export_job", kwargs={"code": large_chapter.code, "job": job.pk})
        return client.get(url, headers={"HX-Request": "true"}).content.decode()

    with SmtpSink() as sink:
        worker = Worker(sink.url, tmp_path / "worker-1.log", extra_env=env)
        try:
            client.post(exports, {"action": "roster"})
            wait_for(
                lambda: ExportJob.objects.filter(state=ExportState.RUNNING, done__gte=2).exists(),
                DELIVERY_TIMEOUT,
                "the build to be under way",
            )
            assert "Building the list" in status_page()
            worker.kill()
            killed_at = time.monotonic()
        finally:
            worker.stop()

        job = ExportJob.objects.get()
        assert job.state == ExportState.RUNNING and 2 <= job.done < job.total == COHORTS, "killed halfway"

        # The page says « in progress » only while the dead build's heartbeat is not overdue.
        while "Building the list" in (page := status_page()):
            assert time.monotonic() - killed_at < STALE + 2 * HEARTBEAT + 1, "still « in progress »"
            time.sleep(0.1)
        assert "The list stopped being built" in page and "Try again" in page
        # A new request is not refused as « already being built » by the dead one either.
        assert "Building the list" not in client.get(exports).content.decode()

        # Beat's sweep starts it over; a new worker builds it to the end.
        worker = Worker(sink.url, tmp_path / "worker-2.log", extra_env=env)
        try:
            assert sweep_exports() == 1
            wait_for(
                lambda: ExportJob.objects.filter(state=ExportState.DONE).exists(),
                DELIVERY_TIMEOUT,
                "the list to be built again",
            )
            wait_for(lambda: queue_length() == 0, DELIVERY_TIMEOUT, "the queue to drain")
            assert sweep_exports() == 0
        finally:
            worker.stop()

    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.attempts, job.error) == (
        ExportState.DONE,
        COHORTS,
        COHORTS,
        2,
        "",
    )
    assert "Download the list (PDF)" in status_page()
    assert [path.relative_to(media).as_posix() for path in media.rglob("*.pdf")] == [job.file.name]
    download = client.get(
        reverse("billing:export_download", kwargs={"code": large_chapter.code, "job": job.pk})
    )
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
