"""People and companies.

A person is a user who signs in with their e-mail. A company is identified by its
SIRET (the SIREN is its first 9 digits) and its activity by its NAF/APE code.
"""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from members import naf
from members.enums import SizeBand
from members.fields import NafCodeField, SiretField, VatNumberField
from members.validators import validate_postcode, validate_vat_matches_siret
from plato.dates import PlausibleDateTimeField


def _is_admin(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active and user.is_superuser


def _staffed_chapters(user):
    """The chapters where the user is CCI staff (coordinator or facilitator), as a subquery.

    Staff roles are groups' rows (ChapterRole), which members may not import: they are
    reached by the relation name groups gives them on the user. (groups.roles.roles_for
    reads the same rows, for the apps above members.)
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    return user.chapter_roles.values("chapter_id")


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """People a user may see in the people pages: a chapter's staff see its people."""
        if _is_admin(user):
            return self
        chapters = _staffed_chapters(user)
        return self.filter(Q(chapter_id__in=chapters) | Q(company__chapter_id__in=chapters))


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person: CCI staff, SME leader, sponsor. Signs in with their e-mail address.

    Roles are not stored here but derived (groups.roles): admin is `is_superuser`,
    coordinator and facilitator come from ChapterRole, member, sponsor and alumni
    from cohort memberships and sponsorships.
    """

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    # AbstractUser's own two dates, under the app's rule for dates.
    last_login = PlausibleDateTimeField(_("last login"), blank=True, null=True)
    date_joined = PlausibleDateTimeField(_("date joined"), default=timezone.now)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    company = models.ForeignKey(
        "members.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("company"),
        help_text=_("The company this person leads or works for."),
    )
    chapter = models.ForeignKey(
        "groups.Chapter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("chapter"),
    )

    # What the cohort directory may show besides name, company and activity: each
    # member decides, and nothing is shared until they say so.
    share_email = models.BooleanField(_("show my e-mail address to my cohort"), default=False)
    share_phone = models.BooleanField(_("show my phone number to my cohort"), default=False)
    share_job_title = models.BooleanField(_("show my job title to my cohort"), default=True)
    # Part of every session's authentication hash: changing it ends the person's other
    # sessions (as a new password does), e.g. when a second factor is added or removed.
    session_stamp = models.CharField(max_length=32, blank=True, default="", editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_case_insensitive_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_absolute_url(self) -> str:
        return reverse("members:person_detail", kwargs={"pk": self.pk})

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)

    def _get_session_auth_hash(self, secret=None):
        if not self.session_stamp:  # as Django's own, so that existing sessions stay valid
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "members.User.session_auth_hash",
            f"{self.password}:{self.session_stamp}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class CompanyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Companies a user may see: admins all, a chapter's staff its companies, others their own."""
        if _is_admin(user):
            return self
        return self.filter(Q(chapter_id__in=_staffed_chapters(user)) | Q(people=user)).distinct()


class Company(models.Model):
    """A company (an establishment, by SIRET) in a chapter's network."""

    chapter = models.ForeignKey(
        "groups.Chapter", on_delete=models.PROTECT, related_name="companies", verbose_name=_("chapter")
    )
    name = models.CharField(_("company name"), max_length=150)
    siret = SiretField(_("SIRET"), help_text=_("14 digits, e.g. 552 100 554 00013."))
    naf_code = NafCodeField(_("NAF/APE code"), help_text=_("As on the Kbis or INSEE notice, e.g. 62.01Z."))
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand.choices, blank=True)
    vat_number = VatNumberField(_("VAT number"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    postcode = models.CharField(
        _("postcode"),
        max_length=5,
        validators=[validate_postcode],
    )
    town = models.CharField(_("town"), max_length=100)
    website = models.URLField(_("website"), blank=True)
    created_at = PlausibleDateTimeField(auto_now_add=True)
    updated_at = PlausibleDateTimeField(auto_now=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        constraints = [
            models.UniqueConstraint(
                fields=["chapter", "siret"],
                name="company_unique_siret_per_chapter",
                violation_error_message=_("A company with this SIRET is already in this chapter."),
            ),
        ]
        indexes = [models.Index(fields=["naf_code"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:company_detail", kwargs={"pk": self.pk})

    @property
    def siren(self) -> str:
        return self.siret[:9]

    def clean(self) -> None:
        try:
            validate_vat_matches_siret(self.vat_number, self.siret)
        except ValidationError as error:
            raise ValidationError({"vat_number": error}) from None

    @property
    def naf(self) -> naf.NafEntry | None:
        return naf.lookup(self.naf_code)


class CalendarFeed(models.Model):
    """A person's private calendar feed: whoever holds the token reads their meetings.

    The token is the only credential (calendar apps cannot sign in), so it is long,
    random, unique, and replaced at once when the person renews it
    (members.services.renew_calendar_feed).
    """

    user = models.OneToOneField(
        "members.User", on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("person")
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = PlausibleDateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("meetings:calendar_feed", kwargs={"token": self.token})
