"""Candidates: SME leaders who applied (or were imported) to join a cohort of a chapter."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from groups.enums import (
    CandidateSource,
    CandidateState,
)
from groups.models.network import Chapter, Membership
from groups.roles import roles_for
from members import naf
from members.enums import SizeBand
from members.fields import NafCodeField, SiretField
from members.validators import validate_postcode
from plato.dates import PlausibleDateTimeField


class CandidateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A chapter's coordinators see its candidates; admins see all; nobody else."""
        roles = roles_for(user)
        if roles.is_admin:
            return self
        return self.filter(chapter_id__in=roles.coordinator_chapter_ids)


MOTIVATION_MAX_LENGTH = 2000
DECLINE_REASON_MAX_LENGTH = 1000


class Candidate(models.Model):
    """An SME leader who applied (or was imported) to join a cohort of a chapter.

    new → qualified → placed (a membership), or declined with a reason. The company
    and the person are created only when the candidate is placed.
    """

    chapter = models.ForeignKey(
        Chapter, on_delete=models.PROTECT, related_name="candidates", verbose_name=_("chapter")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=CandidateState.choices, default=CandidateState.NEW
    )
    source = models.CharField(_("source"), max_length=10, choices=CandidateSource.choices)
    company_name = models.CharField(_("company name"), max_length=150)
    siret = SiretField(_("SIRET"), help_text=_("14 digits, on the Kbis or the INSEE notice."))
    naf_code = NafCodeField(_("NAF/APE code"), help_text=_("As on the Kbis or INSEE notice, e.g. 62.01Z."))
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand.choices, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, validators=[validate_postcode])
    town = models.CharField(_("town"), max_length=100)
    first_name = models.CharField(_("leader's first name"), max_length=150)
    last_name = models.CharField(_("leader's last name"), max_length=150)
    email = models.EmailField(_("leader's e-mail"))
    phone = models.CharField(_("leader's phone"), max_length=20, blank=True)
    # Free text is capped in the form, the model and the database (the public form is
    # anyone's: no megabyte of text into the coordinator's pages).
    motivation = models.TextField(
        _("motivation"),
        blank=True,
        max_length=MOTIVATION_MAX_LENGTH,
        validators=[MaxLengthValidator(MOTIVATION_MAX_LENGTH)],
    )
    decline_reason = models.TextField(
        _("reason for declining"),
        blank=True,
        max_length=DECLINE_REASON_MAX_LENGTH,
        validators=[MaxLengthValidator(DECLINE_REASON_MAX_LENGTH)],
    )
    # The public form answers every visitor the same, so that nobody learns from it who is
    # a member or already applying; what the new application repeats is kept here for the
    # coordinator instead: the application still under way, or the member's place.
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of the application"),
    )
    duplicate_of_membership = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("duplicate of the member's place"),
    )
    membership = models.OneToOneField(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidate",
        verbose_name=_("place"),
    )
    created_at = PlausibleDateTimeField(_("received on"), auto_now_add=True)
    updated_at = PlausibleDateTimeField(auto_now=True)
    # When the acknowledgement e-mail of an application from the form left (stamped in the
    # transaction that sent it: groups.services.candidates.acknowledge_application).
    acknowledged_at = PlausibleDateTimeField(null=True, blank=True, editable=False)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            # A duplicate from the public form is kept beside the application it repeats.
            models.UniqueConstraint(
                fields=["chapter", "siret"],
                condition=Q(state__in=["new", "qualified"], duplicate_of__isnull=True),
                name="candidate_one_open_application_per_siret",
                violation_error_message=_(
                    "This company already has an application under way in this chapter."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(decline_reason=""),
                name="candidate_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("motivation"), MOTIVATION_MAX_LENGTH),
                name="candidate_motivation_capped",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("decline_reason"), DECLINE_REASON_MAX_LENGTH),
                name="candidate_decline_reason_capped",
            ),
        ]
        indexes = [models.Index(fields=["chapter", "state"])]

    def __str__(self) -> str:
        return self.company_name

    def get_absolute_url(self) -> str:
        return reverse("groups:candidate_detail", kwargs={"pk": self.pk})

    @property
    def leader_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_duplicate(self) -> bool:
        return self.duplicate_of_id is not None or self.duplicate_of_membership_id is not None

    @property
    def naf(self) -> naf.NafEntry | None:
        return naf.lookup(self.naf_code)
