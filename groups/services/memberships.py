"""Who sits in a cohort. Every path that puts a company in a cohort — the forms, the admin,
the CSV import, the composer's confirmation, the demo — goes through `add_member`, which
asks the competitor rule (groups.competition) and records a coordinator's override in the
audit log (CompetitorOverride)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups import competition, permissions, selectors
from groups.enums import CohortState, MembershipState
from groups.models import Cohort, CompetitorOverride, Membership
from groups.services.cohorts import lock_cohort
from members.models import Company, User


class CompetitorRefused(ValidationError):
    """The competitor rule refused a company; `conflicts` says with whom and why."""

    def __init__(self, conflicts: list[competition.Conflict]):
        self.conflicts = conflicts
        super().__init__([conflict.message for conflict in conflicts], code="competitor")


def active_companies(cohort: Cohort, *, exclude_company: Company | None = None) -> list[Company]:
    memberships = cohort.memberships.filter(state=MembershipState.ACTIVE).select_related("company")
    if exclude_company is not None:
        memberships = memberships.exclude(company=exclude_company)
    return [membership.company for membership in memberships]


def conflicts_for(
    cohort: Cohort, party, *, rule: competition.Rule | None = None
) -> list[competition.Conflict]:
    """What the competitor rule says about `party` joining `cohort` as it is now."""
    rule = rule or selectors.competitor_rule(cohort.chapter)
    others = [company for company in active_companies(cohort) if company.siret != party.siret]
    return rule.conflicts(party, others)


def check_admission(
    cohort: Cohort, company: Company, *, person: User, actor, justification: str = ""
) -> list[competition.Conflict]:
    """Every reason `add_member` would refuse, without writing anything (forms and the admin
    call it to show errors on the form). Returns the conflicts a justification overrides."""
    chapter = cohort.chapter
    if cohort.is_closed:
        raise ValidationError(_("%(cohort)s is closed: it takes no new members.") % {"cohort": cohort})
    if company.chapter_id != chapter.pk:
        raise ValidationError(
            _("%(company)s belongs to another chapter than %(cohort)s.")
            % {"company": company, "cohort": cohort}
        )
    if person.company_id != company.pk:
        raise ValidationError(
            _("%(person)s is not recorded as working for %(company)s: attach them to the company first.")
            % {"person": person, "company": company}
        )
    elsewhere = (
        Membership.objects.filter(company=company, state=MembershipState.ACTIVE)
        .exclude(cohort__state=CohortState.CLOSED)
        .select_related("cohort")
        .first()
    )
    if elsewhere is not None:
        if elsewhere.cohort_id == cohort.pk:
            raise ValidationError(
                _("%(company)s is already a member of %(cohort)s.") % {"company": company, "cohort": cohort}
            )
        raise ValidationError(
            _("%(company)s already holds a place in %(cohort)s: a company sits in one cohort at a time.")
            % {"company": company, "cohort": elsewhere.cohort}
        )
    size = cohort.memberships.filter(state=MembershipState.ACTIVE).count()
    if size >= cohort.max_size:
        raise ValidationError(
            _("%(cohort)s is full: it already has %(size)d members, the most a group may have.")
            % {"cohort": cohort, "size": size}
        )
    conflicts = conflicts_for(cohort, company)
    if conflicts:
        if not justification.strip():
            raise CompetitorRefused(conflicts)
        if not permissions.is_coordinator_of(actor, chapter):
            raise ValidationError(_("Only a coordinator of the chapter may let a competitor in."))
    return conflicts


@transaction.atomic
def add_member(
    cohort: Cohort,
    company: Company,
    *,
    person: User,
    actor,
    justification: str = "",
    joined_on: datetime.date | None = None,
) -> Membership:
    """Give `company`, led by `person`, a place in `cohort`.

    Refused (ValidationError) when the cohort is closed or full, when the person does
    not lead the company, when either is of another chapter, when the company already
    holds a place in an open cohort, and — CompetitorRefused — when a competitor is
    already there. A coordinator may override the last with a written justification:
    each conflict overridden is written to the audit log (CompetitorOverride).
    """
    cohort = lock_cohort(cohort)
    # One place per company across open cohorts cannot be a database constraint (the
    # cohort's state is another table): the company's row serialises its admissions.
    Company.objects.select_for_update().filter(pk=company.pk).first()
    conflicts = check_admission(cohort, company, person=person, actor=actor, justification=justification)
    justification = justification.strip()
    membership = Membership(
        cohort=cohort,
        company=company,
        person=person,
        state=MembershipState.ACTIVE,
        joined_on=joined_on or timezone.localdate(),
    )
    membership.full_clean(validate_constraints=False)
    membership.save()
    CompetitorOverride.objects.bulk_create(
        CompetitorOverride(
            cohort=cohort,
            company=company,
            competitor=conflict.other,
            conflict=conflict.message,
            justification=justification,
            actor=actor,
        )
        for conflict in conflicts
    )
    if person.chapter_id is None:
        person.chapter = cohort.chapter
        person.save(update_fields=["chapter"])
    membership.overridden = [conflict.other for conflict in conflicts]
    return membership


@transaction.atomic
def withdraw_member(
    membership: Membership, *, actor, reason: str, left_on: datetime.date | None = None
) -> Membership:
    """A member leaves before the end: the place is freed, the history kept."""
    if membership.state != MembershipState.ACTIVE:
        raise ValidationError(_("This member has already left the cohort."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the member leaves: it stays in their history.")})
    left_on = left_on or timezone.localdate()
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": _("A member cannot leave before joining.")})
    membership.state = MembershipState.WITHDRAWN
    membership.left_on = left_on
    membership.left_reason = reason.strip()
    membership.save(update_fields=["state", "left_on", "left_reason"])
    return membership
