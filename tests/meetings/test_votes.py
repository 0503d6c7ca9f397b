"""The vote: budget and distinct topics server-side, one ballot per member, results only
after the close, deterministic tie-breaks, carry-over, the urgent topic, the schedule."""

import datetime
import itertools
import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from groups import services as group_services
from groups.enums import CohortState
from meetings import schedule, selectors, services
from meetings.enums import TopicState
from meetings.models import Ballot, BallotChoice, Meeting, Topic
from tests import factories


def members_of(cohort, count):
    codes = iter(factories.NAF_CODES[1:])
    return [
        factories.MembershipFactory(cohort=cohort, company__naf_code=next(codes)).person for _ in range(count)
    ]


def chosen(meeting, person):
    return set(
        BallotChoice.objects.filter(ballot__meeting=meeting, ballot__person=person).values_list(
            "topic_id", flat=True
        )
    )


# --- Budget and distinct topics ------------------------------------------------------------


def test_a_member_spreads_votes_within_the_budget(meeting, member, topics):
    services.cast_votes(meeting, member, topics[:3])

    assert chosen(meeting, member) == {topic.pk for topic in topics[:3]}


def test_a_fourth_vote_is_refused_and_the_ballot_kept(meeting, member, topics):
    services.cast_votes(meeting, member, topics[:3])

    with pytest.raises(ValidationError):
        services.cast_votes(meeting, member, topics[:4])

    assert chosen(meeting, member) == {topic.pk for topic in topics[:3]}


def test_two_votes_for_one_topic_are_refused(meeting, member, topics):
    with pytest.raises(ValidationError):
        services.cast_votes(meeting, member, [topics[0], topics[0]])

    assert not Ballot.objects.exists()


def test_toggle_adds_then_removes_and_stops_at_the_budget(meeting, member, topics):
    for topic in topics[:3]:
        services.toggle_vote(meeting, member, topic)
    with pytest.raises(ValidationError):
        services.toggle_vote(meeting, member, topics[3])
    services.toggle_vote(meeting, member, topics[0])

    assert chosen(meeting, member) == {topics[1].pk, topics[2].pk}
    assert Ballot.objects.count() == 1


def test_the_chapter_sets_the_budget(chapter, meeting, member, topics):
    chapter.votes_per_member = 5
    chapter.save()

    services.cast_votes(meeting, member, topics)

    assert len(chosen(meeting, member)) == 5


@pytest.mark.parametrize("role", ["sponsor", "facilitator", "coordinator", "alumni", "outsider"])
def test_only_members_vote(meeting, topics, role, request):
    with pytest.raises(ValidationError):
        services.cast_votes(meeting, request.getfixturevalue(role), topics[:1])

    assert not Ballot.objects.exists()


def test_a_topic_of_another_cohort_or_already_treated_is_refused(chapter, meeting, member, topics):
    other = factories.TopicFactory(cohort=factories.CohortFactory(chapter=chapter))
    topics[0].state = TopicState.DONE
    topics[0].save()

    for bad in ([other], [topics[0]]):
        with pytest.raises(ValidationError):
            services.cast_votes(meeting, member, bad)


def test_no_vote_before_the_opening_or_after_the_close(cohort, member, topics):
    later = factories.MeetingFactory(cohort=cohort, starts_at=timezone.now() + datetime.timedelta(days=60))
    later.vote_opens_at = timezone.now() + datetime.timedelta(days=20)
    later.save()
    closed = factories.MeetingFactory(cohort=cohort, starts_at=timezone.now() + datetime.timedelta(days=5))

    for meeting in (later, closed):
        with pytest.raises(ValidationError):
            services.cast_votes(meeting, member, topics[:1])


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_first_ballots_leave_one_ballot(chapter, cohort, member, topics):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL (run by .ci/run)")
    meeting = factories.MeetingFactory(cohort=cohort)
    barrier = threading.Barrier(2)
    errors = []

    def vote(choice):
        try:
            barrier.wait(timeout=5)
            services.cast_votes(meeting, member, choice)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(choice,)) for choice in (topics[:2], topics[2:4])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    assert Ballot.objects.filter(meeting=meeting, person=member).count() == 1
    assert len(chosen(meeting, member)) == 2  # one of the two ballots, whole, never a mix of both


