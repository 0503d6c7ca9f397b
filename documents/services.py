"""Exports built in the background: asking for one, trying a failed one again, building it;
and the end-of-programme certificates e-mailed to a closed cohort's new alumni."""

import datetime
import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from documents import member_documents, notifications, selectors
from documents.enums import ExportKind, ExportState
from documents.models import CertificateDelivery, ExportJob, export_stale_after
from groups.enums import MembershipState
from groups.models import Chapter, Membership
from plato.pdf import LANGUAGE
from plato.tasks import enqueue_each_on_commit

logger = logging.getLogger(__name__)

# A job waiting this long for a worker may have lost its message (the broker was down when
# it was asked for, or was flushed): the sweep hands it over again. A duplicate is harmless:
# only one delivery claims a waiting job.
PENDING_RESEND_AFTER = datetime.timedelta(minutes=5)
# A job whose worker died this many times is failed with the reason, for the coordinator to
# try again by hand, rather than started over for ever (a list that kills its worker).
MAX_ATTEMPTS = 3


def _hand_over_on_commit(job_ids: list[int]) -> None:
    # Never waits on the broker; a job it did not take stays waiting for the sweep.
    enqueue_each_on_commit("billing.build_export", job_ids)


def _queue(job: ExportJob, *, actor=None) -> None:
    """Back to waiting (the job row is locked); the caller hands it over after the commit."""
    job.state, job.done, job.error, job.finished_at = ExportState.PENDING, 0, "", None
    job.queued_at = timezone.now()
    fields = ["state", "done", "error", "finished_at", "queued_at"]
    if actor is not None:
        job.requested_by = actor
        fields.append("requested_by")
    job.save(update_fields=fields)


@transaction.atomic
def request_roster(chapter: Chapter, *, actor) -> tuple[ExportJob, bool]:
    """A roster of the chapter's members, built by a Celery task after the commit, and
    whether it is new: while one is waiting or being built for the chapter, that one is
    returned (a second click does not build it twice). One whose worker died (stalled) is
    started over instead of blocking every new list; one waiting for long is handed over
    again."""
    Chapter.objects.select_for_update().filter(pk=chapter.pk).first()  # one request at a time
    current = (
        ExportJob.objects.select_for_update()
        .filter(chapter=chapter, kind=ExportKind.ROSTER, state__in=(ExportState.PENDING, ExportState.RUNNING))
        .first()
    )
    if current is not None:
        if current.is_stalled:
            _queue(current, actor=actor)
            _hand_over_on_commit([current.pk])
            return current, True
        if (
            current.state == ExportState.PENDING
            and (current.queued_at or current.created_at) < timezone.now() - PENDING_RESEND_AFTER
        ):
            _queue(current)
            _hand_over_on_commit([current.pk])
        return current, False
    job = ExportJob.objects.create(
        chapter=chapter, requested_by=actor, kind=ExportKind.ROSTER, queued_at=timezone.now()
    )
    _hand_over_on_commit([job.pk])
    return job, True


@transaction.atomic
def retry_export(job: ExportJob, *, actor) -> ExportJob:
    """A failed export, or one whose worker died, built again by a new task after the commit."""
    job = ExportJob.objects.select_for_update().get(pk=job.pk)
    if not (job.state == ExportState.FAILED or job.is_stalled):
        raise ValidationError(_("Only a failed export can be tried again."))
    _queue(job, actor=actor)
    _hand_over_on_commit([job.pk])
    return job


def sweep_exports(*, older_than: datetime.timedelta | None = None) -> int:
    """Run by beat every minute. A job being built whose heartbeat stopped (its worker died)
    is started over, up to MAX_ATTEMPTS builds, then failed with the reason; a job waiting
    for longer than PENDING_RESEND_AFTER is handed over again. `older_than` replaces both
    delays (0: whatever waits or is silent now). Returns how many jobs were handed over."""
    now = timezone.now()
    silent_since = now - (older_than if older_than is not None else export_stale_after())
    waiting_since = now - (older_than if older_than is not None else PENDING_RESEND_AFTER)
    handed_over = []
    with transaction.atomic():
        stalled = ExportJob.objects.select_for_update(skip_locked=True).filter(
            state=ExportState.RUNNING, heartbeat_at__lt=silent_since
        )
        for job in stalled:
            if job.attempts >= MAX_ATTEMPTS:
                with translation.override(LANGUAGE):
                    error = ngettext(
                        "The build stopped %(count)s time without finishing (its worker was lost).",
                        "The build stopped %(count)s times without finishing (its worker was lost).",
                        job.attempts,
                    ) % {"count": job.attempts}
                job.state, job.error, job.finished_at = ExportState.FAILED, error, now
                job.save(update_fields=["state", "error", "finished_at"])
                logger.error("Export %s failed: its worker was lost %s times", job.pk, job.attempts)
                continue
            logger.warning(
                "Export %s lost its worker (no heartbeat since %s); started over", job.pk, job.heartbeat_at
            )
            _queue(job)
            handed_over.append(job.pk)
        waiting = (
            ExportJob.objects.select_for_update(skip_locked=True)
            .filter(state=ExportState.PENDING, queued_at__lt=waiting_since)
            .exclude(pk__in=handed_over)
        )
        for job in waiting:
            _queue(job)
            handed_over.append(job.pk)
        _hand_over_on_commit(handed_over)  # one message for them all
    return len(handed_over)


