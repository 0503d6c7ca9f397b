"""Plenaries: who may come, places, the waiting list, the door.

Every function that changes a plenary's registrations locks the plenary's row first
(`_locked`), then lets lapsed offers go (`_expire_offers`) and fills free places from
the waiting list (`_fill_places`) before it returns. So the places held never exceed
the capacity (nor a cohort's quota), and the queue is served first come, first served:
a waiting person who does not fit the places left (a guest needs a second place, a
cohort is at its quota) keeps their rank, and the next who fits is offered the place.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from groups.models import Cohort
from plenaries import notifications
from plenaries.enums import (
    PlenaryNotificationKind,
    PlenaryState,
    RegistrationState,
)
from plenaries.models import CohortQuota, Plenary, Registration
from plenaries.permissions import can_manage_registrations, manages_chapter, registration_chapter_ids
from plenaries.selectors import concerned_chapters, eligibility, has_registrations, usage

State = RegistrationState


# --- Places -----------------------------------------------------------------------------------


def _locked(plenary: Plenary) -> Plenary:
    """The plenary's row locked until the transaction ends: every change to its places is
    serialised (PostgreSQL: SELECT … FOR UPDATE; SQLite: the write lock BEGIN IMMEDIATE takes)."""
    return Plenary.objects.select_for_update().get(pk=plenary.pk)


def _offer_deadline(plenary: Plenary, now: datetime.datetime) -> datetime.datetime:
    return min(now + datetime.timedelta(hours=plenary.confirmation_hours), plenary.starts_at)


def _fill_places(plenary: Plenary, now: datetime.datetime) -> list[Registration]:
    """Offer the free places to the waiting list, first come first served (plenary locked)."""
    if plenary.state != PlenaryState.PLANNED or now >= plenary.starts_at:
        return []
    current = usage(plenary)
    if current.free == 0:
        return []
    offered = []
    for registration in (
        Registration.objects.filter(plenary=plenary, state=State.WAITING)
        .select_related("person")
        .order_by("queued_at", "pk")
    ):
        if current.free == 0:
            break
        if not current.fits(registration):
            continue  # keeps their rank for a place that suits them
        if eligibility(plenary, registration.person) is None:
            # Withdrawn or no longer a sponsor since joining the queue: no longer invited.
            registration.state = State.CANCELLED
            registration.cancelled_at = now
            registration.save(update_fields=["state", "cancelled_at", "updated_at"])
            continue
        registration.state = State.OFFERED
        registration.offered_at = now
        registration.offer_expires_at = _offer_deadline(plenary, now)
        registration.offers += 1
        registration.save(update_fields=["state", "offered_at", "offer_expires_at", "offers", "updated_at"])
        current.take(registration)
        offered.append(registration)
        notifications.notify(
            plenary, PlenaryNotificationKind.OFFER, [registration.person_id], revision=registration.offers
        )
    return offered


def _expire_offers(plenary: Plenary, now: datetime.datetime) -> int:
    """Offers not confirmed in time lapse (plenary locked); the places pass on."""
    return Registration.objects.filter(
        plenary=plenary, state=State.OFFERED, offer_expires_at__lte=now
    ).update(state=State.EXPIRED, updated_at=now)


def _settle(plenary: Plenary, now: datetime.datetime) -> None:
    _expire_offers(plenary, now)
    _fill_places(plenary, now)


def expire_offers(now: datetime.datetime | None = None) -> int:
    """Run by Celery beat: lapse the offers past their deadline and pass the places on.
    Returns the number of offers that lapsed. Each plenary in its own transaction."""
    now = now or timezone.now()
    lapsed = 0
    plenary_ids = (
        Registration.objects.filter(state=State.OFFERED, offer_expires_at__lte=now)
        .values_list("plenary_id", flat=True)
        .distinct()
    )
    for plenary_id in list(plenary_ids):
        with transaction.atomic():
            plenary = Plenary.objects.select_for_update().get(pk=plenary_id)
            lapsed += _expire_offers(plenary, now)
            _fill_places(plenary, now)
    return lapsed


# --- Registering, confirming, cancelling ------------------------------------------------------


def _when(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _check_open(plenary: Plenary, now: datetime.datetime, *, by_staff: bool) -> None:
    if plenary.state == PlenaryState.CANCELLED:
        raise ValidationError(_("This plenary is cancelled."))
    if now >= plenary.starts_at:
        raise ValidationError(_("This plenary has already started: registrations are closed."))
    if by_staff:
        return  # the chapter's coordinators may still add someone after the deadline
    if now < plenary.registration_opens_at:
        raise ValidationError(
            _("Registration opens on %(date)s.") % {"date": _when(plenary.registration_opens_at)}
        )
    if now >= plenary.registration_closes_at:
        raise ValidationError(
            _("Registration closed on %(date)s.") % {"date": _when(plenary.registration_closes_at)}
        )


@transaction.atomic
def register(
    plenary: Plenary,
    person,
    *,
    actor,
    plus_one: bool = False,
    plus_one_name: str = "",
    now: datetime.datetime | None = None,
) -> Registration:
    """Register `person` (themself, or by a coordinator who manages the plenary): a place if
    one is free for them, otherwise the end of the waiting list. Answering again while
    registered, offered or waiting changes nothing and returns the same row; after a
    cancellation or a lapsed offer, the person goes to the end of the queue again."""
    by_staff = actor.pk != person.pk
    if by_staff and not can_manage_registrations(actor, plenary):
        raise ValidationError(_("Only the plenary's coordinators can register someone else."))
    plenary = _locked(plenary)
    now = now or timezone.now()  # read under the lock: the queue's order is the order served
    _check_open(plenary, now, by_staff=by_staff)
    why = eligibility(plenary, person)
    if why is None:
        raise ValidationError(
            _("%(name)s is not among the people invited to this plenary.")
            % {"name": person.get_full_name() or person.email}
        )
    if by_staff and not manages_chapter(registration_chapter_ids(actor, plenary), why.chapter_id):
        # Another chapter of the region registers its own people; the organiser, everyone.
        raise ValidationError(_("You can register the people of your own chapter only."))
    if plus_one and not plenary.plus_one_allowed:
        raise ValidationError(_("This plenary does not take guests."))
    if plus_one:
        # Two places that can never fit would keep the person waiting for ever.
        quota = CohortQuota.objects.filter(plenary=plenary, cohort_id=why.cohort_id).first()
        if plenary.capacity < 2:
            raise ValidationError(_("This plenary has a single place: come without a guest."))
        if quota is not None and quota.places < 2:
            raise ValidationError(
                _("Your cohort has a single place at this plenary: come without a guest.")
                if actor.pk == person.pk
                else _(
                    "This person's cohort has a single place at this plenary: register them without a guest."
                )
            )
    _settle(plenary, now)

    registration = Registration.objects.filter(plenary=plenary, person=person).first()
    if registration is not None and registration.state in (State.REGISTERED, State.OFFERED, State.WAITING):
        return registration
    registration = registration or Registration(plenary=plenary, person=person)
    registration.attendee = why.attendee
    registration.chapter_id = why.chapter_id
    registration.cohort_id = why.cohort_id
    registration.plus_one = plus_one
    registration.plus_one_name = plus_one_name.strip() if plus_one else ""
    registration.queued_at = now
    registration.offered_at = registration.offer_expires_at = registration.cancelled_at = None
    registration.registered_by = actor
    registration.state = State.REGISTERED if usage(plenary).fits(registration) else State.WAITING
    registration.save()
    return registration


def confirm_offer(registration: Registration, *, actor, now: datetime.datetime | None = None) -> Registration:
    """The promoted person takes the place offered. Confirming twice changes nothing; an
    offer past its deadline lapses (and its place passes on) even when refused here."""
    now = now or timezone.now()
    with transaction.atomic():
        plenary = _locked(registration.plenary)
        _settle(plenary, now)  # commits the lapse before the refusal below
        registration.refresh_from_db()
        if plenary.state == PlenaryState.CANCELLED:
            raise ValidationError(_("This plenary is cancelled."))
        if now >= plenary.starts_at:
            raise ValidationError(_("This plenary has already started: registrations are closed."))
        if registration.state == State.OFFERED:
            registration.state = State.REGISTERED
            registration.save(update_fields=["state", "updated_at"])
    if registration.state == State.REGISTERED:
        return registration
    if registration.state == State.EXPIRED:
        raise ValidationError(
            _("The place offered to you was not confirmed in time and has passed on. You may register again.")
        )
    raise ValidationError(_("No place is offered to you for this plenary."))


@transaction.atomic
def cancel_registration(
    registration: Registration, *, actor, now: datetime.datetime | None = None
) -> Registration:
    """The person no longer comes (or gives up their rank, or declines the place offered).
    The place passes to the waiting list at once. Cancelling twice changes nothing."""
    now = now or timezone.now()
    plenary = _locked(registration.plenary)
    # Conditional, like the check-in (which takes no lock): a tap at the door at the same
    # moment leaves either a check-in or a cancellation, never a cancelled arrival.
    Registration.objects.filter(
        pk=registration.pk,
        state__in=(State.REGISTERED, State.OFFERED, State.WAITING),
        checked_in_at__isnull=True,
    ).update(state=State.CANCELLED, cancelled_at=now, updated_at=now)
    registration.refresh_from_db()
    if registration.checked_in_at is not None:
        raise ValidationError(_("This person is already checked in at the door."))
    _settle(plenary, now)
    return registration


@transaction.atomic
def set_capacity(plenary: Plenary, capacity: int, *, actor, now: datetime.datetime | None = None) -> Plenary:
    """A new capacity. More places go to the waiting list at once; fewer never unseat
    anyone already holding a place (the plenary is then over capacity until cancellations)."""
    now = now or timezone.now()
    if capacity < 1:
        raise ValidationError(_("The capacity must be at least 1."))
    plenary = _locked(plenary)
    plenary.capacity = capacity
    plenary.save(update_fields=["capacity", "updated_at"])
    _settle(plenary, now)
    return plenary


@transaction.atomic
def set_quota(
    plenary: Plenary, cohort: Cohort, places: int | None, *, actor, now: datetime.datetime | None = None
) -> CohortQuota | None:
    """Limit the places of one cohort's people (None removes the limit). Like the capacity,
    a lower quota unseats nobody."""
    now = now or timezone.now()
    plenary = _locked(plenary)
    if not concerned_chapters(plenary).filter(pk=cohort.chapter_id).exists():
        raise ValidationError(_("This cohort is not invited to this plenary."))
    quota = None
    if places is None:
        CohortQuota.objects.filter(plenary=plenary, cohort=cohort).delete()
    else:
        if places < 1:
            raise ValidationError(_("A quota is at least one place."))
        quota, _created = CohortQuota.objects.update_or_create(
            plenary=plenary, cohort=cohort, defaults={"places": places}
        )
    _settle(plenary, now)
    return quota


# --- At the door -----------------------------------------------------------------------------


def check_in(registration: Registration, *, actor, now: datetime.datetime | None = None) -> bool:
    """Record that the person is here. One conditional UPDATE, so two phones tapping the
    same name at once record one check-in; returns False when it was already recorded."""
    now = now or timezone.now()
    if registration.state != State.REGISTERED:
        raise ValidationError(_("Only a registered person can be checked in."))
    updated = Registration.objects.filter(
        pk=registration.pk, state=State.REGISTERED, checked_in_at__isnull=True
    ).update(checked_in_at=now, checked_in_by=actor, updated_at=now)
    if updated:
        registration.checked_in_at, registration.checked_in_by = now, actor
    return bool(updated)


def undo_check_in(registration: Registration, *, actor) -> bool:
    """A tap on the wrong name is undone."""
    updated = Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=False).update(
        checked_in_at=None, checked_in_by=None, updated_at=timezone.now()
    )
    if updated:
        registration.checked_in_at = registration.checked_in_by = None
    return bool(updated)


# --- Planning a plenary ------------------------------------------------------------------------

# A change to one of these moves the event in people's calendars (RFC 5545 SEQUENCE).
_CALENDAR_FIELDS = ("starts_at", "ends_at", "venue_name", "venue_address", "venue_postcode", "venue_town")


@transaction.atomic
def create_plenary(plenary: Plenary, *, actor) -> Plenary:
    """Save a new plenary built by the form (scope, region, chapter and organiser already set)."""
    from plenaries.permissions import can_manage_plenary

    if not can_manage_plenary(actor, plenary):
        raise ValidationError(_("You can only plan a plenary for your chapter or its region."))
    plenary.full_clean()
    plenary.save()
    return plenary


# What the plenary's edit page changes; the state, the cancellation and the SEQUENCE are
# the services' own, so a page opened before a cancellation cannot write them back.
EDITABLE_FIELDS = (
    "scope",
    "chapter",
    "region",
    "organiser",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "venue_name",
    "venue_address",
    "venue_postcode",
    "venue_town",
    "registration_opens_at",
    "registration_closes_at",
    "plus_one_allowed",
    "confirmation_hours",
)
_WHO_FIELDS = ("scope", "chapter_id", "region_id")


@transaction.atomic
def change_plenary(
    plenary: Plenary, *, actor, capacity: int, now: datetime.datetime | None = None
) -> Plenary:
    """Save the form's changes (`plenary`, unsaved) under the plenary's lock; a new date or
    place raises the calendar SEQUENCE; a new capacity goes through `set_capacity` (more
    places go to the waiting list). Refused once the plenary is cancelled, and so is a new
    scope once somebody has registered. An earlier start brings the offers' deadlines
    forward with it."""
    now = now or timezone.now()
    before = _locked(plenary)
    if before.is_cancelled:
        raise ValidationError(_("This plenary is cancelled: it can no longer be changed."))
    if any(getattr(before, name) != getattr(plenary, name) for name in _WHO_FIELDS) and has_registrations(
        before
    ):
        raise ValidationError(
            _(
                "People have already answered this plenary: it can no longer move to another chapter or region."
            )
        )
    plenary.state, plenary.cancel_reason = before.state, before.cancel_reason
    plenary.capacity = before.capacity
    plenary.sequence = before.sequence
    if any(getattr(before, name) != getattr(plenary, name) for name in _CALENDAR_FIELDS):
        plenary.sequence += 1
    plenary.full_clean()
    plenary.save(update_fields=[*EDITABLE_FIELDS, "sequence", "updated_at"])
    Registration.objects.filter(
        plenary=plenary, state=State.OFFERED, offer_expires_at__gt=plenary.starts_at
    ).update(offer_expires_at=plenary.starts_at, updated_at=now)
    if capacity != before.capacity:
        set_capacity(plenary, capacity, actor=actor, now=now)
    else:
        _settle(plenary, now)  # an earlier start may have lapsed an offer: its place passes on
    plenary.refresh_from_db()
    return plenary


@transaction.atomic
def cancel_plenary(plenary: Plenary, *, reason: str, actor) -> Plenary:
    """The plenary will not take place: it stays listed, marked cancelled with the reason,
    and everyone registered, offered a place or waiting is told once."""
    plenary = _locked(plenary)
    if plenary.is_cancelled:
        return plenary
    if not reason.strip():
        raise ValidationError(_("Say why the plenary is cancelled: the people registered are told."))
    plenary.state = PlenaryState.CANCELLED
    plenary.cancel_reason = reason.strip()
    plenary.sequence += 1
    plenary.save(update_fields=["state", "cancel_reason", "sequence", "updated_at"])
    people = Registration.objects.filter(
        plenary=plenary, state__in=[State.REGISTERED, State.OFFERED, State.WAITING]
    ).values_list("person_id", flat=True)
    notifications.notify(plenary, PlenaryNotificationKind.CANCELLED, list(people), revision=plenary.sequence)
    return plenary


def save_program_item(item, *, actor):
    """Add or change one slot of the program. A network presenting must belong to a chapter
    concerned by the plenary; the network is kept only for a network presentation."""
    from plenaries.enums import ProgramKind

    if item.kind != ProgramKind.NETWORK:
        item.network = None
    elif (
        item.network is not None
        and not concerned_chapters(item.plenary).filter(pk=item.network.chapter_id).exists()
    ):
        raise ValidationError({"network": _("This network does not belong to a chapter of this plenary.")})
    item.full_clean()
    item.save()
    return item


def delete_program_item(item, *, actor) -> None:
    item.delete()