@pytest.mark.django_db(transaction=True)
def test_forty_members_tapping_three_votes_at_once_keep_every_vote(chapter):
    """The phone's one-tap vote: each member taps three topics at the same moment (three
    requests in flight). Every tap is kept: 40 ballots of exactly 3 choices."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL (run by .ci/run)")
    voters = []  # (meeting, member, its three topics)
    for _ in range(4):
        cohort = factories.CohortFactory(chapter=chapter, state=CohortState.ACTIVE)
        meeting = factories.MeetingFactory(cohort=cohort)
        people = members_of(cohort, 10)
        topics = [factories.TopicFactory(cohort=cohort, proposed_by=people[0]) for _ in range(4)]
        voters += [(meeting, person, topics[:3]) for person in people]
    errors = []
    # 25 members in flight at once: 75 connections, under PostgreSQL's 100.
    in_flight = threading.BoundedSemaphore(25)

    def tap(barrier, meeting, person, topic):
        try:
            barrier.wait(timeout=30)
            services.toggle_vote(meeting, person, topic)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def member_taps(meeting, person, topics):
        with in_flight:
            barrier = threading.Barrier(3)
            threads = [threading.Thread(target=tap, args=(barrier, meeting, person, t)) for t in topics]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

    runners = [threading.Thread(target=member_taps, args=voter) for voter in voters]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join()

    assert not errors, errors[:3]
    assert len(voters) == 40
    assert Ballot.objects.count() == 40
    lost = [
        f"{person}: {sorted(chosen(meeting, person))}"
        for meeting, person, topics in voters
        if chosen(meeting, person) != {topic.pk for topic in topics}
    ]
    assert not lost, f"{len(lost)} of 40 ballots lost a tap: {lost[:5]}"


# --- Results -------------------------------------------------------------------------------


def test_results_are_refused_before_the_close(meeting, member, topics):
    services.cast_votes(meeting, member, topics[:1])

    with pytest.raises(ValidationError, match="connus à sa clôture"):
        selectors.vote_results(meeting)


def close(meeting):
    """Move the clock past the vote's close."""
    return mock.patch(
        "django.utils.timezone.now", return_value=meeting.vote_closes_at + datetime.timedelta(minutes=1)
    )


def test_results_rank_by_distinct_voters(cohort, meeting, member, topics):
    others = members_of(cohort, 3)
    services.cast_votes(meeting, member, [topics[2]])
    for person in others:
        services.cast_votes(meeting, person, [topics[1], topics[2]])
    services.cast_votes(meeting, others[0], [topics[1], topics[2], topics[3]])

    with close(meeting):
        results = selectors.vote_results(meeting)

    assert [(r.topic.title, r.voters) for r in results] == [("Sujet 2", 4), ("Sujet 1", 3), ("Sujet 3", 1)]


def test_a_tie_goes_to_a_theme_not_yet_covered(chapter, cohort, meeting, member, topics):
    finance = factories.ThemeFactory(chapter=chapter, name="Finance")
    legal = factories.ThemeFactory(chapter=chapter, name="Juridique")
    old = factories.TopicFactory(
        cohort=cohort, theme=finance, title="Old finance topic", state=TopicState.DONE
    )
    covered = factories.TopicFactory(cohort=cohort, theme=finance, title="Covered theme", proposed_by=member)
    fresh = factories.TopicFactory(cohort=cohort, theme=legal, title="New theme", proposed_by=member)
    assert covered.created_at <= fresh.created_at  # the older proposal would win without the theme rule
    services.cast_votes(meeting, member, [covered, fresh])

    with close(meeting):
        results = selectors.vote_results(meeting)

    assert [r.topic for r in results] == [fresh, covered]
    assert results[0].tie_break
    assert old not in [r.topic for r in results]


def test_a_tie_on_voters_and_theme_goes_to_the_oldest_proposal(chapter, cohort, meeting, member, topics):
    services.cast_votes(meeting, member, [topics[3], topics[1]])

    with close(meeting):
        results = selectors.vote_results(meeting)

    assert [r.topic for r in results] == [topics[1], topics[3]]


def test_results_are_the_same_every_time(cohort, meeting, member, topics):
    for person in [member, *members_of(cohort, 4)]:
        services.cast_votes(meeting, person, topics[:3])

    with close(meeting):
        first = [r.topic.pk for r in selectors.vote_results(meeting)]
        again = [r.topic.pk for r in selectors.vote_results(meeting)]

    assert first == again == [topic.pk for topic in topics[:3]]


# --- Agenda, carry-over, urgent topic -----------------------------------------------------


