"""Writes about meetings: the schedule, topics, votes and agendas.

The vote of a meeting opens when the previous meeting ends and closes a set number
of days before it (chapter settings). Results exist only after the close: every
function that reveals them checks the clock itself, so no page can show them early.
RSVPs are in meetings.rsvp.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from groups.enums import CohortState, MembershipState
from groups.models import Chapter, Cohort, Membership
from meetings import notifications, permissions
from meetings.enums import (
    DEFAULT_THEMES,
    AttendanceStatus,
    MeetingState,
    NotificationKind,
    TopicState,
    VenueKind,
)
from meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Ballot,
    BallotChoice,
    ChapterTheme,
    Meeting,
    MeetingDocument,
    Topic,
)
from members.models import User

MAX_AGENDA_TOPICS = 2
FIRST_VOTE_DAYS = 28  # the first meeting has no previous one: its vote opens four weeks before it closes


def ensure_default_themes(chapter: Chapter) -> None:
    """A new chapter starts with the usual catalogue of themes."""
    for position, name in enumerate(DEFAULT_THEMES):
        ChapterTheme.objects.get_or_create(chapter=chapter, name=name, defaults={"position": position})


# The schedule -------------------------------------------------------------------------


def _local(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    day = first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    while day.month != month:  # a 5th weekday that does not exist: the last one
        day -= datetime.timedelta(days=7)
    return day


def meeting_days(chapter: Chapter, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """One morning a month from `start` to `end`: the same weekday and rank in the month as
    the first meeting (the 2nd Tuesday…), never in a month off, moved a week off a public holiday."""
    nth = (start.day - 1) // 7 + 1
    french_holidays = holidays.country_holidays("FR", years=range(start.year, end.year + 2))
    months_off = set(chapter.months_off or [])
    days, year, month = [], start.year, start.month
    while True:
        if month not in months_off:
            day = _nth_weekday(year, month, chapter.meeting_weekday, nth)
            for shift in (7, -7, 14, -14):
                if day not in french_holidays:
                    break
                moved = day + datetime.timedelta(days=shift)
                if moved.month == month and moved not in french_holidays:
                    day = moved
                    break
            if day > end:
                break
            if day >= start and day not in french_holidays:
                days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        if datetime.date(year, month, 1) > end:
            break
    return days


def vote_window(
    chapter: Chapter, starts_at: datetime.datetime, previous_ends_at: datetime.datetime | None
) -> tuple[datetime.datetime, datetime.datetime]:
    """Opens when the previous meeting ends, closes `vote_close_days` before this one."""
    closes_at = starts_at - datetime.timedelta(days=chapter.vote_close_days)
    if closes_at >= starts_at:
        closes_at = starts_at - datetime.timedelta(hours=1)
    opens_at = previous_ends_at or closes_at - datetime.timedelta(days=FIRST_VOTE_DAYS)
    if opens_at >= closes_at:  # meetings closer than the closing delay: a one-day vote
        opens_at = closes_at - datetime.timedelta(days=1)
    return opens_at, closes_at


@transaction.atomic
def generate_schedule(cohort: Cohort, *, actor=None) -> list[Meeting]:
    """The cohort's meetings for its two years, from the chapter's settings. Idempotent:
    a cohort that already has meetings keeps them."""
    if cohort.start_date is None or cohort.end_date is None:
        raise ValidationError(_("Set the cohort's start date before generating its meetings."))
    if cohort.meetings.exists():
        return list(cohort.meetings.all())
    chapter = Chapter.objects.get(pk=cohort.chapter_id)  # its settings as stored, not as an object in memory
    meetings, previous_end = [], None
    for day in meeting_days(chapter, cohort.start_date, cohort.end_date):
        starts_at = _local(day, chapter.meeting_start_time)
        ends_at = _local(day, chapter.meeting_end_time)
        opens_at, closes_at = vote_window(chapter, starts_at, previous_end)
        meetings.append(
            Meeting(
                cohort=cohort,
                starts_at=starts_at,
                ends_at=ends_at,
                venue_kind=VenueKind.CCI,
                venue_name=chapter.cci_name,
                venue_address=chapter.issuer_address,
                venue_postcode=chapter.issuer_postcode,
                venue_town=chapter.issuer_town,
                vote_opens_at=opens_at,
                vote_closes_at=closes_at,
            )
        )
        previous_end = ends_at
    return Meeting.objects.bulk_create(meetings)


# Topics ---------------------------------------------------------------------------------


@transaction.atomic
def propose_topic(cohort: Cohort, *, person, title: str, description: str, theme: ChapterTheme) -> Topic:
    """A member adds a topic to the cohort's backlog."""
    if cohort.state != CohortState.ACTIVE:
        raise ValidationError(_("Topics are proposed in an active cohort."))
    if not permissions.is_active_member(person, cohort.pk):
        raise ValidationError(_("Only the cohort's members propose topics."))
    if theme.chapter_id != cohort.chapter_id:
        raise ValidationError({"theme": _("Choose a theme of the list.")})
    topic = Topic(
        cohort=cohort, proposed_by=person, title=title.strip(), description=description.strip(), theme=theme
    )
    topic.full_clean()
    topic.save()
    return topic


