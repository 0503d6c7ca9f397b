from django.db import models
from django.utils.translation import gettext_lazy as _


class SizeBand(models.TextChoices):
    """Company size by headcount, the INSEE bands CCIs use (TPE / PME / ETI)."""

    MICRO = "micro", _("1–9 employees (micro-enterprise)")
    SMALL = "small", _("10–49 employees (small enterprise)")
    MEDIUM = "medium", _("50–249 employees (medium enterprise)")
    LARGE = "large", _("250 employees or more (intermediate or large)")
