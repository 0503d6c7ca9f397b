from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    ROSTER = "roster", _("List of members (PDF)")


class ExportState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("In progress")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