# Votes ----------------------------------------------------------------------------------


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


@transaction.atomic
def cast_votes(meeting: Meeting, person, topics: list[Topic]) -> Ballot:
    """Replace the member's ballot for the meeting by `topics` (distinct, within the budget).

    One ballot per member and meeting whatever happens: the unique constraint decides a
    race between two first ballots, and the ballot row is locked while its choices change.
    """
    meeting = Meeting.objects.select_related("cohort__chapter").get(pk=meeting.pk)
    if not permissions.can_vote(person, meeting):
        raise ValidationError(_("Only the cohort's members vote; sponsors and facilitators do not."))
    if not vote_is_open(meeting):
        if vote_is_closed(meeting):
            raise ValidationError(_("The vote is closed."))
        raise ValidationError(_("The vote for this meeting is not open yet."))
    budget = meeting.cohort.chapter.votes_per_member
    ids = [topic.pk for topic in topics]
    if len(set(ids)) != len(ids):
        raise ValidationError(_("Each vote goes to a different topic."))
    if len(ids) > budget:
        raise ValidationError(
            ngettext("You have %(budget)d vote.", "You have %(budget)d votes.", budget) % {"budget": budget}
            + " "
            + _("Remove a vote before giving another.")
        )
    allowed = set(votable_topics(meeting).filter(pk__in=ids).values_list("pk", flat=True))
    if allowed != set(ids):
        raise ValidationError(_("A topic is no longer open to the vote: reload the page."))
    ballot = _locked_ballot(meeting, person)
    ballot.choices.all().delete()
    BallotChoice.objects.bulk_create(BallotChoice(ballot=ballot, topic_id=pk) for pk in ids)
    ballot.save(update_fields=["updated_at"])
    return ballot


def _locked_ballot(meeting: Meeting, person) -> Ballot:
    """The member's ballot for the meeting, created if need be, locked until the transaction ends.

    The unique constraint decides a race between two first ballots; the row lock then
    queues whoever changes its choices."""
    try:
        with transaction.atomic():
            ballot, _created = Ballot.objects.get_or_create(meeting=meeting, person=person)
    except IntegrityError:
        ballot = Ballot.objects.get(meeting=meeting, person=person)
    return Ballot.objects.select_for_update().get(pk=ballot.pk)


@transaction.atomic
def toggle_vote(meeting: Meeting, person, topic: Topic) -> Ballot:
    """Add the topic to the member's ballot, or take it off (the phone's one-tap vote).

    The ballot is read under its lock: three taps at once are three changes one after
    the other, never three reads of the same ballot each writing back one choice. A
    refusal (budget, closed vote, not a member) rolls back the ballot created here."""
    ballot = _locked_ballot(meeting, person)
    current = list(ballot.choices.values_list("topic_id", flat=True))
    chosen = [pk for pk in current if pk != topic.pk] if topic.pk in current else [*current, topic.pk]
    return cast_votes(meeting, person, list(Topic.objects.filter(pk__in=chosen)))


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


