"""The demo's meetings: the active cohort's schedule with its past meetings (agenda, minutes,
attendance, a roadmap action) and the next one's vote under way; the closed cohort's two
years, held."""

import datetime

from django.utils import timezone

from demo.data import DEMO_MINUTES, DEMO_TOPICS
from groups.models import Chapter, Cohort
from meetings.enums import AttendanceStatus, TopicState
from meetings.models import ActionItem, AgendaItem, Attendance, Ballot, BallotChoice, ChapterTheme, Topic
from meetings.services import ensure_default_themes, generate_schedule
from members.models import User


def themes(chapter: Chapter) -> None:
    ensure_default_themes(chapter)


def meetings(cohort: Cohort, members: list[User], facilitator: User) -> None:
    """Past meetings with their agenda, minutes and attendance; the next one's vote open,
    the demo member not having voted yet (something to do)."""
    meetings = generate_schedule(cohort)
    themes = {theme.name: theme for theme in ChapterTheme.objects.filter(chapter=cohort.chapter)}
    topics = []
    for index, (title, theme, description) in enumerate(DEMO_TOPICS):
        topic, _ = Topic.objects.get_or_create(
            cohort=cohort,
            title=title,
            defaults={
                "proposed_by": members[(index * 3 + 1) % len(members)],
                "theme": themes[theme],
                "description": description,
            },
        )
        topics.append(topic)
    now = timezone.now()
    past = [meeting for meeting in meetings if meeting.ends_at < now]
    for meeting, topic in zip(past[-3:], topics[:3], strict=False):
        AgendaItem.objects.get_or_create(meeting=meeting, topic=topic)
        Topic.objects.filter(pk=topic.pk).update(state=TopicState.DONE, meeting=meeting)
        if not meeting.minutes:
            meeting.minutes = DEMO_MINUTES % {"topic": topic.title}
            meeting.attendance_taken_at = meeting.ends_at
            meeting.save(update_fields=["minutes", "attendance_taken_at"])
        for position, person in enumerate(members):
            status = (
                AttendanceStatus.EXCUSED
                if position == 3
                else AttendanceStatus.ABSENT
                if position == 5 and meeting == past[-1]
                else AttendanceStatus.PRESENT
            )
            Attendance.objects.get_or_create(meeting=meeting, person=person, defaults={"status": status})
    if past:
        ActionItem.objects.get_or_create(
            meeting=past[-1],
            person=members[0],
            text="Rencontrer deux repreneurs potentiels avant la prochaine réunion",
        )
    upcoming = next((meeting for meeting in meetings if meeting.vote_closes_at > now), None)
    if upcoming is None:
        return
    if upcoming.vote_opens_at > now:  # the demo shows a vote under way, whatever today's date
        upcoming.vote_opens_at = now - datetime.timedelta(days=1)
        upcoming.save(update_fields=["vote_opens_at"])
    open_topics = topics[3:]
    for index, person in enumerate(members[1:7]):
        choice = [open_topics[index % len(open_topics)], open_topics[(index + 2) % len(open_topics)]]
        ballot, _ = Ballot.objects.get_or_create(meeting=upcoming, person=person)
        for topic in choice:
            BallotChoice.objects.get_or_create(ballot=ballot, topic=topic)


def closed_cohort_history(cohort: Cohort, members: list[User]) -> None:
    """The closed cohort's two years of meetings, held, with the attendance taken: the
    demo alumni's end-of-programme certificate has real counts to show."""
    if cohort.meetings.exists():
        return
    meetings = generate_schedule(cohort)
    for number, meeting in enumerate(meetings):
        meeting.minutes = DEMO_MINUTES % {"topic": "les nouvelles de chacun"}
        meeting.attendance_taken_at = meeting.ends_at
        meeting.save(update_fields=["minutes", "attendance_taken_at"])
        Attendance.objects.bulk_create(
            Attendance(
                meeting=meeting,
                person=person,
                status=AttendanceStatus.PRESENT
                if (number + position) % 7
                else AttendanceStatus.EXCUSED
                if position % 2
                else AttendanceStatus.ABSENT,
            )
            for position, person in enumerate(members)
        )
