"""What the member documents read: scoped lookups and the rows of each document."""

from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from billing.models import ExportJob
from groups.enums import CohortState, MembershipState, StaffRole
from groups.models import Chapter, Cohort, Membership, Sponsorship
from members.models import User

# The roster lists running cohorts first, then those being formed, then the closed ones.
_STATE_ORDER = Case(
    When(state=CohortState.ACTIVE, then=Value(0)),
    When(state=CohortState.FORMING, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def memberships_visible_to(user) -> QuerySet[Membership]:
    """Memberships of the chapters the user may see (outside them: 404)."""
    return Membership.objects.filter(cohort__chapter__in=Chapter.objects.visible_to(user)).select_related(
        "cohort__chapter", "company", "person"
    )


def certificate_signer(chapter: Chapter, user) -> User | None:
    """Who signs a certificate: the coordinator asking for it, else (an admin asking) the
    chapter's first coordinator by name; None leaves a blank line to sign by hand."""
    coordinators = User.objects.filter(
        chapter_roles__chapter=chapter, chapter_roles__role=StaffRole.COORDINATOR
    ).order_by("last_name", "first_name")
    if coordinators.filter(pk=user.pk).exists():
        return user
    return coordinators.first()


def roster_cohorts(chapter: Chapter) -> list[Cohort]:
    """The chapter's cohorts in roster order, each with its member counts."""
    return list(
        Cohort.objects.filter(chapter=chapter)
        .annotate(
            state_rank=_STATE_ORDER,
            active_count=Count("memberships", filter=Q(memberships__state=MembershipState.ACTIVE)),
            alumni_count=Count("memberships", filter=Q(memberships__state=MembershipState.ALUMNI)),
            withdrawn_count=Count("memberships", filter=Q(memberships__state=MembershipState.WITHDRAWN)),
        )
        .order_by("state_rank", "-start_date", "name")
    )


@dataclass
class RosterTotals:
    cohorts: int = 0
    cohorts_by_state: dict[str, int] = field(default_factory=dict)
    active: int = 0
    alumni: int = 0
    withdrawn: int = 0
    companies: int = 0
    sponsors: int = 0


def roster_totals(chapter: Chapter, cohorts: list[Cohort]) -> RosterTotals:
    totals = RosterTotals(
        cohorts=len(cohorts),
        cohorts_by_state={
            state: sum(1 for cohort in cohorts if cohort.state == state) for state in CohortState.values
        },
        active=sum(cohort.active_count for cohort in cohorts),
        alumni=sum(cohort.alumni_count for cohort in cohorts),
        withdrawn=sum(cohort.withdrawn_count for cohort in cohorts),
    )
    totals.companies = (
        Membership.objects.filter(cohort__chapter=chapter)
        .exclude(state=MembershipState.WITHDRAWN)
        .values("company_id")
        .distinct()
        .count()
    )
    totals.sponsors = (
        Sponsorship.objects.filter(cohort__chapter=chapter, ended_on__isnull=True)
        .exclude(cohort__state=CohortState.CLOSED)
        .values("person_id")
        .distinct()
        .count()
    )
    return totals


@dataclass
class RosterSection:
    cohort: Cohort
    members: list[Membership]
    sponsors: list[Sponsorship]
    facilitators: list[User]


def roster_section(cohort: Cohort) -> RosterSection:
    """One cohort of the roster: every membership (those who left too), its current
    sponsors (all of them for a closed cohort) and its facilitators."""
    sponsorships = cohort.sponsorships.select_related("person", "company").order_by(
        "person__last_name", "person__first_name"
    )
    if cohort.state != CohortState.CLOSED:
        sponsorships = sponsorships.filter(ended_on__isnull=True)
    return RosterSection(
        cohort=cohort,
        members=list(
            cohort.memberships.select_related("person", "company").order_by(
                Case(
                    When(state=MembershipState.WITHDRAWN, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                ),
                "person__last_name",
                "person__first_name",
            )
        ),
        sponsors=list(sponsorships),
        facilitators=list(cohort.facilitators.order_by("last_name", "first_name")),
    )


def export_jobs(chapter: Chapter, *, limit: int = 10) -> list[ExportJob]:
    """The chapter's latest exports, newest first, with who asked for them."""
    return list(ExportJob.objects.filter(chapter=chapter).select_related("requested_by")[:limit])