@transaction.atomic
def confirm_agenda(meeting: Meeting, topics: list[Topic], *, actor) -> Meeting:
    """The facilitator puts 1 or 2 topics on the agenda, after the vote's close."""
    meeting = Meeting.objects.select_for_update().select_related("cohort__chapter").get(pk=meeting.pk)
    if not permissions.can_run_meeting(actor, meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator sets the agenda."))
    if not vote_is_closed(meeting):
        raise ValidationError(_("The agenda is set after the vote's close."))
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."))
    if not 1 <= len(topics) <= MAX_AGENDA_TOPICS:
        raise ValidationError(_("Choose one or two topics for the agenda."))
    if any(topic.cohort_id != meeting.cohort_id or topic.state != TopicState.OPEN for topic in topics):
        raise ValidationError(_("Choose topics of the cohort's backlog."))
    for item in meeting.agenda_items.select_related("topic"):
        Topic.objects.filter(pk=item.topic_id, state=TopicState.SCHEDULED).update(state=TopicState.OPEN)
    meeting.agenda_items.all().delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, topic=topic, position=position) for position, topic in enumerate(topics)
    )
    Topic.objects.filter(pk__in=[topic.pk for topic in topics]).update(state=TopicState.SCHEDULED)
    meeting.agenda_confirmed_at = timezone.now()
    meeting.urgent_reason = ""
    meeting.save(update_fields=["agenda_confirmed_at", "urgent_reason", "updated_at"])
    return meeting


@transaction.atomic
def set_urgent_topic(meeting: Meeting, *, reason: str, actor) -> Meeting:
    """A member's urgent problem takes the meeting: the agenda's topics go back to the
    backlog for the next votes, the reason is kept on the meeting, and everyone the
    meeting concerns is told by e-mail (after the commit)."""
    meeting = Meeting.objects.select_for_update().select_related("cohort__chapter").get(pk=meeting.pk)
    if not permissions.can_run_meeting(actor, meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator sets the agenda."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the urgent problem is about: the members are told.")})
    if meeting.ends_at <= timezone.now():
        raise ValidationError(_("This meeting is over."))
    topic_ids = list(meeting.agenda_items.values_list("topic_id", flat=True))
    Topic.objects.filter(pk__in=topic_ids, state=TopicState.SCHEDULED).update(state=TopicState.OPEN)
    meeting.agenda_items.all().delete()
    meeting.urgent_reason = reason.strip()
    meeting.agenda_confirmed_at = timezone.now()
    meeting.save(update_fields=["urgent_reason", "agenda_confirmed_at", "updated_at"])
    notifications.notify_participants(meeting, NotificationKind.URGENT_TOPIC, revision=meeting.sequence)
    return meeting


