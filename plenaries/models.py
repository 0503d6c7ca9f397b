"""Plenaries, their program, the local networks that present there, and registrations.

A plenary is departmental (one chapter) or regional (every chapter of a region). One
chapter organises it (`organiser`: a departmental plenary's own chapter); its
coordinators run the plenary itself, other chapters' coordinators their own people's
registrations (plenaries/permissions.py). Its places are held by `Registration` rows in the states `registered` and `offered` (a
place offered from the waiting list, held while the person confirms); `waiting` rows
form the first-come queue, ordered by `queued_at`. Every change to a plenary's
registrations runs under a lock on the plenary's row (`services._locked`), so two
cancellations and a registration arriving at once are serialised: no place is given
twice and nobody is skipped. One row per person and plenary (unique), so answering
twice changes nothing.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from groups.roles import roles_for
from plato.dates import PlausibleDateTimeField
from plato.outbox import OutboxMessage
from plenaries.enums import (
    Attendee,
    PlenaryNotificationKind,
    PlenaryScope,
    PlenaryState,
    ProgramKind,
    RegistrationState,
)


class LocalNetworkQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Admins see every network; CCI staff, members, sponsors and alumni those of their
        chapters (the directory is what a chapter offers its people after Plato)."""
        from groups.models import Chapter

        roles = roles_for(user)
        if roles.is_admin:
            return self
        return self.filter(
            Q(chapter_id__in=roles.staff_chapter_ids)
            | Q(chapter_id__in=Chapter.objects.filter(cohorts__id__in=roles.cohort_ids).values("id"))
        )

    def listed_for(self, user):
        """What the directory shows: listed networks, and for the chapter's coordinators
        (and admins) the unlisted ones too, so that they can list them again."""
        roles = roles_for(user)
        networks = self.visible_to(user)
        if roles.is_admin:
            return networks
        return networks.filter(Q(is_listed=True) | Q(chapter_id__in=roles.coordinator_chapter_ids))

    def with_presentations(self):
        """Each network with its chapter and the plenaries where it presented (or will)."""
        return self.select_related("chapter").prefetch_related(
            models.Prefetch(
                "presentations",
                queryset=ProgramItem.objects.select_related("plenary").order_by(
                    "-plenary__starts_at", "starts_at"
                ),
            )
        )


