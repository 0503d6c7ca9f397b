"""Exports built in the background: asking for one, trying a failed one again, building it;
and the end-of-programme certificates e-mailed to a closed cohort's new alumni."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from billing.enums import ExportKind, ExportState
from billing.exports import documents, selectors
from billing.models import CertificateDelivery, ExportJob
from groups.enums import MembershipState
from groups.models import Chapter, Membership
from plato.emails import Attachment, build_email
from plato.tasks import enqueue_each, enqueue_each_on_commit, enqueue_on_commit

logger = logging.getLogger(__name__)

# A job still « running » this long after it started lost its worker (killed mid-render):
# a new delivery of its task starts it over. A younger one is another delivery's work.
RUNNING_TIMEOUT = datetime.timedelta(minutes=30)


def _enqueue(job_id: int) -> None:
    from billing.exports import tasks  # the task module imports this one

    # Never waits on the broker; a job it did not take stays waiting.
    enqueue_on_commit(tasks.build_export, job_id)


@transaction.atomic
def request_roster(chapter: Chapter, *, actor) -> tuple[ExportJob, bool]:
    """A roster of the chapter's members, built by a Celery task after the commit, and
    whether it is new: while one is waiting or running for the chapter, that one is
    returned (a second click does not build it twice)."""
    Chapter.objects.select_for_update().filter(pk=chapter.pk).first()  # one request at a time
    current = ExportJob.objects.filter(
        chapter=chapter,
        kind=ExportKind.ROSTER,
        state__in=(ExportState.PENDING, ExportState.RUNNING),
        created_at__gte=timezone.now() - RUNNING_TIMEOUT,
    ).first()
    if current is not None:
        return current, False
    job = ExportJob.objects.create(chapter=chapter, requested_by=actor, kind=ExportKind.ROSTER)
    _enqueue(job.pk)
    return job, True


@transaction.atomic
def retry_export(job: ExportJob, *, actor) -> ExportJob:
    """A failed export, built again by a new task after the commit."""
    job = ExportJob.objects.select_for_update().get(pk=job.pk)
    if job.state != ExportState.FAILED:
        raise ValidationError(_("Only a failed export can be tried again."))
    job.state, job.done, job.error, job.finished_at = ExportState.PENDING, 0, "", None
    job.requested_by = actor
    job.save(update_fields=["state", "done", "error", "finished_at", "requested_by"])
    _enqueue(job.pk)
    return job


def _claim(job_id: int) -> tuple[ExportJob, list] | None:
    """Mark the job running and count its steps, or None when there is nothing to do:
    gone, already done, or being built by another delivery of the task."""
    now = timezone.now()
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("chapter").filter(pk=job_id).first()
        if job is None or job.state == ExportState.DONE:
            return None
        if job.state == ExportState.RUNNING and job.started_at and now - job.started_at < RUNNING_TIMEOUT:
            return None
        cohorts = selectors.roster_cohorts(job.chapter)
        job.state, job.done, job.total = ExportState.RUNNING, 0, len(cohorts)
        job.error, job.started_at, job.finished_at = "", now, None
        job.save(update_fields=["state", "done", "total", "error", "started_at", "finished_at"])
    return job, cohorts


def _failure(error: Exception) -> str:
    with translation.override(documents.LANGUAGE):
        if isinstance(error, OSError):
            return _("The file could not be stored (%(error)s).") % {"error": error.__class__.__name__}
        return _("The document could not be laid out (%(error)s).") % {"error": error.__class__.__name__}


def build_export(job_id: int) -> None:
    """Build the export's file, recording its progress (cohorts done out of the chapter's)
    as it goes; once done, a new run does nothing; a failure is recorded on the job, with
    its reason, for the page to show (and the coordinator to try again)."""
    claimed = _claim(job_id)
    if claimed is None:
        return
    job, cohorts = claimed
    today = timezone.localdate()

    def report(done: int) -> None:
        # Outside any transaction: the page polling the job sees each step at once.
        ExportJob.objects.filter(pk=job.pk).update(done=done)

    try:
        pdf = documents.chapter_roster(job.chapter, cohorts, today=today, on_cohort_done=report)
        job.file.save(documents.roster_filename(job.chapter, today), ContentFile(pdf), save=False)
    except Exception as error:
        # The traceback goes to the log; the page says what failed without server paths.
        logger.exception("Export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportState.FAILED, error=_failure(error), finished_at=timezone.now()
        )
        return
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportState.DONE, done=job.total, file=job.file.name, finished_at=timezone.now()
    )


# --- End-of-programme certificates e-mailed at the closing ------------------------------------
#
# `groups.services.close_cohort` calls `plan_certificate_emails` in its transaction with the
# memberships it turned into alumni: one CertificateDelivery row each (unique per membership:
# closing twice, or a redelivered task, writes nothing new), and after the commit one task
# each. The task locks its row (skipping it when another worker holds it), renders the
# certificate, sends it and stamps `sent_at` in the same transaction; a failure leaves the
# row unsent (attempts counted) for the task's retry, then for the hourly sweep. A person
# without an e-mail address gets no row (nothing to send to); their certificate stays
# downloadable.

SWEEP_CERTIFICATES_AFTER = datetime.timedelta(minutes=10)
MAX_CERTIFICATE_ATTEMPTS = 8


def plan_certificate_emails(membership_ids: list[int]) -> list[int]:
    """Inside the closing's transaction: a delivery row for each new alumni with an e-mail
    address, their e-mails enqueued after the commit. Returns the rows' ids."""
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
    from billing.exports import tasks  # the task module imports this one

    # One message for the whole cohort; the broker refusing it leaves the rows to the sweep.
    enqueue_each_on_commit(tasks.send_attendance_certificate, ids)
    return ids