@transaction.atomic
def mark_agenda_treated(meeting: Meeting, *, actor) -> None:
    """After the meeting, its agenda's topics are done, with the meeting that treated them."""
    if not permissions.can_run_meeting(actor, meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator records the meeting."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("The meeting has not taken place yet."))
    Topic.objects.filter(agenda_items__meeting=meeting, state=TopicState.SCHEDULED).update(
        state=TopicState.DONE, meeting=meeting
    )


@transaction.atomic
def record_attendance(meeting: Meeting, statuses: dict[int, str], *, minutes: str, actor) -> Meeting:
    """After the meeting, the facilitator records who came (present, excused, absent) and the
    minutes; the agenda's topics are then treated. Recording again corrects the record.
    Members over the chapter's absence limit who missed this meeting are reported to
    the cohort's facilitators by e-mail, once per meeting."""
    meeting = Meeting.objects.select_for_update().select_related("cohort__chapter").get(pk=meeting.pk)
    if not permissions.can_run_meeting(actor, meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator records the meeting."))
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("The meeting has not taken place yet."))
    expected = set(
        Membership.objects.filter(cohort_id=meeting.cohort_id, state=MembershipState.ACTIVE).values_list(
            "person_id", flat=True
        )
    )
    if set(statuses) != expected:
        raise ValidationError(_("Record every member of the cohort, and only them."))
    valid = set(AttendanceStatus.values)
    if any(status not in valid for status in statuses.values()):
        raise ValidationError(_("Choose present, excused or absent for each member."))
    for person_id, status in statuses.items():
        Attendance.objects.update_or_create(meeting=meeting, person_id=person_id, defaults={"status": status})
    meeting.minutes = minutes.strip()
    meeting.attendance_taken_at = timezone.now()
    meeting.save(update_fields=["minutes", "attendance_taken_at", "updated_at"])
    mark_agenda_treated(meeting, actor=actor)
    notifications.notify_absences(meeting, absence_alerts(meeting.cohort))
    return meeting


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


# Changing the schedule ------------------------------------------------------------------
#
# add_meeting, move_meeting and cancel_meeting are the only writes of a meeting's date,
# place and state: whatever must follow such a change (calendars, e-mails) hangs on them.


def _refuse_if_started(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."))
    if meeting.starts_at <= timezone.now():
        raise ValidationError(_("This meeting has started: it can no longer be changed or cancelled."))


def _check_times(
    cohort_id: int, starts_at: datetime.datetime, ends_at: datetime.datetime, *, exclude_pk=None
) -> None:
    """A meeting ends after it starts, in the future, and not during another of the cohort's."""
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("A meeting ends after it starts.")})
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Choose a date and time in the future.")})
    overlapping = (
        Meeting.objects.filter(
            cohort_id=cohort_id,
            state=MeetingState.SCHEDULED,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        )
        .exclude(pk=exclude_pk)
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "starts_at": _("The cohort already has a meeting at that time, on %(date)s.")
                % {"date": date_format(timezone.localtime(overlapping.starts_at), "j F Y")}
            }
        )


def _previous_end(cohort_id: int, starts_at: datetime.datetime, *, exclude_pk=None):
    previous = (
        Meeting.objects.filter(cohort_id=cohort_id, starts_at__lt=starts_at, state=MeetingState.SCHEDULED)
        .exclude(pk=exclude_pk)
        .order_by("-starts_at")
        .first()
    )
    return previous.ends_at if previous else None


def _follow_on(meeting: Meeting) -> None:
    """The next meeting's vote opens when this one ends: a vote opening earlier is recomputed
    (a vote already closed is left alone: its agenda may be set)."""
    following = (
        Meeting.objects.select_for_update()
        .filter(cohort_id=meeting.cohort_id, state=MeetingState.SCHEDULED, starts_at__gt=meeting.starts_at)
        .exclude(pk=meeting.pk)
        .order_by("starts_at")
        .first()
    )
    if following is None or following.vote_opens_at >= meeting.ends_at:
        return
    if following.vote_closes_at <= timezone.now():
        return
    following.vote_opens_at, following.vote_closes_at = vote_window(
        meeting.cohort.chapter, following.starts_at, meeting.ends_at
    )
    following.save(update_fields=["vote_opens_at", "vote_closes_at", "updated_at"])


@transaction.atomic
def add_meeting(
    cohort: Cohort,
    *,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    venue_kind: str,
    venue_name: str = "",
    venue_address: str = "",
    venue_postcode: str = "",
    venue_town: str = "",
    speaker_name: str = "",
    speaker_organisation: str = "",
    speaker_subject: str = "",
    actor,
) -> Meeting:
    """One more meeting in a forming or active cohort's schedule. Its vote opens when the
    previous meeting ends; the next meeting's vote then opens when this one ends. Everyone
    the cohort's meetings concern gets it by e-mail with its .ics (after the commit)."""
    cohort = Cohort.objects.select_for_update().select_related("chapter").get(pk=cohort.pk)
    if not permissions.can_run_meetings_of(actor, cohort):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator changes its meetings."))
    if cohort.state not in (CohortState.FORMING, CohortState.ACTIVE):
        raise ValidationError(_("This cohort is closed: no meeting can be added."))
    _check_times(cohort.pk, starts_at, ends_at)
    opens_at, closes_at = vote_window(cohort.chapter, starts_at, _previous_end(cohort.pk, starts_at))
    meeting = Meeting(
        cohort=cohort,
        starts_at=starts_at,
        ends_at=ends_at,
        venue_kind=venue_kind,
        venue_name=venue_name.strip(),
        venue_address=venue_address.strip(),
        venue_postcode=venue_postcode.strip(),
        venue_town=venue_town.strip(),
        speaker_name=speaker_name.strip(),
        speaker_organisation=speaker_organisation.strip(),
        speaker_subject=speaker_subject.strip(),
        vote_opens_at=opens_at,
        vote_closes_at=closes_at,
    )
    meeting.full_clean()
    meeting.save()
    _follow_on(meeting)
    notifications.notify_participants(meeting, NotificationKind.MEETING_ADDED, revision=meeting.sequence)
    return meeting


