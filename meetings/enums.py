from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MeetingState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class VenueKind(models.TextChoices):
    CCI = "cci", _("A room of the CCI")
    MEMBER = "member", _("A member's premises")
    OTHER = "other", _("Elsewhere")


class TopicState(models.TextChoices):
    OPEN = "open", _("In the backlog")
    SCHEDULED = "scheduled", _("On an agenda")
    DONE = "done", _("Treated")
    WITHDRAWN = "withdrawn", pgettext_lazy("a topic", "Withdrawn")


class RsvpAnswer(models.TextChoices):
    YES = "yes", _("I will come")
    NO = "no", _("I cannot come")


class RsvpChannel(models.TextChoices):
    APP = "app", _("In the app")
    EMAIL = "email", _("From the e-mail")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


# The themes a chapter starts with (data, in the chapter's language: coordinators rename
# them or add their own, and members read them as written).
DEFAULT_THEMES = [
    "Finance",
    "Numérique",
    "Commercial et marketing",
    "Ressources humaines",
    "Juridique",
    "Stratégie",
    "Production et achats",
    "Stress et équilibre",
]


class NotificationKind(models.TextChoices):
    """The e-mails meetings send: reminders planned by Celery beat, notices sent on a change."""

    MEETING_WEEK = "meeting_week", _("Meeting in a week")
    MEETING_EVE = "meeting_eve", _("Meeting tomorrow")
    VOTE_OPEN = "vote_open", _("Vote open")
    VOTE_CLOSING = "vote_closing", _("Vote closing soon")
    RSVP_REQUEST = "rsvp_request", _("Will you come?")
    MEETING_ADDED = "added", _("Meeting added")
    MEETING_MOVED = "moved", _("Meeting moved")
    MEETING_CANCELLED = "cancelled", _("Meeting cancelled")
    URGENT_TOPIC = "urgent", _("Urgent topic")
    ABSENCE_ALERT = "absence", _("Absence alert")