def test_agenda_is_confirmed_after_the_close_and_the_rest_carries_over(
    cohort, meeting, member, facilitator, topics
):
    services.cast_votes(meeting, member, topics[:3])
    with pytest.raises(ValidationError):
        services.confirm_agenda(meeting, topics[:1], actor=facilitator)

    with close(meeting):
        services.confirm_agenda(meeting, topics[:2], actor=facilitator)

    next_meeting = factories.MeetingFactory(
        cohort=cohort, starts_at=meeting.starts_at + datetime.timedelta(days=28)
    )
    backlog = set(selectors.votable_topics(next_meeting))
    assert topics[2] in backlog and topics[3] in backlog  # not chosen: still to vote for
    assert topics[0] not in backlog and topics[1] not in backlog


def test_agenda_holds_one_or_two_topics_and_only_the_facilitator_sets_it(
    meeting, member, facilitator, topics
):
    with close(meeting):
        with pytest.raises(ValidationError):
            services.confirm_agenda(meeting, topics[:3], actor=facilitator)
        with pytest.raises(ValidationError):
            services.confirm_agenda(meeting, topics[:1], actor=member)


def test_treated_topics_are_done_with_their_meeting(meeting, facilitator, topics):
    with close(meeting):
        services.confirm_agenda(meeting, topics[:1], actor=facilitator)
    with mock.patch("django.utils.timezone.now", return_value=meeting.ends_at + datetime.timedelta(hours=1)):
        services.mark_agenda_treated(meeting, actor=facilitator)

    topics[0].refresh_from_db()
    assert (topics[0].state, topics[0].meeting) == (TopicState.DONE, meeting)


def test_urgent_topic_sets_the_agenda_aside_and_keeps_the_reason(meeting, facilitator, topics):
    with close(meeting):
        services.confirm_agenda(meeting, topics[:2], actor=facilitator)
        services.set_urgent_topic(meeting, reason="Départ soudain d'un associé de Gwenaël", actor=facilitator)

    meeting.refresh_from_db()
    assert meeting.urgent_reason == "Départ soudain d'un associé de Gwenaël"
    assert not meeting.agenda_items.exists()
    assert set(Topic.objects.filter(pk__in=[topics[0].pk, topics[1].pk]).values_list("state", flat=True)) == {
        TopicState.OPEN
    }


def test_urgent_topic_needs_a_reason_and_a_facilitator(meeting, member, facilitator):
    with pytest.raises(ValidationError):
        services.set_urgent_topic(meeting, reason=" ", actor=facilitator)
    with pytest.raises(ValidationError):
        services.set_urgent_topic(meeting, reason="x", actor=member)


# --- Schedule --------------------------------------------------------------------------------


def test_schedule_keeps_the_weekday_skips_months_off_and_moves_off_public_holidays(chapter):
    chapter.meeting_weekday = 3  # Thursday
    chapter.months_off = [8]
    chapter.save()

    days = schedule.meeting_days(chapter, datetime.date(2027, 5, 6), datetime.date(2029, 5, 5))

    assert days[0] == datetime.date(2027, 5, 13)  # 6 May 2027 is Ascension Thursday: a week later
    assert all(day.weekday() == 3 for day in days)
    assert not any(day.month == 8 for day in days)
    assert len({(day.year, day.month) for day in days}) == len(days)
    assert len(days) == 23  # May 2027 to May 2029 (both ends), without the two Augusts


def test_starting_a_cohort_generates_its_meetings_with_vote_windows(chapter, coordinator):
    cohort = factories.CohortFactory(
        chapter=chapter, state=CohortState.FORMING, start_date=datetime.date(2027, 1, 12), end_date=None
    )
    cohort.end_date = group_services.two_years_after(cohort.start_date)
    cohort.save()
    for naf_code in factories.NAF_CODES[:10]:
        factories.MembershipFactory(cohort=cohort, company__naf_code=naf_code)

    group_services.start_cohort(cohort, actor=coordinator)

    meetings = list(Meeting.objects.filter(cohort=cohort))
    assert len(meetings) == 23
    assert meetings[0].starts_at.astimezone(timezone.get_current_timezone()).time() == datetime.time(8, 30)
    paris = timezone.get_current_timezone()
    for previous, meeting in itertools.pairwise(meetings):
        assert meeting.vote_opens_at == previous.ends_at
        # Ten days before on the wall clock, across daylight-saving changes too.
        closes, starts = meeting.vote_closes_at.astimezone(paris), meeting.starts_at.astimezone(paris)
        assert (closes.time(), closes.date()) == (starts.time(), starts.date() - datetime.timedelta(days=10))
    assert services.generate_schedule(cohort) == meetings  # idempotent
