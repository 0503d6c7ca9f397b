"""What the member documents read: scoped lookups and the rows of each document."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from documents.models import ExportJob
from groups.enums import CohortState, MembershipState, StaffRole
from groups.models import Chapter, Cohort, Membership, Sponsorship
from groups.roles import roles_for
from meetings.enums import AttendanceStatus, MeetingState
from meetings.models import Attendance, Meeting
from members.models import User
from plenaries.enums import PlenaryScope, PlenaryState, RegistrationState
from plenaries.models import Registration

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
    chapter's first coordinator by name (also when no one asks: a certificate e-mailed at
    the closing, `user` None); None leaves a blank line to sign by hand."""
    coordinators = User.objects.filter(
        chapter_roles__chapter=chapter, chapter_roles__role=StaffRole.COORDINATOR
    ).order_by("last_name", "first_name")
    if user is not None and coordinators.filter(pk=user.pk).exists():
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


# --- End-of-programme attendance --------------------------------------------------------------


@dataclass
class AttendanceRecord:
    """What one member's end-of-programme certificate counts, over their own time in the
    cohort (`period_start` to `period_end`, both included).

    - meetings held: the cohort's meetings that took place while the person was a member:
      not cancelled, whose attendance was taken (a meeting without its attendance record
      says nothing about who came, so it counts on neither side), and whose day (in the
      chapter's time zone) falls within the person's period;
    - meetings attended: those of the meetings held where the person is recorded present
      (excused and absent are not attended);
    - plenaries attended: plenaries of the cohort's chapter (departmental) or of its region
      (regional), not cancelled, whose day falls within the period, where the person's
      registration is confirmed (state registered) and was checked in at the door.
    """

    membership: Membership
    period_start: datetime.date
    period_end: datetime.date
    meetings_held: int = 0
    meetings_attended: int = 0
    plenaries_attended: int = 0

    @property
    def left_early(self) -> bool:
        return self.membership.state == MembershipState.WITHDRAWN


def membership_period_end(membership: Membership, today: datetime.date | None = None) -> datetime.date:
    """The last day counted: when the person left (an alumni's is the closing date), else
    the cohort's end date if passed, else today."""
    if membership.left_on:
        return membership.left_on
    today = today or timezone.localdate()
    end_date = membership.cohort.end_date
    return min(end_date, today) if end_date else today


def attendance_records(
    cohort: Cohort, memberships: list[Membership] | None = None, *, today: datetime.date | None = None
) -> list[AttendanceRecord]:
    """The attendance counts of the cohort's memberships (all of them by default: alumni and
    those who left, by name), in four queries whatever the cohort's size: the memberships,
    the meetings held, the « present » rows, the checked-in plenary registrations."""

    if memberships is None:
        memberships = list(
            cohort.memberships.select_related("cohort__chapter", "company", "person").order_by(
                "person__last_name", "person__first_name", "pk"
            )
        )
    if not memberships:
        return []
    records = [
        AttendanceRecord(
            membership=membership,
            period_start=membership.joined_on,
            period_end=membership_period_end(membership, today),
        )
        for membership in memberships
    ]
    earliest = min(record.period_start for record in records)
    latest = max(record.period_end for record in records)
    people = {membership.person_id for membership in memberships}

    # Days in the chapter's time zone: a meeting at 8:30 in Lorient is on its French day.
    meetings = {
        pk: timezone.localtime(starts_at).date()
        for pk, starts_at in Meeting.objects.filter(cohort=cohort, attendance_taken_at__isnull=False)
        .exclude(state=MeetingState.CANCELLED)
        .values_list("pk", "starts_at")
    }
    present: dict[int, set[int]] = {}
    for person_id, meeting_id in Attendance.objects.filter(
        meeting_id__in=list(meetings), person_id__in=people, status=AttendanceStatus.PRESENT
    ).values_list("person_id", "meeting_id"):
        present.setdefault(person_id, set()).add(meeting_id)

    chapter = memberships[0].cohort.chapter  # selected with the memberships
    checked_in: dict[int, list[datetime.date]] = {}
    registrations = (
        Registration.objects.filter(
            person_id__in=people, state=RegistrationState.REGISTERED, checked_in_at__isnull=False
        )
        .exclude(plenary__state=PlenaryState.CANCELLED)
        .filter(
            Q(plenary__scope=PlenaryScope.DEPARTMENTAL, plenary__chapter_id=chapter.pk)
            | Q(plenary__scope=PlenaryScope.REGIONAL, plenary__region_id=chapter.region_id)
        )
        .filter(
            plenary__starts_at__date__gte=earliest - datetime.timedelta(days=1),
            plenary__starts_at__date__lte=latest + datetime.timedelta(days=1),
        )
        .values_list("person_id", "plenary_id", "plenary__starts_at")
    )
    for person_id, _plenary, starts_at in set(registrations):  # each plenary once
        checked_in.setdefault(person_id, []).append(timezone.localtime(starts_at).date())

    for record in records:
        person_id = record.membership.person_id
        within = _within(record.period_start, record.period_end)
        held = {pk for pk, day in meetings.items() if within(day)}
        record.meetings_held = len(held)
        record.meetings_attended = len(held & present.get(person_id, set()))
        record.plenaries_attended = sum(1 for day in checked_in.get(person_id, []) if within(day))
    return records


def _within(start: datetime.date, end: datetime.date):
    return lambda day: start <= day <= end


def attendance_record(membership: Membership, *, today: datetime.date | None = None) -> AttendanceRecord:
    """One membership's counts (the same rules as the cohort's certificates)."""
    return attendance_records(membership.cohort, [membership], today=today)[0]


def memberships_with_certificate(user) -> QuerySet[Membership]:
    """The memberships whose end-of-programme certificate the user may download: those of
    closed cohorts in the chapters they coordinate (all for an admin), and their own as an
    alumni. Outside them: 404."""

    roles = roles_for(user)
    closed = Membership.objects.filter(cohort__state=CohortState.CLOSED).exclude(state=MembershipState.ACTIVE)
    if not roles.is_admin:
        closed = closed.filter(
            Q(cohort__chapter_id__in=roles.coordinator_chapter_ids)
            | Q(person_id=user.pk, state=MembershipState.ALUMNI)
        )
    return closed.select_related("cohort__chapter__region", "company", "person")