def _claim(job_id: int) -> tuple[ExportJob, list] | None:
    """Mark a waiting job running and count its steps, or None when there is nothing to do:
    gone, done, failed, or already claimed by another delivery of the task."""
    now = timezone.now()
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("chapter").filter(pk=job_id).first()
        if job is None or job.state != ExportState.PENDING:
            return None
        cohorts = selectors.roster_cohorts(job.chapter)
        job.state, job.done, job.total = ExportState.RUNNING, 0, len(cohorts)
        job.error, job.started_at, job.heartbeat_at, job.finished_at = "", now, now, None
        job.attempts += 1
        job.save(
            update_fields=[
                "state",
                "done",
                "total",
                "error",
                "started_at",
                "heartbeat_at",
                "finished_at",
                "attempts",
            ]
        )
    return job, cohorts


@contextmanager
def _heartbeat(row):
    """Stamp `heartbeat_at` on `row` (a queryset of this build's job) every few seconds from
    a thread of its own, so that a long layout (one WeasyPrint call) still shows a living
    worker, and a killed one stops beating with it."""
    stop = threading.Event()
    interval = settings.PLATO_EXPORT_HEARTBEAT_SECONDS

    def beat() -> None:
        try:
            while not stop.wait(interval):
                try:
                    row.update(heartbeat_at=timezone.now())
                except Exception:  # a beat missed is no reason to stop the build
                    logger.warning("Export heartbeat not recorded", exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name="export-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _failure(error: Exception) -> str:
    with translation.override(LANGUAGE):
        if isinstance(error, OSError):
            return _("The file could not be stored (%(error)s).") % {"error": error.__class__.__name__}
        return _("The document could not be laid out (%(error)s).") % {"error": error.__class__.__name__}


def build_export(job_id: int) -> None:
    """Build the export's file, recording its progress (cohorts done out of the chapter's)
    and a heartbeat as it goes; a job not waiting (done, failed, claimed by another
    delivery) is left alone; a failure is recorded on the job, with its reason, for the
    page to show (and the coordinator to try again).

    Every write of this build is conditional on the job still being this build's (running,
    same attempt): a build declared dead and started over by the sweep, should it still be
    alive, can no longer touch the row, and removes the file it made."""
    claimed = _claim(job_id)
    if claimed is None:
        return
    job, cohorts = claimed
    this_build = ExportJob.objects.filter(pk=job.pk, state=ExportState.RUNNING, attempts=job.attempts)
    today = timezone.localdate()

    def report(done: int) -> None:
        # Outside any transaction: the page polling the job sees each step at once.
        this_build.update(done=done, heartbeat_at=timezone.now())

    with _heartbeat(this_build):
        try:
            pdf = member_documents.chapter_roster(job.chapter, cohorts, today=today, on_cohort_done=report)
            job.file.save(member_documents.roster_filename(job.chapter, today), ContentFile(pdf), save=False)
        except Exception as error:
            # The traceback goes to the log; the page says what failed without server paths.
            logger.exception("Export %s failed", job.pk)
            this_build.update(state=ExportState.FAILED, error=_failure(error), finished_at=timezone.now())
            return
    finished = this_build.update(
        state=ExportState.DONE, done=job.total, file=job.file.name, finished_at=timezone.now()
    )
    if not finished:
        logger.warning("Export %s was started over while this build ran; its file is dropped", job.pk)
        job.file.delete(save=False)


# --- End-of-programme certificates e-mailed at the closing ------------------------------------


def plan_certificate_emails(membership_ids: list[int]) -> list[int]:
    """Inside the closing's transaction: a delivery row for each new alumni with an e-mail
    address (unique per membership: closing twice writes nothing new), their e-mails
    enqueued after the commit and sent once through the outbox (documents.notifications).
    A person without an address gets no row; their certificate stays downloadable.
    Returns the rows' ids."""
    with_address = list(
        Membership.objects.filter(pk__in=membership_ids, state=MembershipState.ALUMNI)
        .exclude(person__email="")
        .values_list("pk", flat=True)
    )
    CertificateDelivery.objects.bulk_create(
        [CertificateDelivery(membership_id=pk) for pk in with_address], ignore_conflicts=True
    )
    ids = list(
        CertificateDelivery.objects.filter(membership_id__in=with_address, sent_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    # One message for the whole cohort; the broker refusing it leaves the rows to the sweep.
    notifications.CertificateHandler().enqueue_on_commit(ids)
    return ids
