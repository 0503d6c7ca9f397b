"""The documents' own rows: the exports built in the background and the end-of-programme
certificates e-mailed once.

Both were billing's models until the documents app was made (issue 14); their tables kept
their names (`billing_exportjob`, `billing_certificatedelivery`), so that the move took
no data anywhere (migrations: billing 0010 and documents 0001, state only).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.enums import ExportKind, ExportState
from plato.dates import PlausibleDateTimeField
from plato.outbox import OutboxMessage


def export_stale_after() -> datetime.timedelta:
    """How long a running export may go without a heartbeat before it counts as dead:
    six heartbeats missed (settings: PLATO_EXPORT_HEARTBEAT_SECONDS, PLATO_EXPORT_STALE_SECONDS)."""
    return datetime.timedelta(seconds=settings.PLATO_EXPORT_STALE_SECONDS)


class ExportJob(models.Model):
    """A document built in the background for a chapter's coordinators (the members'
    roster of a large chapter), with its progress and, once done, its private file.

    The task (documents.tasks) counts `done` out of `total` as it goes, so the page
    shows real progress; the file lives in the default storage and is only ever served by
    a view that checks who asks, never from MEDIA_URL. While it builds, the task stamps
    `heartbeat_at` every few seconds: a running job whose heartbeat stopped lost its
    worker (`is_stalled`), and beat's sweep starts it over (documents.services).
    """

    chapter = models.ForeignKey(
        "groups.Chapter", on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("chapter")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ExportKind.choices, default=ExportKind.ROSTER)
    state = models.CharField(
        _("state"), max_length=10, choices=ExportState.choices, default=ExportState.PENDING
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/", blank=True)
    error = models.TextField(blank=True)
    created_at = PlausibleDateTimeField(_("requested at"), auto_now_add=True)
    # Last handed to the broker (asked for, tried again, or by the sweep).
    queued_at = PlausibleDateTimeField(null=True, blank=True)
    started_at = PlausibleDateTimeField(null=True, blank=True)
    heartbeat_at = PlausibleDateTimeField(null=True, blank=True)
    finished_at = PlausibleDateTimeField(null=True, blank=True)
    # Builds started: the one running is number `attempts`; an older one still alive
    # somewhere (declared dead too early) can no longer write to the row.
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "billing_exportjob"  # the table of its billing days: moved without a copy
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=F("total")), name="export_job_done_within_total"),
        ]
        indexes = [models.Index(fields=["chapter", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.chapter} — {self.get_kind_display()} — {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.state in (ExportState.DONE, ExportState.FAILED)

    @property
    def is_stalled(self) -> bool:
        """Running, but its task stopped beating: its worker is gone (killed, out of memory,
        the machine restarted). The page says so at once rather than « in progress »."""
        if self.state != ExportState.RUNNING:
            return False
        last_sign_of_life = self.heartbeat_at or self.started_at or self.created_at
        return timezone.now() - last_sign_of_life > export_stale_after()


class CertificateDelivery(OutboxMessage):
    """An alumni's end-of-programme attendance certificate, e-mailed to them at most once.

    Written when their cohort closes (one row per membership: the unique constraint makes
    a second closing or a redelivered task write nothing new); the task that sends it locks
    the row through the outbox (documents.notifications), which stamps `sent_at` in the
    transaction that sent the e-mail; a failed send leaves it empty for a retry.
    """

    membership = models.OneToOneField(
        "groups.Membership",
        on_delete=models.PROTECT,
        related_name="certificate_delivery",
        verbose_name=_("membership"),
    )

    class Meta:
        db_table = "billing_certificatedelivery"  # as ExportJob's
        ordering = ["-created_at", "-pk"]
        verbose_name = _("attendance certificate e-mail")
        verbose_name_plural = _("attendance certificate e-mails")
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.membership} — {self.sent_at or '…'}"
