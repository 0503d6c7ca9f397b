"""A cohort's sponsors: executives of larger companies, 3 at most, whose sponsorship ends rather than vanishes."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.enums import MembershipState
from groups.models import Cohort, Membership, Sponsorship
from groups.services.cohorts import lock_cohort
from members.models import User

MAX_SPONSORS = 3


@transaction.atomic
def add_sponsor(
    cohort: Cohort, *, person: User, actor, started_on: datetime.date | None = None
) -> Sponsorship:
    """An executive of a larger company sponsors the cohort: 3 at most, never twice at once."""
    cohort = lock_cohort(cohort)
    if cohort.is_closed:
        raise ValidationError(_("%(cohort)s is closed: it takes no new sponsor.") % {"cohort": cohort})
    if person.company_id is None:
        raise ValidationError(
            _("Record %(person)s's company first: a sponsor represents a company.") % {"person": person}
        )
    current = list(cohort.sponsorships.filter(ended_on__isnull=True).select_related("person"))
    if any(sponsorship.person_id == person.pk for sponsorship in current):
        raise ValidationError(
            _("%(person)s already sponsors %(cohort)s.") % {"person": person, "cohort": cohort}
        )
    if len(current) >= MAX_SPONSORS:
        raise ValidationError(
            _("A cohort has at most %(max)d sponsors: %(names)s already sponsor %(cohort)s.")
            % {
                "max": MAX_SPONSORS,
                "names": ", ".join(str(sponsorship.person) for sponsorship in current),
                "cohort": cohort,
            }
        )
    if Membership.objects.filter(cohort=cohort, person=person, state=MembershipState.ACTIVE).exists():
        raise ValidationError(_("%(person)s is a member of this cohort, not a sponsor.") % {"person": person})
    return Sponsorship.objects.create(
        cohort=cohort,
        person=person,
        company_id=person.company_id,
        started_on=started_on or timezone.localdate(),
    )


@transaction.atomic
def end_sponsorship(sponsorship: Sponsorship, *, actor, ended_on: datetime.date | None = None) -> Sponsorship:
    if sponsorship.ended_on is not None:
        raise ValidationError(_("This sponsorship has already ended."))
    sponsorship.ended_on = max(ended_on or timezone.localdate(), sponsorship.started_on)
    sponsorship.save(update_fields=["ended_on"])
    return sponsorship
