"""A cohort's life: created forming, started, closed (its members become alumni). Size
checks and lifecycle changes on one cohort run under a lock on its row (`lock_cohort`).
Starting and closing tell the apps built on groups (groups/signals.py): meetings schedules
the meetings, the member documents send the certificates."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from groups.enums import CohortState, MembershipState, StaffRole
from groups.models import Chapter, ChapterRole, Cohort
from groups.signals import cohort_closed, cohort_started


def two_years_after(start: datetime.date) -> datetime.date:
    """The programme lasts two years: 2026-09-15 → 2028-09-14 (29 February → 28 February)."""
    if start.year > datetime.MAXYEAR - 2:
        raise ValidationError({"start_date": _("This start date is not plausible: check the year.")})
    try:
        anniversary = start.replace(year=start.year + 2)
    except ValueError:
        anniversary = start.replace(year=start.year + 2, day=28)
    return anniversary - datetime.timedelta(days=1)


def _check_facilitators(chapter: Chapter, facilitators) -> None:
    allowed = set(
        ChapterRole.objects.filter(chapter=chapter, role=StaffRole.FACILITATOR).values_list(
            "user_id", flat=True
        )
    )
    strangers = [person for person in facilitators if person.pk not in allowed]
    if strangers:
        raise ValidationError(
            {
                "facilitators": ngettext(
                    "%(names)s is not a facilitator of %(chapter)s.",
                    "%(names)s are not facilitators of %(chapter)s.",
                    len(strangers),
                )
                % {"names": ", ".join(str(person) for person in strangers), "chapter": chapter}
            }
        )


@transaction.atomic
def create_cohort(
    chapter: Chapter, *, name: str, start_date: datetime.date | None, facilitators=(), actor
) -> Cohort:
    """A new cohort, forming; its end is two years after its start."""
    cohort = Cohort(chapter=chapter, name=name.strip(), start_date=start_date, state=CohortState.FORMING)
    cohort.end_date = two_years_after(start_date) if start_date else None
    cohort.full_clean()
    _check_facilitators(chapter, facilitators)
    save_or_explain(cohort, {"name": _("Another cohort of this chapter already has this name.")})
    cohort.facilitators.set(facilitators)
    return cohort


def save_or_explain(instance, errors: dict) -> None:
    """Save; if a unique constraint was beaten by a concurrent request, say so on the form."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError(errors) from None


@transaction.atomic
def update_cohort(cohort: Cohort, *, name: str, start_date, facilitators=(), actor) -> Cohort:
    if cohort.is_closed:
        raise ValidationError(_("A closed cohort can no longer be changed."))
    cohort.name = name.strip()
    if start_date != cohort.start_date:
        cohort.start_date = start_date
        cohort.end_date = two_years_after(start_date) if start_date else None
    cohort.full_clean()
    _check_facilitators(cohort.chapter, facilitators)
    cohort.save()
    cohort.facilitators.set(facilitators)
    return cohort


def lock_cohort(cohort: Cohort) -> Cohort:
    """The cohort row locked until the transaction ends: size checks and lifecycle
    changes on one cohort are serialised (two coordinators adding the 12th member)."""
    return Cohort.objects.select_for_update().select_related("chapter").get(pk=cohort.pk)


@transaction.atomic
def start_cohort(cohort: Cohort, *, actor) -> Cohort:
    """forming → active: the cohort has a start date and at least its minimum size.
    `cohort_started` is sent in the transaction: its meetings for the two years are
    generated (meetings/receivers.py)."""
    cohort = lock_cohort(cohort)
    if cohort.state != CohortState.FORMING:
        raise ValidationError(_("Only a forming cohort can start."))
    if cohort.start_date is None:
        raise ValidationError(_("Set the start date before starting the cohort."))
    size = cohort.memberships.filter(state=MembershipState.ACTIVE).count()
    if size < cohort.min_size:
        raise ValidationError(
            ngettext(
                "The cohort has %(size)d member; it needs at least %(min)d to start.",
                "The cohort has %(size)d members; it needs at least %(min)d to start.",
                size,
            )
            % {"size": size, "min": cohort.min_size}
        )
    cohort.state = CohortState.ACTIVE
    cohort.save(update_fields=["state"])
    cohort_started.send(sender=Cohort, cohort=cohort, actor=actor)
    return cohort


@transaction.atomic
def close_cohort(cohort: Cohort, *, actor, closed_on: datetime.date | None = None) -> Cohort:
    """active → closed: members become alumni (their history stays), sponsorships end.

    `actor` is None when Celery beat closes a cohort whose two years are over (nothing is
    audited about a closing: the memberships' `left_on` and state record it). Each new
    alumni's end-of-programme certificate is e-mailed to them once, after the commit:
    `cohort_closed` is sent in the transaction (billing/receivers.py plans the e-mails)."""
    cohort = lock_cohort(cohort)
    if cohort.state != CohortState.ACTIVE:
        raise ValidationError(_("Only an active cohort can be closed."))
    closed_on = closed_on or timezone.localdate()
    new_alumni = list(cohort.memberships.filter(state=MembershipState.ACTIVE).values_list("pk", flat=True))
    cohort.memberships.filter(pk__in=new_alumni).update(state=MembershipState.ALUMNI, left_on=closed_on)
    cohort.sponsorships.filter(ended_on__isnull=True).update(ended_on=closed_on)
    cohort.state = CohortState.CLOSED
    cohort.save(update_fields=["state"])
    cohort_closed.send(sender=Cohort, cohort=cohort, actor=actor, alumni_ids=new_alumni)
    return cohort
