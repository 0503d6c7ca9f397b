"""Reads about meetings, scoped and with a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from groups.enums import MembershipState
from groups.models import Cohort, Membership, Sponsorship
from meetings import permissions, services
from meetings.enums import AttendanceStatus, RsvpAnswer, TopicState
from meetings.models import ActionItem, AgendaItem, BallotChoice, Meeting, Rsvp, Topic
from meetings.rsvp import is_expected
from plato.roles import roles_for


def meetings_visible_to(user) -> QuerySet[Meeting]:
    """Meetings of the cohorts a user belongs to (member, sponsor, alumni) or runs (chapter staff)."""
    roles = roles_for(user)
    meetings = Meeting.objects.all()
    if not roles.is_admin:
        meetings = meetings.filter(
            Q(cohort__chapter_id__in=roles.staff_chapter_ids) | Q(cohort_id__in=roles.cohort_ids)
        )
    return meetings.select_related("cohort__chapter")


# How far back a calendar feed goes: the last few meetings stay in the person's calendar.
CALENDAR_FEED_PAST = datetime.timedelta(days=92)


def calendar_feed_meetings(user, *, now: datetime.datetime | None = None) -> list[Meeting]:
    """The meetings of a person's private calendar feed (two queries whatever their number).

    Their own cohorts only: as member (alumni keep their closed cohort's last meetings),
    current sponsor or facilitator. A coordinator gets the cohorts they facilitate, not
    the whole chapter. From about three months ago to the last meeting planned; cancelled
    meetings stay in, marked cancelled, so that calendars remove the event they hold.
    """
    now = now or timezone.now()
    memberships = Membership.objects.filter(
        person=user, state__in=[MembershipState.ACTIVE, MembershipState.ALUMNI]
    )
    sponsorships = Sponsorship.objects.filter(person=user, ended_on__isnull=True)
    facilitated = Cohort.facilitators.through.objects.filter(user=user)
    return list(
        Meeting.objects.filter(
            Q(cohort_id__in=memberships.values("cohort_id"))
            | Q(cohort_id__in=sponsorships.values("cohort_id"))
            | Q(cohort_id__in=facilitated.values("cohort_id")),
            ends_at__gte=now - CALENDAR_FEED_PAST,
        )
        .select_related("cohort")
        .prefetch_related(Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("topic")))
        .order_by("starts_at", "pk")
    )


def cohort_meetings(cohort: Cohort) -> list[Meeting]:
    """The cohort's meetings with what the list shows (two queries whatever their number)."""
    return list(
        cohort.meetings.annotate(
            coming=Count("rsvps", filter=Q(rsvps__answer=RsvpAnswer.YES), distinct=True),
            present=Count(
                "attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT), distinct=True
            ),
        )
        .prefetch_related(Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("topic")))
        .order_by("starts_at")
    )


@dataclass
class VotePanel:
    """What one person sees of a meeting's vote: never anybody else's choices before the close."""

    meeting: Meeting
    state: str  # "not_open", "open", "closed", "cancelled"
    can_vote: bool
    budget: int
    backlog: list[Topic] = field(default_factory=list)
    my_choices: set[int] = field(default_factory=set)
    results: list = field(default_factory=list)

    @property
    def votes_left(self) -> int:
        return self.budget - len(self.my_choices)


def vote_panel(meeting: Meeting, user) -> VotePanel:
    now = timezone.now()
    if meeting.is_cancelled:
        state = "cancelled"
    elif services.vote_is_closed(meeting, now):
        state = "closed"
    elif services.vote_is_open(meeting, now):
        state = "open"
    else:
        state = "not_open"
    panel = VotePanel(
        meeting=meeting,
        state=state,
        can_vote=permissions.can_vote(user, meeting),
        budget=meeting.cohort.chapter.votes_per_member,
    )
    if state in ("open", "not_open"):
        panel.backlog = list(services.votable_topics(meeting).order_by("created_at", "pk"))
        panel.my_choices = set(
            BallotChoice.objects.filter(ballot__meeting=meeting, ballot__person=user).values_list(
                "topic_id", flat=True
            )
        )
    elif state == "closed":
        panel.results = services.vote_results(meeting, now)
    return panel


@dataclass
class MeetingPage:
    meeting: Meeting
    agenda: list[AgendaItem]
    coming: list[Rsvp]
    not_coming: list[Rsvp]
    my_rsvp: Rsvp | None
    expected: int  # members and current sponsors
    my_actions: list[ActionItem]
    vote: VotePanel
    can_run: bool
    can_answer: bool
    has_started: bool


def meeting_page(meeting: Meeting, user) -> MeetingPage:
    rsvps = list(meeting.rsvps.select_related("person__company").order_by("person__last_name"))
    expected = (
        Membership.objects.filter(cohort_id=meeting.cohort_id, state=MembershipState.ACTIVE).count()
        + Sponsorship.objects.filter(cohort_id=meeting.cohort_id, ended_on__isnull=True).count()
    )
    return MeetingPage(
        meeting=meeting,
        agenda=list(meeting.agenda_items.select_related("topic__theme", "topic__proposed_by")),
        coming=[rsvp for rsvp in rsvps if rsvp.answer == RsvpAnswer.YES],
        not_coming=[rsvp for rsvp in rsvps if rsvp.answer == RsvpAnswer.NO],
        my_rsvp=next((rsvp for rsvp in rsvps if rsvp.person_id == user.pk), None),
        expected=expected,
        my_actions=list(meeting.action_items.filter(person=user)),
        vote=vote_panel(meeting, user),
        can_run=permissions.can_run_meeting(user, meeting),
        can_answer=meeting.ends_at > timezone.now()
        and not meeting.is_cancelled
        and is_expected(meeting, user),
        has_started=meeting.starts_at <= timezone.now(),
    )


def open_topics(cohort: Cohort) -> list[Topic]:
    return list(
        Topic.objects.filter(cohort=cohort, state=TopicState.OPEN)
        .select_related("theme", "proposed_by")
        .order_by("created_at", "pk")
    )


def meeting_members(meeting: Meeting) -> list:
    """The people whose attendance is taken: the cohort's active members."""
    from members.models import User

    return list(
        User.objects.filter(
            memberships__cohort_id=meeting.cohort_id, memberships__state=MembershipState.ACTIVE
        ).order_by("last_name", "first_name")
    )
