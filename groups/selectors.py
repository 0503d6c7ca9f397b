"""Reads about chapters and cohorts, scoped and with a fixed number of queries."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from groups import competition
from groups.enums import CohortState, ConflictSource, MembershipState
from groups.models import Chapter, ChapterRole, Cohort, DeclaredConflict, Membership, Sponsorship


def chapters_with_stats(user) -> QuerySet[Chapter]:
    """The chapters a user may see, each annotated with what the dashboards count."""
    return (
        Chapter.objects.visible_to(user)
        .select_related("region")
        .annotate(
            company_count=Count("companies", distinct=True),
            people_count=Count("people", distinct=True),
            forming_cohort_count=Count(
                "cohorts", filter=Q(cohorts__state=CohortState.FORMING), distinct=True
            ),
            active_cohort_count=Count("cohorts", filter=Q(cohorts__state=CohortState.ACTIVE), distinct=True),
            closed_cohort_count=Count("cohorts", filter=Q(cohorts__state=CohortState.CLOSED), distinct=True),
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
            queryset=Sponsorship.objects.select_related("person", "company").order_by("person__last_name"),
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