class LocalNetwork(models.Model):
    """A local business network (BNI, CJD, a business club…) that Plato's people may join."""

    chapter = models.ForeignKey(
        "groups.Chapter", on_delete=models.PROTECT, related_name="local_networks", verbose_name=_("chapter")
    )
    name = models.CharField(_("name"), max_length=150)
    purpose = models.TextField(_("what it is for"))
    audience = models.TextField(_("who it suits"), blank=True)
    contact_name = models.CharField(_("contact"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_listed = models.BooleanField(
        _("listed in the directory"),
        default=True,
        help_text=_("Untick to hide a network that no longer runs."),
    )
    created_at = PlausibleDateTimeField(auto_now_add=True)
    updated_at = PlausibleDateTimeField(auto_now=True)

    objects = LocalNetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("local network")
        verbose_name_plural = _("local networks")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["chapter", "name"], name="local_network_unique_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plenaries:network_detail", kwargs={"pk": self.pk})


class PlenaryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Admins see every plenary. Others see the departmental plenaries of their chapters
        (as staff, or through a cohort they are, were or sponsor in) and the regional
        plenaries of those chapters' regions."""
        from groups.models import Chapter

        roles = roles_for(user)
        if roles.is_admin:
            return self
        chapters = Chapter.objects.filter(
            Q(id__in=roles.staff_chapter_ids) | Q(cohorts__id__in=roles.cohort_ids)
        ).values("id")
        regions = Chapter.objects.filter(id__in=chapters).values("region_id")
        return self.filter(
            Q(scope=PlenaryScope.DEPARTMENTAL, chapter_id__in=chapters)
            | Q(scope=PlenaryScope.REGIONAL, region_id__in=regions)
        )

    def upcoming(self):
        """Plenaries not over nor cancelled, the nearest first."""
        from django.utils import timezone

        return self.filter(state=PlenaryState.PLANNED, ends_at__gt=timezone.now()).order_by("starts_at")

    def with_registration_of(self, user):
        """Each plenary with `mine`: the user's own registration in a list (empty or one)."""
        return self.prefetch_related(
            models.Prefetch(
                "registrations", queryset=Registration.objects.filter(person=user), to_attr="mine"
            )
        )


class Plenary(models.Model):
    """The yearly gathering of a chapter's groups (departmental) or a region's (regional)."""

    scope = models.CharField(_("scope"), max_length=15, choices=PlenaryScope.choices)
    region = models.ForeignKey(
        "groups.Region", on_delete=models.PROTECT, related_name="plenaries", verbose_name=_("region")
    )
    # Set for a departmental plenary only; a regional one belongs to the whole region.
    chapter = models.ForeignKey(
        "groups.Chapter",
        on_delete=models.PROTECT,
        related_name="plenaries",
        null=True,
        blank=True,
        verbose_name=_("chapter"),
    )
    # The chapter whose coordinators run the plenary (program, capacity, door, exports of
    # everyone): a departmental plenary's own chapter; for a regional one, the chapter of
    # the region that organises it. Empty only for a regional plenary planned before the
    # rule: admins manage it until one of them names the organiser.
    organiser = models.ForeignKey(
        "groups.Chapter",
        on_delete=models.PROTECT,
        related_name="organised_plenaries",
        null=True,
        blank=True,
        verbose_name=_("organising chapter"),
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    starts_at = PlausibleDateTimeField(_("starts at"))
    ends_at = PlausibleDateTimeField(_("ends at"))
    state = models.CharField(
        _("state"), max_length=10, choices=PlenaryState.choices, default=PlenaryState.PLANNED
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    venue_name = models.CharField(_("place"), max_length=150)
    venue_address = models.CharField(_("address"), max_length=255, blank=True)
    venue_postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    venue_town = models.CharField(_("town"), max_length=100, blank=True)

    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    registration_opens_at = PlausibleDateTimeField(_("registration opens at"))
    registration_closes_at = PlausibleDateTimeField(_("registration deadline"))
    plus_one_allowed = models.BooleanField(
        _("guests allowed"), default=False, help_text=_("Each person may bring one guest, who takes a place.")
    )
    confirmation_hours = models.PositiveSmallIntegerField(
        _("hours to confirm a place offered"),
        default=48,
        validators=[MinValueValidator(1)],
        help_text=_(
            "A person promoted from the waiting list has this long to confirm before the place passes on."
        ),
    )

    # Calendar events keep their UID for ever and raise SEQUENCE at each change (RFC 5545).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = PlausibleDateTimeField(auto_now_add=True)
    updated_at = PlausibleDateTimeField(auto_now=True)

    objects = PlenaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("plenary")
        verbose_name_plural = _("plenaries")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(scope=PlenaryScope.DEPARTMENTAL, chapter__isnull=False))
                | Q(scope=PlenaryScope.REGIONAL, chapter__isnull=True),
                name="plenary_scope_matches_chapter",
            ),
            models.CheckConstraint(
                condition=Q(scope=PlenaryScope.REGIONAL) | Q(organiser__isnull=False, organiser=F("chapter")),
                name="plenary_departmental_organised_by_its_chapter",
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="plenary_ends_after_start"),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=F("registration_opens_at"))
                & Q(registration_closes_at__lte=F("starts_at")),
                name="plenary_registration_window",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="plenary_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # A departmental plenary is always organised by its own chapter.
        if self.scope == PlenaryScope.DEPARTMENTAL and self.chapter_id:
            self.organiser_id = self.chapter_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("plenaries:plenary_detail", kwargs={"pk": self.pk})

    @property
    def is_regional(self) -> bool:
        return self.scope == PlenaryScope.REGIONAL

    @property
    def is_cancelled(self) -> bool:
        return self.state == PlenaryState.CANCELLED

    def clean(self) -> None:
        errors = {}
        if self.organiser_id and self.organiser.region_id != self.region_id:
            errors["organiser"] = _("The organising chapter must belong to the plenary's region.")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The plenary must end after it starts.")
        if self.registration_opens_at and self.registration_closes_at:
            if self.registration_closes_at <= self.registration_opens_at:
                errors["registration_closes_at"] = _("The deadline must come after registration opens.")
            elif self.starts_at and self.registration_closes_at > self.starts_at:
                errors["registration_closes_at"] = _("The deadline cannot be after the plenary starts.")
        if errors:
            raise ValidationError(errors)


