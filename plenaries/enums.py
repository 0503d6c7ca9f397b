"""States and kinds of plenaries, their program and registrations."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlenaryScope(models.TextChoices):
    DEPARTMENTAL = "departmental", _("Departmental")
    REGIONAL = "regional", _("Regional")


class PlenaryState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CANCELLED = "cancelled", _("Cancelled")


class ProgramKind(models.TextChoices):
    TALK = "talk", _("Talk")
    EXCHANGE = "exchange", _("Group exchange")
    NETWORK = "network", _("Local network presentation")
    BREAK = "break", _("Break")


class RegistrationState(models.TextChoices):
    """registered and offered hold places; waiting is in the queue; the others do not count."""

    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    OFFERED = "offered", _("Place offered, to confirm")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Offer expired")


HOLDS_PLACE = (RegistrationState.REGISTERED, RegistrationState.OFFERED)
ACTIVE = (RegistrationState.REGISTERED, RegistrationState.OFFERED, RegistrationState.WAITING)


class Attendee(models.TextChoices):
    """Why a person may come to a plenary (the role that let them register)."""

    MEMBER = "member", _("Member")
    SPONSOR = "sponsor", _("Sponsor")
    FACILITATOR = "facilitator", _("Facilitator")
    ALUMNI = "alumni", _("Alumni")


class PlenaryNotificationKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    WEEK = "week", _("Reminder a week before")
    EVE = "eve", _("Reminder the day before")
    CLOSING = "closing", _("Registration closing soon")
    OFFER = "offer", _("Place offered from the waiting list")
    CANCELLED = "cancelled", _("Plenary cancelled")
