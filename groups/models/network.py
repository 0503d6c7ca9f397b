"""Regions, chapters and the people who run them; cohorts and who belongs to them.

A region holds chapters (one CCI's Plato antenna each); a chapter's settings drive
fees, invoices, meetings and the competitor rule. Cohorts, memberships and
sponsorships are the ground of the member, sponsor and alumni roles; declared conflicts
and overrides are the competitor rule's records.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from groups.enums import (
    CohortState,
    CompetitorGranularity,
    ConflictSource,
    MembershipState,
    StaffRole,
    Weekday,
)
from groups.regions import DEPARTMENT_CHOICES, REGION_2016_CHOICES, region_name, region_of_department
from groups.roles import roles_for
from members.fields import SiretField, VatNumberField
from members.validators import validate_vat_matches_siret
from plato.dates import PlausibleDateField, PlausibleDateTimeField


class Region(models.Model):
    code = models.CharField(_("region"), max_length=2, choices=REGION_2016_CHOICES, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return region_name(self.code)

    @property
    def name(self) -> str:
        return region_name(self.code)


class ChapterQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Chapters a user may see: all for admins, their own for CCI staff, none otherwise."""
        roles = roles_for(user)
        if roles.is_admin:
            return self
        return self.filter(id__in=roles.staff_chapter_ids)

    def coordinated_by(self, user):
        """The chapters a user coordinates (every one for admins): where they create
        companies, people, cohorts, plenaries and local networks."""
        roles = roles_for(user)
        if roles.is_admin:
            return self
        return self.filter(id__in=roles.coordinator_chapter_ids)


def _default_months_off() -> list[int]:
    return [8]


