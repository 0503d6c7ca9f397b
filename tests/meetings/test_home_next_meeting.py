"""The member's and the sponsor's home page: their next meeting and what they have to do for it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.enums import MeetingState, RsvpAnswer
from meetings.rsvp import answer_rsvp
from tests import factories
from tests.pages import assert_hides, assert_shows
from tests.queries import count_queries


def meeting_in(cohort, days: int, *, vote_open: bool = False, **fields):
    now = timezone.now()
    starts_at = now + datetime.timedelta(days=days)
    return factories.MeetingFactory(
        cohort=cohort,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        vote_opens_at=now - datetime.timedelta(days=5),
        vote_closes_at=now + datetime.timedelta(days=1) if vote_open else now - datetime.timedelta(days=1),
        **fields,
    )


def test_member_sees_the_next_meeting_the_vote_and_the_question(cohort, member, login):
    cancelled = meeting_in(cohort, 3, state=MeetingState.CANCELLED)
    meeting = meeting_in(cohort, 12, vote_open=True, venue_name="Salle Vénètes")
    meeting_in(cohort, 40)
    services.cast_votes(meeting, member, [factories.TopicFactory(cohort=cohort)])

    page = login(member).get(reverse("home"))

    assert_shows(page, "Prochaine réunion", "Salle Vénètes", "Viendrez-vous ?", "il vous reste 2 voix")
    html = page.content.decode()
    assert meeting.get_absolute_url() in html and cancelled.get_absolute_url() not in html
    assert f'action="{reverse("meetings:rsvp", args=[meeting.pk])}"' in html


def test_the_answer_given_replaces_the_question(cohort, member, login):
    meeting = meeting_in(cohort, 12)
    answer_rsvp(meeting, member, answer=RsvpAnswer.NO)

    page = login(member).get(reverse("home"))

    assert_shows(page, "Votre réponse : Je ne pourrai pas venir.")
    assert_hides(page, "Viendrez-vous ?", "Votez pour les sujets")


def test_sponsor_is_asked_but_does_not_vote(cohort, sponsor, login):
    meeting_in(cohort, 12, vote_open=True)

    page = login(sponsor).get(reverse("home"))

    assert_shows(page, "Prochaine réunion", "Viendrez-vous ?")
    assert_hides(page, "voix")


def test_another_cohorts_meeting_is_not_shown(chapter, cohort, member, login):
    other = factories.CohortFactory(chapter=chapter, name="Pays de Vannes")
    meeting_in(other, 5, venue_name="Salle du Port")

    page = login(member).get(reverse("home"))

    assert_hides(page, "Salle du Port", "Prochaine réunion")


@pytest.mark.parametrize("role", ["member", "sponsor"])
def test_home_next_meetings_take_a_fixed_number_of_queries(role, request, chapter, cohort, login):
    user = request.getfixturevalue(role)
    client = login(user)
    meeting_in(cohort, 12, vote_open=True)
    client.get(reverse("home"))
    small = count_queries(client, reverse("home"))

    for days in range(20, 400, 30):
        meeting_in(cohort, days)
    second = factories.CohortFactory(chapter=chapter, name="Pays de Vannes")
    if role == "member":
        factories.MembershipFactory(cohort=second, person=user, company=user.memberships.get().company)
    else:
        factories.SponsorshipFactory(cohort=second, person=user, company=user.sponsorships.get().company)
    meeting_in(second, 9, vote_open=True)
    large = count_queries(client, reverse("home"))

    assert large == small, f"{small} queries with one cohort, {large} with two and more meetings"


def test_a_later_meeting_whose_vote_is_open_is_shown_too(cohort, member, login):
    first = meeting_in(cohort, 3)
    later = meeting_in(cohort, 30, vote_open=True)
    meeting_in(cohort, 60)

    page = login(member).get(reverse("home"))

    html = page.content.decode()
    assert html.count('class="card mb-4 next-meeting"') == 2
    assert first.get_absolute_url() in html and f"{later.get_absolute_url()}#vote" in html
    assert_shows(page, "Prochaine réunion", "La suivante : son vote est ouvert", "il vous reste 3 voix")
