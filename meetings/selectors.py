"""Reads about meetings, scoped and with a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.enums import MembershipState
from groups.models import Cohort, Membership, Sponsorship
from meetings import permissions
from meetings.enums import AttendanceStatus, MeetingState, RsvpAnswer, TopicState
from meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    BallotChoice,
    Meeting,
    MeetingDocument,
    Rsvp,
    Topic,
)
from meetings.rsvp import is_expected
from members.models import User

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
    elif vote_is_closed(meeting, now):
        state = "closed"
    elif vote_is_open(meeting, now):
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
        panel.backlog = list(votable_topics(meeting).order_by("created_at", "pk"))
        panel.my_choices = set(
            BallotChoice.objects.filter(ballot__meeting=meeting, ballot__person=user).values_list(
                "topic_id", flat=True
            )
        )
    elif state == "closed":
        panel.results = vote_results(meeting, now)
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
    documents: list[MeetingDocument]
    vote: VotePanel
    can_run: bool
    can_answer: bool
    has_started: bool
    # Once the facilitator took the attendance: who was there, excused, absent.
    present: list = field(default_factory=list)
    excused: list = field(default_factory=list)
    absent: list = field(default_factory=list)

    @property
    def can_change(self) -> bool:
        """Date, place, speaker, cancellation: before the meeting starts."""
        return self.can_run and not self.meeting.is_cancelled and not self.has_started


def meeting_page(meeting: Meeting, user) -> MeetingPage:
    rsvps = list(meeting.rsvps.select_related("person__company").order_by("person__last_name"))
    can_run = permissions.can_run_meeting(user, meeting)
    if not can_run:
        # RSVP comments are written « for the facilitator »: those who run the meeting read
        # them (not the cohort, its sponsors or the chapter's other facilitators), and their
        # author. The others' are blanked here, so that no template can show them. These
        # rows are never saved.
        for answer in rsvps:
            if answer.person_id != user.pk:
                answer.comment = ""
    expected = (
        Membership.objects.filter(cohort_id=meeting.cohort_id, state=MembershipState.ACTIVE).count()
        + Sponsorship.objects.filter(cohort_id=meeting.cohort_id, ended_on__isnull=True).count()
    )
    attendance: dict[str, list] = {status: [] for status in AttendanceStatus.values}
    if meeting.attendance_taken_at:
        for row in meeting.attendances.select_related("person").order_by("person__last_name"):
            attendance[row.status].append(row.person)
    return MeetingPage(
        meeting=meeting,
        present=attendance[AttendanceStatus.PRESENT],
        excused=attendance[AttendanceStatus.EXCUSED],
        absent=attendance[AttendanceStatus.ABSENT],
        agenda=list(meeting.agenda_items.select_related("topic__theme", "topic__proposed_by")),
        coming=[rsvp for rsvp in rsvps if rsvp.answer == RsvpAnswer.YES],
        not_coming=[rsvp for rsvp in rsvps if rsvp.answer == RsvpAnswer.NO],
        my_rsvp=next((rsvp for rsvp in rsvps if rsvp.person_id == user.pk), None),
        expected=expected,
        my_actions=list(meeting.action_items.filter(person=user)),
        documents=list(meeting.documents.all()),
        vote=vote_panel(meeting, user),
        can_run=can_run,
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
    return list(meeting_member_choices(meeting))


def meeting_member_choices(meeting: Meeting) -> QuerySet:
    """The same, as a queryset for a form's choice of member."""
    from members.models import User

    return User.objects.filter(
        memberships__cohort_id=meeting.cohort_id, memberships__state=MembershipState.ACTIVE
    ).order_by("last_name", "first_name")


# The members' roadmap ------------------------------------------------------------------


@dataclass
class RoadmapGroup:
    meeting: Meeting
    items: list[ActionItem]


def _grouped_by_meeting(items) -> list[RoadmapGroup]:
    groups: list[RoadmapGroup] = []
    for item in items:
        if not groups or groups[-1].meeting.pk != item.meeting_id:
            groups.append(RoadmapGroup(meeting=item.meeting, items=[]))
        groups[-1].items.append(item)
    return groups