class Chapter(models.Model):
    """One CCI's Plato antenna, e.g. Plato 56 — CCI du Morbihan, with its own rules."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="chapters", verbose_name=_("region")
    )
    code = models.SlugField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("Short code used in addresses and exports, e.g. 56."),
    )
    name = models.CharField(_("name"), max_length=150, help_text=_("e.g. Plato 56 — CCI du Morbihan"))
    cci_name = models.CharField(_("CCI"), max_length=150, help_text=_("e.g. CCI du Morbihan"))
    department = models.CharField(_("department"), max_length=3, choices=DEPARTMENT_CHOICES)

    # Programme and fee
    fee = models.DecimalField(
        _("programme fee (excl. VAT)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("1900.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    programme_commitment = models.TextField(
        _("programme commitment"),
        blank=True,
        help_text=_(
            "What the fee covers, e.g. 16 half-day meetings, 2 departmental and 2 regional plenaries."
        ),
    )
    vat_rate = models.DecimalField(
        _("VAT rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=[MinValueValidator(Decimal("0.00")), MaxValueValidator(Decimal("100.00"))],
    )
    vat_exemption_text = models.CharField(
        _("VAT exemption wording"),
        max_length=255,
        blank=True,
        help_text=_("Required when the VAT rate is 0, e.g. “TVA non applicable, article 261-4-4° a du CGI”."),
    )

    # Invoice issuer identity
    issuer_legal_name = models.CharField(_("legal name"), max_length=150, blank=True)
    issuer_address = models.CharField(_("address"), max_length=255, blank=True)
    issuer_postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    issuer_town = models.CharField(_("town"), max_length=100, blank=True)
    issuer_siret = SiretField(_("SIRET"), blank=True)
    issuer_vat_number = VatNumberField(_("VAT number"), blank=True)
    issuer_iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    issuer_bic = models.CharField(_("BIC"), max_length=11, blank=True)
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), default=30, validators=[MaxValueValidator(60)]
    )
    instalments = models.PositiveSmallIntegerField(
        _("payment in instalments"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("1: paid at once. 2 to 4: equal instalments spread over the programme's first year."),
    )
    late_penalty_rate = models.CharField(
        _("late-payment penalty rate"),
        max_length=255,
        default="trois fois le taux d'intérêt légal",
    )
    early_payment_discount = models.CharField(
        _("early-payment discount"), max_length=255, default="Pas d'escompte pour paiement anticipé."
    )
    invoice_prefix = models.CharField(
        _("invoice number prefix"), max_length=10, help_text=_("e.g. P56, for numbers like P56-2026-00001.")
    )

    # Meetings
    meeting_weekday = models.PositiveSmallIntegerField(
        _("meeting weekday"), choices=Weekday.choices, default=Weekday.TUESDAY
    )
    meeting_start_time = models.TimeField(_("meetings start at"), default="08:30")
    meeting_end_time = models.TimeField(_("meetings end at"), default="12:00")
    months_off = models.JSONField(_("months without meetings"), default=_default_months_off, blank=True)
    vote_close_days = models.PositiveSmallIntegerField(
        _("votes close (days before the meeting)"), default=10, validators=[MaxValueValidator(28)]
    )
    votes_per_member = models.PositiveSmallIntegerField(
        _("votes per member"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    absence_limit = models.PositiveSmallIntegerField(
        _("absences before an alert"), default=3, validators=[MinValueValidator(1)]
    )
    absence_window_months = models.PositiveSmallIntegerField(
        _("over a rolling window of (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )

    # Cohorts
    group_min_size = models.PositiveSmallIntegerField(
        _("minimum group size"), default=10, validators=[MinValueValidator(2)]
    )
    group_max_size = models.PositiveSmallIntegerField(
        _("maximum group size"), default=12, validators=[MaxValueValidator(30)]
    )
    competitor_granularity = models.CharField(
        _("competitors share the same"),
        max_length=10,
        choices=CompetitorGranularity.choices,
        default=CompetitorGranularity.CLASS,
    )

    created_at = PlausibleDateTimeField(auto_now_add=True)
    updated_at = PlausibleDateTimeField(auto_now=True)

    objects = ChapterQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        constraints = [
            models.CheckConstraint(
                condition=Q(group_min_size__lte=models.F("group_max_size")),
                name="chapter_group_size_bounds",
                violation_error_message=_("The minimum group size cannot exceed the maximum."),
            ),
            models.CheckConstraint(
                condition=Q(vat_rate__gte=0, vat_rate__lte=100),
                name="chapter_vat_rate_range",
                violation_error_message=_("The VAT rate is a percentage between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(vat_rate__gt=0) | ~Q(vat_exemption_text=""),
                name="chapter_vat_or_exemption",
                violation_error_message=_("A chapter that charges no VAT must state the exemption wording."),
            ),
            models.CheckConstraint(
                condition=Q(meeting_start_time__lt=models.F("meeting_end_time")),
                name="chapter_meeting_hours_order",
                violation_error_message=_("Meetings must end after they start."),
            ),
            models.UniqueConstraint(fields=["invoice_prefix"], name="chapter_unique_invoice_prefix"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:chapter_detail", kwargs={"code": self.code})

    @property
    def is_vat_exempt(self) -> bool:
        return self.vat_rate == 0

    def clean(self) -> None:
        errors = {}
        if self.department and self.region_id:
            expected = region_of_department(self.department)
            if expected != self.region.code:
                errors["department"] = _("Department %(department)s is not in the region %(region)s.") % {
                    "department": self.department,
                    "region": self.region.name,
                }
        try:
            validate_vat_matches_siret(self.issuer_vat_number, self.issuer_siret)
        except ValidationError as error:
            errors["issuer_vat_number"] = error
        months = self.months_off or []
        if not isinstance(months, list) or any(
            not isinstance(month, int) or not 1 <= month <= 12 for month in months
        ):
            errors["months_off"] = _("Months without meetings are month numbers from 1 to 12.")
        elif len(set(months)) >= 12:
            errors["months_off"] = _("At least one month of the year must have meetings.")
        if errors:
            raise ValidationError(errors)


class ChapterRole(models.Model):
    """A CCI staff member's role in a chapter: coordinator or facilitator."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="chapter_roles",
        verbose_name=_("person"),
    )
    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="staff_roles", verbose_name=_("chapter")
    )
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)
    created_at = PlausibleDateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chapter role")
        verbose_name_plural = _("chapter roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "chapter", "role"], name="chapter_role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.chapter}"


class CohortQuerySet(models.QuerySet):
    def visible_to(self, user):
        roles = roles_for(user)
        if roles.is_admin:
            return self
        return self.filter(Q(chapter_id__in=roles.staff_chapter_ids) | Q(id__in=roles.cohort_ids)).distinct()