@transaction.atomic
def move_meeting(
    meeting: Meeting,
    *,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    venue_kind: str,
    venue_name: str,
    venue_address: str,
    venue_postcode: str,
    venue_town: str,
    actor,
) -> Meeting:
    """A new date or place for a meeting that has not started: its vote window follows (and
    the next meeting's if this one now ends after it opens), its calendar SEQUENCE rises,
    and everyone it concerns gets the new date by e-mail with the updated .ics. A new day
    clears the answers given for the old one."""
    # The cohort's row first, as add_meeting does: two changes at once cannot both pass
    # the overlap check.
    Cohort.objects.select_for_update().filter(pk=meeting.cohort_id).first()
    meeting = Meeting.objects.select_for_update().select_related("cohort__chapter").get(pk=meeting.pk)
    if not permissions.can_run_meeting(actor, meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator changes a meeting."))
    _refuse_if_started(meeting)
    _check_times(meeting.cohort_id, starts_at, ends_at, exclude_pk=meeting.pk)
    if timezone.localdate(starts_at) != timezone.localdate(meeting.starts_at):
        # Who comes on the old day says nothing of the new one: the notice asks again.
        meeting.rsvps.all().delete()
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.vote_opens_at, meeting.vote_closes_at = vote_window(
        meeting.cohort.chapter, starts_at, _previous_end(meeting.cohort_id, starts_at, exclude_pk=meeting.pk)
    )
    meeting.venue_kind, meeting.venue_name = venue_kind, venue_name.strip()
    meeting.venue_address, meeting.venue_postcode = venue_address.strip(), venue_postcode.strip()
    meeting.venue_town = venue_town.strip()
    meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    _follow_on(meeting)
    notifications.notify_participants(meeting, NotificationKind.MEETING_MOVED, revision=meeting.sequence)
    return meeting


@transaction.atomic
def update_speaker(
    meeting: Meeting, *, speaker_name: str, speaker_organisation: str, speaker_subject: str, actor
) -> Meeting:
    """The meeting's external speaker (empty: none). Calendars do not carry the speaker, so
    the SEQUENCE stays as it is."""
    meeting = Meeting.objects.select_for_update().select_related("cohort__chapter").get(pk=meeting.pk)
    if not permissions.can_run_meeting(actor, meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator changes a meeting."))
    _refuse_if_started(meeting)
    meeting.speaker_name = speaker_name.strip()
    meeting.speaker_organisation = speaker_organisation.strip()
    meeting.speaker_subject = speaker_subject.strip()
    meeting.full_clean()
    meeting.save(update_fields=["speaker_name", "speaker_organisation", "speaker_subject", "updated_at"])
    return meeting


PLACE_FIELDS = ("venue_kind", "venue_name", "venue_address", "venue_postcode", "venue_town")
SPEAKER_FIELDS = ("speaker_name", "speaker_organisation", "speaker_subject")


@transaction.atomic
def change_meeting(meeting: Meeting, *, actor, **values) -> Meeting:
    """The edit page's one call: `move_meeting` when the date or place changed, `update_speaker`
    when the speaker did, nothing when nothing did. `values`: starts_at, ends_at, the
    PLACE_FIELDS and the SPEAKER_FIELDS."""
    meeting = Meeting.objects.select_related("cohort__chapter").get(pk=meeting.pk)
    if not permissions.can_run_meeting(actor, meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator changes a meeting."))
    _refuse_if_started(meeting)
    when_and_where = ("starts_at", "ends_at", *PLACE_FIELDS)
    if any(_cleaned(values[name]) != getattr(meeting, name) for name in when_and_where):
        meeting = move_meeting(meeting, actor=actor, **{name: values[name] for name in when_and_where})
    if any(_cleaned(values[name]) != getattr(meeting, name) for name in SPEAKER_FIELDS):
        meeting = update_speaker(meeting, actor=actor, **{name: values[name] for name in SPEAKER_FIELDS})
    return meeting


def _cleaned(value):
    return value.strip() if isinstance(value, str) else value


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, reason: str, actor) -> Meeting:
    """The meeting will not take place; its agenda's topics go back to the backlog and
    everyone it concerns is told, with the .ics that removes it from their calendar."""
    meeting = Meeting.objects.select_for_update().select_related("cohort__chapter").get(pk=meeting.pk)
    if not permissions.can_run_meeting(actor, meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator changes a meeting."))
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is already cancelled."))
    _refuse_if_started(meeting)
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Say why the meeting is cancelled: it is shown on the meeting page.")}
        )
    Topic.objects.filter(agenda_items__meeting=meeting, state=TopicState.SCHEDULED).update(
        state=TopicState.OPEN
    )
    meeting.agenda_items.all().delete()
    meeting.state = MeetingState.CANCELLED
    meeting.cancel_reason = reason.strip()
    meeting.sequence += 1
    meeting.save(update_fields=["state", "cancel_reason", "sequence", "updated_at"])
    notifications.notify_participants(meeting, NotificationKind.MEETING_CANCELLED, revision=meeting.sequence)
    return meeting


# Documents ------------------------------------------------------------------------------


@transaction.atomic
def add_document(meeting: Meeting, *, title: str, file, actor) -> MeetingDocument:
    """A file for the meeting's participants (its type and size are checked by the model's
    validators); the title defaults to the file's name."""
    meeting = Meeting.objects.select_related("cohort__chapter").get(pk=meeting.pk)
    if not permissions.can_run_meeting(actor, meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator shares documents."))
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."))
    title = title.strip() or file.name.rsplit("/", 1)[-1].rsplit(".", 1)[0][:150]
    document = MeetingDocument(meeting=meeting, title=title, file=file, uploaded_by=actor)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def delete_document(document: MeetingDocument, *, actor) -> None:
    """The row goes now; the file goes once the deletion is committed."""
    if not permissions.can_run_meeting(actor, document.meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator removes documents."))
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


# The members' roadmap ------------------------------------------------------------------


@transaction.atomic
def add_action_item(meeting: Meeting, *, person, text: str, actor) -> ActionItem:
    """After a meeting, the facilitator writes down a step a member committed to."""
    if not permissions.can_run_meeting(actor, meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator records the roadmap."))
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("The meeting has not taken place yet."))
    if not permissions.is_active_member(person, meeting.cohort_id):
        raise ValidationError({"person": _("Choose a member of the cohort.")})
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": _("Write the action down.")})
    item = ActionItem(meeting=meeting, person=person, text=text)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def add_action_items(meeting: Meeting, *, person, texts: list[str], actor) -> list[ActionItem]:
    """Several actions for one member at once (one line each): all of them, or none."""
    return [add_action_item(meeting, person=person, text=text, actor=actor) for text in texts]


def set_action_item_done(item: ActionItem, *, done: bool, actor) -> ActionItem:
    """The member ticks their action (or unticks it); the cohort's staff may too."""
    if item.person_id != actor.pk and not permissions.can_run_meeting(actor, item.meeting):
        raise ValidationError(_("Only the member or the cohort's facilitator ticks an action."))
    item.done = done
    item.save(update_fields=["done"])
    return item


def delete_action_item(item: ActionItem, *, actor) -> None:
    if not permissions.can_run_meeting(actor, item.meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator records the roadmap."))
    item.delete()