def my_roadmap(user) -> list[RoadmapGroup]:
    """A person's action items by meeting, the latest meeting first (one query)."""
    items = (
        ActionItem.objects.filter(person=user)
        .select_related("meeting__cohort")
        .order_by("-meeting__starts_at", "meeting_id", "created_at", "pk")
    )
    return _grouped_by_meeting(items)


def open_action_count(user) -> int:
    return ActionItem.objects.filter(person=user, done=False).count()


@dataclass
class MemberRoadmap:
    person: object
    items: list[ActionItem]


def meeting_roadmap(meeting: Meeting) -> list[MemberRoadmap]:
    """A meeting's action items by member, for its staff: every current member, then anybody
    who has items but left the cohort since (two queries)."""
    items = list(meeting.action_items.select_related("person").order_by("created_at", "pk"))
    by_person: dict[int, list[ActionItem]] = {}
    for item in items:
        by_person.setdefault(item.person_id, []).append(item)
    members = meeting_members(meeting)
    roadmaps = [MemberRoadmap(person=person, items=by_person.pop(person.pk, [])) for person in members]
    former = {item.person_id: item.person for item in items if item.person_id in by_person}
    roadmaps += [MemberRoadmap(person=former[pk], items=rows) for pk, rows in by_person.items()]
    return roadmaps


@dataclass
class NextMeeting:
    """A cohort's next meeting as one participant sees it on their home page: what to do."""

    meeting: Meeting
    rsvp: Rsvp | None
    can_vote: bool  # a member, while the vote is open
    votes_left: int
    is_next: bool = True  # False: a later meeting, shown for its open vote


def next_meetings_for(user) -> list[NextMeeting]:
    """The next meeting of each cohort the user takes part in now (member or current sponsor),
    and for members any later one whose vote is open, with their answer and votes left
    (five queries whatever the number of cohorts and meetings)."""
    now = timezone.now()
    member_of = set(
        Membership.objects.filter(person=user, state=MembershipState.ACTIVE).values_list(
            "cohort_id", flat=True
        )
    )
    sponsor_of = set(
        Sponsorship.objects.filter(person=user, ended_on__isnull=True).values_list("cohort_id", flat=True)
    )
    meetings, seen, later = [], set(), set()
    for meeting in (
        Meeting.objects.filter(
            cohort_id__in=member_of | sponsor_of, state=MeetingState.SCHEDULED, ends_at__gt=now
        )
        .select_related("cohort__chapter")
        .order_by("starts_at")
    ):
        # The cohort's next meeting, and a later one whose vote a member can cast already.
        if meeting.cohort_id not in seen or (meeting.cohort_id in member_of and vote_is_open(meeting, now)):
            if meeting.cohort_id in seen:
                later.add(meeting.pk)
            meetings.append(meeting)
            seen.add(meeting.cohort_id)
    if not meetings:
        return []
    rsvps = {rsvp.meeting_id: rsvp for rsvp in Rsvp.objects.filter(person=user, meeting__in=meetings)}
    used = dict(
        BallotChoice.objects.filter(ballot__person=user, ballot__meeting__in=meetings)
        .values_list("ballot__meeting_id")
        .annotate(count=Count("pk"))
        .values_list("ballot__meeting_id", "count")
    )
    result = []
    for meeting in meetings:
        voting = meeting.cohort_id in member_of and vote_is_open(meeting, now)
        budget = meeting.cohort.chapter.votes_per_member
        result.append(
            NextMeeting(
                meeting=meeting,
                rsvp=rsvps.get(meeting.pk),
                can_vote=voting,
                votes_left=max(budget - used.get(meeting.pk, 0), 0) if voting else 0,
                is_next=meeting.pk not in later,
            )
        )
    return result


# Votes and absences ----------------------------------------------------------------------