class Cohort(models.Model):
    """A Plato group: 10–12 SME leaders, never two competitors, for two years."""

    chapter = models.ForeignKey(
        Chapter, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("chapter")
    )
    name = models.CharField(_("name"), max_length=100)
    start_date = PlausibleDateField(_("start date"), null=True, blank=True)
    end_date = PlausibleDateField(_("end date"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=CohortState.choices, default=CohortState.FORMING
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_cohorts",
        verbose_name=_("facilitators"),
    )
    created_at = PlausibleDateTimeField(auto_now_add=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["chapter", "-start_date", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.UniqueConstraint(fields=["chapter", "name"], name="cohort_unique_name_per_chapter"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=False, end_date__gt=models.F("start_date")),
                name="cohort_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:cohort_detail", kwargs={"pk": self.pk})

    @property
    def min_size(self) -> int:
        return self.chapter.group_min_size

    @property
    def max_size(self) -> int:
        return self.chapter.group_max_size

    @property
    def is_closed(self) -> bool:
        return self.state == CohortState.CLOSED


class Membership(models.Model):
    """A company's leader holding a place in a cohort."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    company = models.ForeignKey("members.Company", on_delete=models.PROTECT, related_name="memberships")
    state = models.CharField(
        _("state"), max_length=10, choices=MembershipState.choices, default=MembershipState.ACTIVE
    )
    joined_on = PlausibleDateField(_("joined on"))
    left_on = PlausibleDateField(_("left on"), null=True, blank=True)
    left_reason = models.TextField(_("reason for leaving"), blank=True)
    created_at = PlausibleDateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cohort", "company__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "company"],
                condition=Q(state="active"),
                name="membership_one_active_place_per_company",
                violation_error_message=_("This company already holds a place in this cohort."),
            ),
            models.CheckConstraint(
                condition=Q(state="active", left_on__isnull=True) | ~Q(state="active"),
                name="membership_active_has_not_left",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.cohort}"


class Sponsorship(models.Model):
    """A volunteer executive sponsoring a cohort (2 or 3 per cohort)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="sponsorships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sponsorships"
    )
    company = models.ForeignKey("members.Company", on_delete=models.PROTECT, related_name="sponsorships")
    started_on = PlausibleDateField(_("since"))
    ended_on = PlausibleDateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("sponsorship")
        verbose_name_plural = _("sponsorships")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "person"],
                condition=Q(ended_on__isnull=True),
                name="sponsorship_unique_current_person_per_cohort",
                violation_error_message=_("This person already sponsors this cohort."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.cohort}"


class DeclaredConflict(models.Model):
    """Two legal entities (by SIREN) that must not sit in the same cohort of a chapter.

    Declared by a coordinator, or by a member about a company; the competitor rule
    reads these next to the NAF codes. The pair is stored in SIREN order.
    """

    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="declared_conflicts", verbose_name=_("chapter")
    )
    siren_a = models.CharField(_("SIREN"), max_length=9)
    name_a = models.CharField(_("company"), max_length=150)
    siren_b = models.CharField(_("SIREN"), max_length=9)
    name_b = models.CharField(_("company"), max_length=150)
    reason = models.TextField(_("reason"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("declared by"),
    )
    declared_as = models.CharField(_("declared as"), max_length=12, choices=ConflictSource.choices)
    created_at = PlausibleDateTimeField(_("declared on"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")
        constraints = [
            models.UniqueConstraint(
                fields=["chapter", "siren_a", "siren_b"],
                name="declared_conflict_unique_pair",
                violation_error_message=_("A conflict between these two companies is already declared."),
            ),
            models.CheckConstraint(
                condition=Q(siren_a__lt=models.F("siren_b")), name="declared_conflict_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_a} ≠ {self.name_b}"


class CompetitorOverride(models.Model):
    """The audit log of the competitor rule: a coordinator let a competitor in, and why.

    Rows are written once, by the service that admitted the member, and never edited.
    """

    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="overrides", verbose_name=_("cohort")
    )
    company = models.ForeignKey(
        "members.Company", on_delete=models.PROTECT, related_name="+", verbose_name=_("company admitted")
    )
    competitor = models.ForeignKey(
        "members.Company",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("competitor already there"),
    )
    conflict = models.TextField(_("conflict"), help_text=_("What the rule said when it refused."))
    justification = models.TextField(_("justification"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    created_at = PlausibleDateTimeField(_("on"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("competitor override")
        verbose_name_plural = _("competitor overrides")

    def __str__(self) -> str:
        return f"{self.company} / {self.competitor} — {self.cohort}"
