"""Attendance and minutes after a meeting, and the absence alert (default: 3 in 6 months)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from groups.services.memberships import withdraw_member
from meetings import selectors, services
from meetings.enums import MeetingState, TopicState
from meetings.models import Attendance
from tests import factories
from tests.pages import assert_hides, assert_shows


def past_meeting(cohort, days_ago):
    starts = timezone.now() - datetime.timedelta(days=days_ago)
    return factories.MeetingFactory(cohort=cohort, starts_at=starts)


def record(meeting, statuses, actor):
    services.record_attendance(meeting, statuses, minutes="", actor=actor)


@pytest.fixture
def others(cohort):
    codes = iter(factories.NAF_CODES[1:])
    return [
        factories.MembershipFactory(cohort=cohort, company__naf_code=next(codes)).person for _ in range(2)
    ]


def test_facilitator_records_attendance_minutes_and_the_agenda_is_treated(
    cohort, member, facilitator, others, login
):
    meeting = past_meeting(cohort, 1)
    topic = factories.TopicFactory(cohort=cohort, proposed_by=member, state=TopicState.SCHEDULED)
    meeting.agenda_items.create(topic=topic)
    data = {f"person_{person.pk}": "present" for person in [member, *others]} | {
        f"person_{others[0].pk}": "excused",
        "minutes": "Échange sur la transmission.",
    }

    response = login(facilitator).post(reverse("meetings:attendance", kwargs={"pk": meeting.pk}), data)

    assert response.status_code == 302
    assert dict(meeting.attendances.values_list("person_id", "status"))[others[0].pk] == "excused"
    meeting.refresh_from_db()
    assert meeting.minutes == "Échange sur la transmission."
    topic.refresh_from_db()
    assert (topic.state, topic.meeting) == (TopicState.DONE, meeting)
    # The meeting page now says who came rather than who said they would.
    page = login(member).get(meeting.get_absolute_url())
    assert_shows(page, "Qui était là", f"{len(others)} présents", "Excusés :", str(others[0]))
    assert_hides(page, "Qui vient")


def test_attendance_is_refused_before_the_meeting_and_for_non_facilitators(
    cohort, member, facilitator, others
):
    future = factories.MeetingFactory(cohort=cohort)
    statuses = {person.pk: "present" for person in [member, *others]}

    with pytest.raises(ValidationError):
        record(future, statuses, facilitator)
    with pytest.raises(ValidationError):
        record(past_meeting(cohort, 1), statuses, member)
    assert not Attendance.objects.exists()


def test_attendance_must_name_every_member_and_only_them(cohort, member, facilitator, others, outsider):
    meeting = past_meeting(cohort, 1)

    with pytest.raises(ValidationError):
        record(meeting, {member.pk: "present"}, facilitator)
    with pytest.raises(ValidationError):
        record(meeting, {p.pk: "present" for p in [member, *others, outsider]}, facilitator)


def test_three_misses_in_six_months_raise_the_alert(chapter, cohort, member, facilitator, others):
    for days_ago, status in ((20, "absent"), (50, "excused"), (80, "absent"), (110, "present")):
        meeting = past_meeting(cohort, days_ago)
        record(meeting, {member.pk: status} | {p.pk: "present" for p in others}, facilitator)

    (alert,) = selectors.absence_alerts(cohort)

    assert (alert.person, alert.missed, alert.absent) == (member, 3, 2)


def test_two_misses_or_old_misses_raise_no_alert(chapter, cohort, member, facilitator, others):
    for days_ago, status in ((20, "absent"), (50, "absent"), (250, "absent"), (300, "excused")):
        record(
            past_meeting(cohort, days_ago),
            {member.pk: status} | {p.pk: "present" for p in others},
            facilitator,
        )

    assert selectors.absence_alerts(cohort) == []


def test_the_chapter_sets_the_absence_rule(chapter, cohort, member, facilitator, others):
    chapter.absence_limit, chapter.absence_window_months = 2, 1
    chapter.save()
    for days_ago in (5, 20, 45):
        record(
            past_meeting(cohort, days_ago),
            {member.pk: "absent"} | {p.pk: "present" for p in others},
            facilitator,
        )

    (alert,) = selectors.absence_alerts(cohort)

    assert alert.missed == 2  # the third miss is outside the one-month window


def test_cancelled_meetings_and_former_members_do_not_count(cohort, member, facilitator, others, coordinator):
    meetings = [past_meeting(cohort, days_ago) for days_ago in (20, 50, 80)]
    for meeting in meetings:
        record(meeting, {others[0].pk: "absent", member.pk: "present", others[1].pk: "absent"}, facilitator)
    meetings[0].state = MeetingState.CANCELLED
    meetings[0].save()
    membership = others[1].memberships.get()
    withdraw_member(membership, actor=coordinator, reason="Cession")

    assert selectors.absence_alerts(cohort) == []


def test_the_facilitator_sees_the_alert_and_members_do_not(cohort, member, facilitator, others, login):
    for days_ago in (20, 50, 80):
        record(
            past_meeting(cohort, days_ago),
            {member.pk: "absent"} | {p.pk: "present" for p in others},
            facilitator,
        )
    url = reverse("meetings:cohort_meetings", kwargs={"pk": cohort.pk})

    staff_page = login(facilitator).get(url)
    member_page = login(member).get(url)

    assert 'id="absence-title"' in staff_page.content.decode()
    assert_shows(staff_page, str(member))
    assert_hides(member_page, "absence-title")