def vote_is_open(meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return meeting.state == MeetingState.SCHEDULED and meeting.vote_opens_at <= now < meeting.vote_closes_at


def vote_is_closed(meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) >= meeting.vote_closes_at


def votable_topics(meeting: Meeting):
    """The cohort's backlog: every open topic, whatever meeting it was proposed for (carry-over)."""
    return Topic.objects.filter(cohort_id=meeting.cohort_id, state=TopicState.OPEN).select_related(
        "theme", "proposed_by"
    )


@dataclass(frozen=True)
class Result:
    topic: Topic
    voters: int
    theme_new: bool  # the cohort has not treated this theme yet
    rank: int
    tie_break: str  # empty, or why it comes before the next topic with as many voters


def vote_results(meeting: Meeting, now: datetime.datetime | None = None) -> list[Result]:
    """The ranked topics, deterministic: most distinct voters, then a theme the cohort has
    not covered yet, then the oldest proposal. Refused before the close, as every service
    refuses: a ValidationError, which views show as a message."""
    if not vote_is_closed(meeting, now):
        raise ValidationError(_("The results of the vote are known once it closes."))
    topics = list(
        Topic.objects.filter(cohort_id=meeting.cohort_id)
        .filter(state__in=[TopicState.OPEN, TopicState.SCHEDULED])
        .select_related("theme", "proposed_by")
    )
    # One choice per ballot and topic (unique constraint): choices counted are distinct voters.
    voters = dict(
        BallotChoice.objects.filter(ballot__meeting=meeting)
        .values_list("topic_id")
        .annotate(voters=Count("pk"))
        .order_by()
    )
    covered = set(
        Topic.objects.filter(cohort_id=meeting.cohort_id, state=TopicState.DONE).values_list(
            "theme_id", flat=True
        )
    )
    ranked = sorted(
        (topic for topic in topics if voters.get(topic.pk)),
        key=lambda topic: (-voters[topic.pk], topic.theme_id in covered, topic.created_at, topic.pk),
    )
    results = []
    for index, topic in enumerate(ranked):
        tie_break = ""
        following = ranked[index + 1] if index + 1 < len(ranked) else None
        if following is not None and voters[following.pk] == voters[topic.pk]:
            if (topic.theme_id in covered) != (following.theme_id in covered):
                tie_break = _("same number of voters: its theme has not been covered yet")
            else:
                tie_break = _("same number of voters: proposed earlier")
        results.append(
            Result(
                topic=topic,
                voters=voters[topic.pk],
                theme_new=topic.theme_id not in covered,
                rank=index + 1,
                tie_break=tie_break,
            )
        )
    return results


@dataclass(frozen=True)
class AbsenceAlert:
    person: object
    missed: int  # meetings held in the window that the member did not attend (absent or excused)
    absent: int  # of which without apology


def absence_alerts(cohort: Cohort, now: datetime.datetime | None = None) -> list[AbsenceAlert]:
    """Members who missed at least the chapter's limit of meetings in its rolling window
    (default: 3 in 6 months), counting only meetings whose attendance was taken."""
    now = now or timezone.now()
    chapter = cohort.chapter
    since = now - datetime.timedelta(days=round(30.44 * chapter.absence_window_months))
    rows = (
        Attendance.objects.filter(
            meeting__cohort=cohort,
            meeting__starts_at__gte=since,
            meeting__starts_at__lte=now,
            meeting__state=MeetingState.SCHEDULED,
            person__memberships__cohort=cohort,
            person__memberships__state=MembershipState.ACTIVE,
        )
        .exclude(status=AttendanceStatus.PRESENT)
        .values_list("person_id", "status")
    )
    missed: dict[int, list[str]] = {}
    for person_id, status in rows:
        missed.setdefault(person_id, []).append(status)
    flagged = {pk: statuses for pk, statuses in missed.items() if len(statuses) >= chapter.absence_limit}
    people = {person.pk: person for person in User.objects.filter(pk__in=flagged).order_by("last_name")}
    return [
        AbsenceAlert(
            person=people[pk],
            missed=len(statuses),
            absent=sum(1 for status in statuses if status == AttendanceStatus.ABSENT),
        )
        for pk, statuses in sorted(
            flagged.items(), key=lambda item: (-len(item[1]), people[item[0]].last_name)
        )
    ]