class ProgramItem(models.Model):
    """One slot of a plenary's program: a talk, a group exchange, a network's presentation."""

    plenary = models.ForeignKey(Plenary, on_delete=models.CASCADE, related_name="program")
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("to"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ProgramKind.choices, default=ProgramKind.TALK)
    title = models.CharField(_("title"), max_length=200)
    speakers = models.CharField(_("speakers"), max_length=255, blank=True)
    network = models.ForeignKey(
        LocalNetwork,
        on_delete=models.PROTECT,
        related_name="presentations",
        null=True,
        blank=True,
        verbose_name=_("local network"),
    )

    class Meta:
        verbose_name = _("program item")
        verbose_name_plural = _("program")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="program_item_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ProgramKind.NETWORK) | Q(network__isnull=False),
                name="program_item_network_presentation_names_network",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CohortQuota(models.Model):
    """At most `places` places for the people of one cohort (guests included)."""

    plenary = models.ForeignKey(Plenary, on_delete=models.CASCADE, related_name="quotas")
    cohort = models.ForeignKey(
        "groups.Cohort", on_delete=models.CASCADE, related_name="plenary_quotas", verbose_name=_("cohort")
    )
    places = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("cohort quota")
        verbose_name_plural = _("cohort quotas")
        constraints = [
            models.UniqueConstraint(fields=["plenary", "cohort"], name="cohort_quota_once"),
            models.CheckConstraint(condition=Q(places__gte=1), name="cohort_quota_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.cohort} — {self.places}"


class Registration(models.Model):
    """One person's answer to one plenary, from registration to the door."""

    plenary = models.ForeignKey(Plenary, on_delete=models.PROTECT, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plenary_registrations"
    )
    attendee = models.CharField(_("comes as"), max_length=12, choices=Attendee.choices)
    # The chapter the person comes from (their cohort's, or the one they facilitate in): a
    # regional plenary's other chapters manage their own people's registrations by it.
    chapter = models.ForeignKey(
        "groups.Chapter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chapter"),
    )
    # The cohort that made the person eligible (none for a facilitator): quotas count by it.
    cohort = models.ForeignKey(
        "groups.Cohort",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cohort"),
    )
    state = models.CharField(_("state"), max_length=10, choices=RegistrationState.choices)
    plus_one = models.BooleanField(_("with a guest"), default=False)
    plus_one_name = models.CharField(_("guest's name"), max_length=150, blank=True)

    # First come, first served: the time the person (re)entered the queue.
    queued_at = PlausibleDateTimeField(_("registered at"))
    offered_at = PlausibleDateTimeField(_("place offered at"), null=True, blank=True)
    offer_expires_at = PlausibleDateTimeField(_("offer expires at"), null=True, blank=True)
    offers = models.PositiveSmallIntegerField(default=0, editable=False)
    cancelled_at = PlausibleDateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = PlausibleDateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = PlausibleDateTimeField(auto_now_add=True)
    updated_at = PlausibleDateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plenary", "person"], name="registration_once"),
            models.CheckConstraint(
                condition=~Q(state=RegistrationState.OFFERED) | Q(offer_expires_at__isnull=False),
                name="registration_offer_has_deadline",
            ),
        ]
        indexes = [models.Index(fields=["plenary", "state", "queued_at"], name="registration_queue")]

    def __str__(self) -> str:
        return f"{self.person} — {self.plenary}"

    @property
    def places(self) -> int:
        return 2 if self.plus_one else 1


class PlenaryNotification(OutboxMessage):
    """One e-mail about a plenary to one person: the record that lets each go at most once.

    Unique per kind, plenary, person and revision: the revision is the plenary's SEQUENCE
    for a date reminder or a cancellation, and the registration's offer count for a
    place offered from the waiting list (a person may be offered a place twice)."""

    kind = models.CharField(_("kind"), max_length=12, choices=PlenaryNotificationKind.choices)
    plenary = models.ForeignKey(Plenary, on_delete=models.CASCADE, related_name="notifications")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plenary_notifications"
    )
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("plenary notification")
        verbose_name_plural = _("plenary notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "plenary", "person", "revision"], name="plenary_notification_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(sent_at__isnull=True), name="plenary_notification_unsent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.person}"
