"""Monthly meetings of a cohort, the topics its members propose and vote for, who comes.

A meeting belongs to a cohort and carries its own vote window (computed from the
chapter's settings when the schedule is generated or the meeting moves); a topic
stays in the cohort's backlog until a meeting treats it. Ballots, RSVPs and
attendance are one row per person and meeting (unique constraints), so a double
click or two simultaneous requests can never make two.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from groups.models import Cohort
from groups.roles import roles_for
from meetings.enums import (
    AttendanceStatus,
    MeetingState,
    NotificationKind,
    RsvpAnswer,
    RsvpChannel,
    TopicState,
    VenueKind,
)
from meetings.validators import validate_document_extension, validate_document_size
from plato.dates import PlausibleDateTimeField
from plato.outbox import OutboxMessage


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Meetings of the cohorts a user belongs to (member, sponsor, alumni) or runs (chapter staff)."""
        roles = roles_for(user)
        if roles.is_admin:
            return self
        return self.filter(
            Q(cohort__chapter_id__in=roles.staff_chapter_ids) | Q(cohort_id__in=roles.cohort_ids)
        )


class Meeting(models.Model):
    cohort = models.ForeignKey(
        "groups.Cohort", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("cohort")
    )
    starts_at = PlausibleDateTimeField(_("starts at"))
    ends_at = PlausibleDateTimeField(_("ends at"))
    state = models.CharField(
        _("state"), max_length=10, choices=MeetingState.choices, default=MeetingState.SCHEDULED
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    venue_kind = models.CharField(_("venue"), max_length=10, choices=VenueKind.choices, default=VenueKind.CCI)
    venue_name = models.CharField(_("place"), max_length=150, blank=True)
    venue_address = models.CharField(_("address"), max_length=255, blank=True)
    venue_postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    venue_town = models.CharField(_("town"), max_length=100, blank=True)

    speaker_name = models.CharField(_("external speaker"), max_length=150, blank=True)
    speaker_organisation = models.CharField(_("speaker's organisation"), max_length=150, blank=True)
    speaker_subject = models.CharField(_("speaker's subject"), max_length=255, blank=True)

    vote_opens_at = PlausibleDateTimeField(_("vote opens at"))
    vote_closes_at = PlausibleDateTimeField(_("vote closes at"))
    agenda_confirmed_at = PlausibleDateTimeField(_("agenda confirmed at"), null=True, blank=True)
    urgent_reason = models.TextField(_("urgent topic"), blank=True)

    minutes = models.TextField(_("minutes"), blank=True)
    attendance_taken_at = PlausibleDateTimeField(_("attendance taken at"), null=True, blank=True)

    # Calendar events keep their UID for ever and raise SEQUENCE at each change (RFC 5545).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)

    created_at = PlausibleDateTimeField(auto_now_add=True)
    updated_at = PlausibleDateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"),
            models.CheckConstraint(
                condition=Q(vote_closes_at__gt=F("vote_opens_at")) & Q(vote_closes_at__lte=F("starts_at")),
                name="meeting_vote_window_before_meeting",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.cohort} — {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", kwargs={"pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.state == MeetingState.CANCELLED


class ChapterTheme(models.Model):
    """A theme of a chapter's catalogue: finance, digital, HR…"""

    chapter = models.ForeignKey(
        "groups.Chapter", on_delete=models.CASCADE, related_name="themes", verbose_name=_("chapter")
    )
    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["chapter", "position", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(fields=["chapter", "name"], name="theme_unique_name_per_chapter")
        ]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """A subject a member wants the cohort to talk about; it waits in the backlog until treated."""

    cohort = models.ForeignKey(
        "groups.Cohort", on_delete=models.PROTECT, related_name="topics", verbose_name=_("cohort")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="topics",
        verbose_name=_("proposed by"),
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    theme = models.ForeignKey(
        ChapterTheme, on_delete=models.PROTECT, related_name="topics", verbose_name=_("theme")
    )
    state = models.CharField(_("state"), max_length=10, choices=TopicState.choices, default=TopicState.OPEN)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="treated_topics",
        verbose_name=_("treated at"),
    )
    created_at = PlausibleDateTimeField(_("proposed on"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.title


class Ballot(models.Model):
    """A member's votes for one meeting: one ballot per member and meeting, changed until the close."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="ballots")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ballots")
    topics = models.ManyToManyField(Topic, through="BallotChoice", related_name="ballots")
    updated_at = PlausibleDateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="ballot_one_per_member")]

    def __str__(self) -> str:
        return f"{self.person} — {self.meeting}"


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="choices")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "topic"], name="ballot_choice_distinct_topics")
        ]

    def __str__(self) -> str:
        return f"{self.ballot} → {self.topic}"


class AgendaItem(models.Model):
    """A topic the facilitator put on a meeting's agenda (1 or 2)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "topic"], name="agenda_topic_once")]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.topic}"


class Rsvp(models.Model):
    """Whether a member or sponsor comes: one answer per person and meeting, the last one counts."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps")
    answer = models.CharField(_("answer"), max_length=3, choices=RsvpAnswer.choices)
    comment = models.CharField(_("comment"), max_length=255, blank=True)
    channel = models.CharField(max_length=5, choices=RsvpChannel.choices, default=RsvpChannel.APP)
    answered_at = PlausibleDateTimeField(_("answered at"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="rsvp_one_per_person")]

    def __str__(self) -> str:
        return f"{self.person} — {self.meeting}: {self.answer}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_one_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.meeting}: {self.status}"


class ActionItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A member's own items, and those of the cohorts whose meetings the user runs."""
        roles = roles_for(user)
        if roles.is_admin:
            return self
        return self.filter(
            Q(person_id=user.pk)
            | Q(meeting__cohort__chapter_id__in=roles.coordinator_chapter_ids)
            | Q(
                meeting__cohort_id__in=Cohort.facilitators.through.objects.filter(user_id=user.pk).values(
                    "cohort_id"
                )
            )
        )


class ActionItem(models.Model):
    """A step a member commits to at a meeting: their "feuille de route"."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="action_items"
    )
    text = models.CharField(_("action"), max_length=255)
    done = models.BooleanField(_("done"), default=False)
    created_at = PlausibleDateTimeField(auto_now_add=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "created_at"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.text


class Notification(OutboxMessage):
    """One e-mail about a meeting to one person: the record that lets each go at most once.

    A row is written (unique per kind, meeting, person and revision or subject) in the
    same transaction as what makes it due; the e-mail is sent by a Celery task after
    the commit, which stamps `sent_at` under a row lock. Running the planner again, or
    a worker picking the task up again after a crash, finds the row and sends nothing
    twice. `revision` is the meeting's calendar SEQUENCE for a change notice (each move
    is told once); `about` is the member an absence alert is about.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notifications")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_notifications"
    )
    revision = models.PositiveIntegerField(default=0)
    about = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "meeting", "person", "revision"],
                condition=Q(about__isnull=True),
                name="notification_once",
            ),
            models.UniqueConstraint(
                fields=["kind", "meeting", "person", "about"],
                condition=Q(about__isnull=False),
                name="notification_once_about",
            ),
        ]
        indexes = [
            models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="notification_unsent")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.person} — {self.meeting}"


def meeting_document_path(document: "MeetingDocument", filename: str) -> str:
    """Under the meeting's calendar UID: stable, and not guessable from the meeting's number."""
    return f"meetings/{document.meeting.uid}/{filename}"


class MeetingDocument(models.Model):
    """A file shared with a meeting's participants (slides, a report). Downloaded through a
    view that checks who may see the meeting, never from a public URL."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="documents", verbose_name=_("meeting")
    )
    title = models.CharField(_("title"), max_length=150)
    file = models.FileField(
        _("file"),
        upload_to=meeting_document_path,
        max_length=255,
        validators=[validate_document_extension, validate_document_size],
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meeting_documents",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = PlausibleDateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "uploaded_at", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:document_download", kwargs={"pk": self.meeting_id, "doc_pk": self.pk})

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]

    @property
    def extension(self) -> str:
        return self.filename.rsplit(".", 1)[-1].upper() if "." in self.filename else ""
