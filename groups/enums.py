from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StaffRole(models.TextChoices):
    """The CCI staff roles held in one chapter."""

    COORDINATOR = "coordinator", _("Coordinator")
    FACILITATOR = "facilitator", _("Facilitator")


class CompetitorGranularity(models.TextChoices):
    """How close two NAF codes must be for their companies to count as competitors."""

    SUBCLASS = "subclass", _("Same sub-class (e.g. 62.01Z)")
    CLASS = "class", _("Same class (e.g. 62.01)")
    GROUP = "group", _("Same group (e.g. 62.0)")


class Weekday(models.IntegerChoices):
    # A context of their own: a bare "Monday" in our catalogue would override Django's,
    # and every date in the middle of a French sentence would read "le Lundi 7".
    MONDAY = 0, pgettext_lazy("weekday choice", "Monday")
    TUESDAY = 1, pgettext_lazy("weekday choice", "Tuesday")
    WEDNESDAY = 2, pgettext_lazy("weekday choice", "Wednesday")
    THURSDAY = 3, pgettext_lazy("weekday choice", "Thursday")
    FRIDAY = 4, pgettext_lazy("weekday choice", "Friday")


class CohortState(models.TextChoices):
    FORMING = "forming", _("Forming")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class MembershipState(models.TextChoices):
    ACTIVE = "active", _("Active")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ALUMNI = "alumni", _("Alumni")


class CandidateState(models.TextChoices):
    NEW = "new", _("New")
    QUALIFIED = "qualified", _("Qualified")
    PLACED = "placed", _("Placed")
    DECLINED = "declined", _("Declined")


class CandidateSource(models.TextChoices):
    FORM = "form", _("Application form")
    IMPORT = "import", _("CSV import")
    COORDINATOR = "staff", _("Entered by the CCI")


class ConflictSource(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    MEMBER = "member", _("Member")