def build_certificate_email(record: selectors.AttendanceRecord, pdf: bytes, *, key: str):
    membership = record.membership
    chapter = membership.cohort.chapter
    with translation.override(documents.LANGUAGE):
        subject = _("Your end-of-programme certificate — %(cohort)s") % {"cohort": membership.cohort.name}
    return build_email(
        "billing/attendance_certificate",
        {
            "record": record,
            "membership": membership,
            "person": membership.person,
            "cohort": membership.cohort,
            "chapter": chapter,
        },
        subject=subject,
        to=[membership.person.email],
        language=documents.LANGUAGE,
        key=key,
        attachments=(
            Attachment(documents.attendance_certificate_filename(membership), pdf, "application/pdf"),
        ),
    )


def send_attendance_certificate(delivery_id: int) -> bool:
    """E-mail the alumni their certificate unless it was sent already, another worker is
    sending it, or they have no address. Returns whether an e-mail left; a failure is
    counted on the row and raised, for the task to retry."""
    failure = None
    with transaction.atomic():
        delivery = (
            CertificateDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=delivery_id, sent_at__isnull=True)
            .select_related("membership__cohort__chapter", "membership__person", "membership__company")
            .first()
        )
        if delivery is None or not delivery.membership.person.email:
            return False
        delivery.attempts += 1
        try:
            membership = delivery.membership
            record = selectors.attendance_record(membership)
            pdf = documents.attendance_certificate(
                record,
                signer=selectors.certificate_signer(membership.cohort.chapter, None),
                today=timezone.localdate(),
            )
            build_certificate_email(record, pdf, key=f"attendance-certificate-{delivery.pk}").send()
        except Exception as error:
            failure = error
            delivery.save(update_fields=["attempts"])
        else:
            delivery.sent_at = timezone.now()
            delivery.save(update_fields=["attempts", "sent_at"])
    if failure is not None:
        logger.warning("Attendance certificate %s not sent (attempt %s)", delivery_id, delivery.attempts)
        raise failure
    logger.info("Attendance certificate %s e-mailed", delivery_id)
    return True


def sweep_certificate_emails(*, older_than: datetime.timedelta = SWEEP_CERTIFICATES_AFTER) -> int:
    """Certificates still unsent a while after the closing (a task lost, a mail server down
    past the task's retries) are enqueued again, up to MAX_CERTIFICATE_ATTEMPTS tries."""
    ids = list(
        CertificateDelivery.objects.filter(
            sent_at__isnull=True,
            created_at__lte=timezone.now() - older_than,
            attempts__lt=MAX_CERTIFICATE_ATTEMPTS,
        )
        .exclude(membership__person__email="")
        .values_list("pk", flat=True)
    )
    from billing.exports import tasks  # the task module imports this one

    enqueue_each(tasks.send_attendance_certificate, ids)
    return len(ids)
