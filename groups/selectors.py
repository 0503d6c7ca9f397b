"""Reads about chapters and cohorts, scoped and with a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from groups import competition
from groups.enums import CandidateState, CohortState, ConflictSource, MembershipState
from groups.models import (
    Candidate,
    Chapter,
    ChapterRole,
    Cohort,
    CompetitorOverride,
    DeclaredConflict,
    Membership,
    Sponsorship,
)
from members.models import Company, User

MIN_SPONSORS = 2  # below this, the cohort page warns (the service refuses a 4th: services.MAX_SPONSORS)


def _count_per_chapter(rows: QuerySet):
    """How many of `rows` (a model with a `chapter` key) belong to the outer chapter, as a
    subquery of its own. Counts joined in one query multiply each other's rows (a chapter's
    companies × its people × its cohorts: 16 s for the national network's admin home);
    counted apart, each is one index scan."""
    per_chapter = rows.filter(chapter=OuterRef("pk")).order_by().values("chapter").annotate(n=Count("pk"))
    return Coalesce(Subquery(per_chapter.values("n"), output_field=IntegerField()), 0)


def chapters_with_stats(user) -> QuerySet[Chapter]:
    """The chapters a user may see, each annotated with what the dashboards count."""
    return (
        Chapter.objects.visible_to(user)
        .select_related("region")
        .annotate(
            company_count=_count_per_chapter(Company.objects.all()),
            people_count=_count_per_chapter(User.objects.all()),
            forming_cohort_count=_count_per_chapter(Cohort.objects.filter(state=CohortState.FORMING)),
            active_cohort_count=_count_per_chapter(Cohort.objects.filter(state=CohortState.ACTIVE)),
            closed_cohort_count=_count_per_chapter(Cohort.objects.filter(state=CohortState.CLOSED)),
        )
        .order_by("code")
    )


def chapter_staff(chapter: Chapter):
    return chapter.staff_roles.select_related("user").order_by("role", "user__last_name")


def _cohorts_with_people() -> QuerySet[Cohort]:
    return Cohort.objects.select_related("chapter").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(state__in=[MembershipState.ACTIVE, MembershipState.ALUMNI])
            .select_related("person", "company")
            .order_by("company__name"),
        ),
        Prefetch(
            "sponsorships",
            # Current sponsors; a closed cohort keeps showing those it had at the end.
            queryset=Sponsorship.objects.filter(
                Q(ended_on__isnull=True) | Q(cohort__state=CohortState.CLOSED)
            )
            .select_related("person", "company")
            .order_by("person__last_name"),
        ),
        "facilitators",
    )


def cohorts_by_ids(cohort_ids) -> QuerySet[Cohort]:
    return _cohorts_with_people().filter(id__in=cohort_ids).order_by("-start_date")


def cohorts_facilitated_by(user) -> QuerySet[Cohort]:
    return _cohorts_with_people().filter(facilitators=user).exclude(state=CohortState.CLOSED)


def chapter_ids_involving(person) -> set[int]:
    """Every chapter where the person holds a role: staff, member (past or present), sponsor."""
    return (
        set(ChapterRole.objects.filter(user=person).values_list("chapter_id", flat=True))
        | set(Membership.objects.filter(person=person).values_list("cohort__chapter_id", flat=True))
        | set(Sponsorship.objects.filter(person=person).values_list("cohort__chapter_id", flat=True))
    )


def competitor_rule(chapter: Chapter) -> competition.Rule:
    """The competitor rule of a chapter: its NAF granularity and its declared conflicts (one query)."""
    return competition.Rule(
        chapter.competitor_granularity,
        [_declaration(conflict) for conflict in DeclaredConflict.objects.filter(chapter=chapter)],
    )


def _declaration(conflict: DeclaredConflict) -> competition.Declaration:
    by_member = conflict.declared_as == ConflictSource.MEMBER
    template = _("declared by a member: %(reason)s") if by_member else _("declared by the CCI: %(reason)s")
    return competition.Declaration(conflict.siren_a, conflict.siren_b, template % {"reason": conflict.reason})


def cohorts_for(user, *, chapter_id: int | None = None, state: str = "") -> QuerySet[Cohort]:
    """The cohorts of the chapters a user runs, with their counts (one query, plus one for facilitators)."""
    cohorts = Cohort.objects.filter(chapter__in=Chapter.objects.visible_to(user))
    if chapter_id:
        cohorts = cohorts.filter(chapter_id=chapter_id)
    if state:
        cohorts = cohorts.filter(state=state)
    return (
        cohorts.select_related("chapter")
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__state=MembershipState.ACTIVE), distinct=True
            ),
            alumni_count=Count(
                "memberships", filter=Q(memberships__state=MembershipState.ALUMNI), distinct=True
            ),
            sponsor_count=Count("sponsorships", filter=Q(sponsorships__ended_on__isnull=True), distinct=True),
        )
        .prefetch_related(Prefetch("facilitators", queryset=User.objects.order_by("last_name")))
        .order_by(
            Case(
                When(state=CohortState.FORMING, then=0),
                When(state=CohortState.ACTIVE, then=1),
                default=2,
            ),
            "-start_date",
            "name",
        )
    )


@dataclass
class CohortPage:
    """Everything the cohort page shows, read with a fixed number of queries."""

    cohort: Cohort
    members: list[Membership]
    former_members: list[Membership]
    sponsors: list[Sponsorship]
    former_sponsors: list[Sponsorship]
    facilitators: list[User]
    overrides: list[CompetitorOverride]
    declared_conflicts: list[DeclaredConflict]
    competitor_pairs: list[competition.Conflict]

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def is_below_min(self) -> bool:
        return self.size < self.cohort.min_size

    @property
    def is_full(self) -> bool:
        return self.size >= self.cohort.max_size

    @property
    def lacks_sponsors(self) -> bool:
        return len(self.sponsors) < MIN_SPONSORS

    @property
    def divisions(self) -> int:
        return len({competition.division_of(membership.company.naf_code) for membership in self.members})


def cohort_page(cohort: Cohort) -> CohortPage:
    memberships = list(
        cohort.memberships.select_related("person", "company").order_by("company__name", "joined_on")
    )
    sponsorships = list(cohort.sponsorships.select_related("person", "company").order_by("person__last_name"))
    members = [membership for membership in memberships if membership.state != MembershipState.WITHDRAWN]
    current = [membership for membership in members if membership.state == MembershipState.ACTIVE]
    sirens = {membership.company.siren for membership in current}
    declared = [
        conflict
        for conflict in DeclaredConflict.objects.filter(chapter_id=cohort.chapter_id)
        .filter(Q(siren_a__in=sirens) | Q(siren_b__in=sirens))
        .select_related("declared_by")
        if conflict.siren_a in sirens or conflict.siren_b in sirens
    ]
    rule = competition.Rule(
        cohort.chapter.competitor_granularity, [_declaration(conflict) for conflict in declared]
    )
    return CohortPage(
        cohort=cohort,
        members=members,
        former_members=[
            membership for membership in memberships if membership.state == MembershipState.WITHDRAWN
        ],
        sponsors=[sponsorship for sponsorship in sponsorships if sponsorship.ended_on is None],
        former_sponsors=[sponsorship for sponsorship in sponsorships if sponsorship.ended_on is not None],
        facilitators=list(cohort.facilitators.order_by("last_name")),
        overrides=list(cohort.overrides.select_related("company", "competitor", "actor")),
        declared_conflicts=declared,
        competitor_pairs=rule.pairs_within([membership.company for membership in current]),
    )


@dataclass
class DirectoryEntry:
    person: User
    company: object
    role: str  # "member", "sponsor", "facilitator"


def cohort_directory(cohort: Cohort) -> dict[str, list]:
    """Who is in the cohort, for its members: only what each person agreed to show is used by the page."""
    member_state = MembershipState.ALUMNI if cohort.state == CohortState.CLOSED else MembershipState.ACTIVE
    return {
        "members": list(
            cohort.memberships.filter(state=member_state)
            .select_related("person", "company")
            .order_by("person__last_name", "person__first_name")
        ),
        "sponsors": list(
            cohort.sponsorships.filter(
                **({} if cohort.state == CohortState.CLOSED else {"ended_on__isnull": True})
            )
            .select_related("person", "company")
            .order_by("person__last_name")
        ),
        "facilitators": list(cohort.facilitators.order_by("last_name")),
    }


def candidates_for(chapter: Chapter, *, state: str = "", query: str = "") -> QuerySet[Candidate]:
    candidates = Candidate.objects.filter(chapter=chapter).select_related(
        "membership__cohort", "duplicate_of", "duplicate_of_membership__cohort"
    )
    if state:
        candidates = candidates.filter(state=state)
    if query:
        candidates = candidates.filter(
            Q(company_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(siret__startswith=query.replace(" ", ""))
            | Q(naf_code__istartswith=query)
            | Q(town__icontains=query)
        )
    return candidates.order_by("-created_at", "company_name")


def candidate_counts(chapter: Chapter) -> dict[str, int]:
    counts = dict(
        Candidate.objects.filter(chapter=chapter).values_list("state").annotate(total=Count("id")).order_by()
    )
    return {state: counts.get(state, 0) for state in CandidateState.values}


def qualified_candidates(chapter: Chapter) -> list[Candidate]:
    return list(
        Candidate.objects.filter(chapter=chapter, state=CandidateState.QUALIFIED).order_by("company_name")
    )


def chapter_parties(chapter: Chapter) -> dict[str, tuple[str, str]]:
    """SIREN → (name, label) of every company and open candidate of a chapter, for declaring conflicts."""
    parties: dict[str, tuple[str, str]] = {}
    for name, siret, town in Company.objects.filter(chapter=chapter).values_list("name", "siret", "town"):
        parties.setdefault(siret[:9], (name, f"{name} ({town})"))
    open_states = [CandidateState.NEW, CandidateState.QUALIFIED]
    for name, siret, town in Candidate.objects.filter(chapter=chapter, state__in=open_states).values_list(
        "company_name", "siret", "town"
    ):
        parties.setdefault(
            siret[:9], (name, _("%(name)s (%(town)s), candidate") % {"name": name, "town": town})
        )
    return dict(sorted(parties.items(), key=lambda item: item[1][0].lower()))


def declared_conflicts(chapter: Chapter) -> QuerySet[DeclaredConflict]:
    return (
        DeclaredConflict.objects.filter(chapter=chapter).select_related("declared_by").order_by("-created_at")
    )


def cohorts_seating_both(chapter: Chapter, siren: str, other_siren: str) -> list[Cohort]:
    """Open cohorts of the chapter where both companies already hold a place."""
    return list(
        Cohort.objects.filter(chapter=chapter)
        .exclude(state=CohortState.CLOSED)
        .filter(memberships__state=MembershipState.ACTIVE, memberships__company__siret__startswith=siren)
        .filter(
            memberships__state=MembershipState.ACTIVE, memberships__company__siret__startswith=other_siren
        )
        .distinct()
    )


def alumni_memberships_of(user) -> list[Membership]:
    """The person's own memberships as an alumni (closed cohorts), latest first."""
    return list(
        Membership.objects.filter(person=user, state=MembershipState.ALUMNI, cohort__state=CohortState.CLOSED)
        .select_related("cohort")
        .order_by("-cohort__end_date", "-pk")
    )
