"""The meeting pages: the vote from a phone (htmx and plain form), results hidden until the
close on every page and for every role, the facilitator's agenda, query counts."""

import datetime
import re
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import BallotChoice
from tests import factories
from tests.pages import assert_shows
from tests.queries import count_queries, describe
from tests.world import ROLES

pytestmark = pytest.mark.topics(count=4)

VOTE_COUNT = re.compile(r"\b\d+ (voters?|votants?)\b")


def toggle_url(meeting, topic):
    return reverse("meetings:vote_toggle", kwargs={"pk": meeting.pk, "topic_pk": topic.pk})


def test_member_votes_in_place_with_htmx(meeting, member, topics, login):
    response = login(member).post(toggle_url(meeting, topics[1]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert 'id="vote"' in response.content.decode()
    assert 'aria-pressed="true"' in response.content.decode()
    assert "<html" not in response.content.decode()  # the panel alone, not the page
    assert BallotChoice.objects.filter(ballot__person=member, topic=topics[1]).exists()


def test_member_votes_and_changes_without_javascript(meeting, member, topics, login):
    client = login(member)

    first = client.post(toggle_url(meeting, topics[0]))
    client.post(toggle_url(meeting, topics[2]))
    client.post(toggle_url(meeting, topics[0]))  # changes their mind

    assert first.status_code == 302
    assert first["Location"].endswith(meeting.get_absolute_url() + "#vote")
    assert set(BallotChoice.objects.filter(ballot__person=member).values_list("topic_id", flat=True)) == {
        topics[2].pk
    }


def test_a_fourth_vote_says_why_in_the_panel(meeting, member, topics, login):
    client = login(member)
    for topic in topics[:3]:
        client.post(toggle_url(meeting, topic), HTTP_HX_REQUEST="true")

    response = client.post(toggle_url(meeting, topics[3]), HTTP_HX_REQUEST="true")

    assert "alert-danger" in response.content.decode()
    assert BallotChoice.objects.filter(ballot__person=member).count() == 3


@pytest.mark.parametrize("role", ["sponsor", "facilitator", "coordinator", "admin"])
def test_non_members_cannot_vote(meeting, topics, role, request, login):
    response = login(request.getfixturevalue(role)).post(toggle_url(meeting, topics[0]))

    assert response.status_code == 403
    assert not BallotChoice.objects.exists()


def test_a_member_of_another_cohort_sees_nothing(chapter, meeting, topics, login):
    stranger = factories.MembershipFactory(cohort=factories.CohortFactory(chapter=chapter)).person
    client = login(stranger)

    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert client.post(toggle_url(meeting, topics[0])).status_code == 404
    assert (
        client.get(reverse("meetings:cohort_meetings", kwargs={"pk": meeting.cohort_id})).status_code == 404
    )


def test_results_are_not_reachable_before_the_close_by_any_url_or_role(
    meeting, member, topics, users, login, cohort
):
    for person in [
        member,
        *[
            factories.MembershipFactory(cohort=cohort, company__naf_code=c).person
            for c in ("49.41A", "10.71C")
        ],
    ]:
        services.cast_votes(meeting, person, topics[:2])
    urls = [
        meeting.get_absolute_url(),
        reverse("meetings:agenda", kwargs={"pk": meeting.pk}),
        reverse("meetings:cohort_meetings", kwargs={"pk": meeting.cohort_id}),
        reverse("meetings:urgent", kwargs={"pk": meeting.pk}),
    ]
    for role in ROLES:
        client = login(users[role])
        for url in urls:
            response = client.get(url, follow=True)
            html = response.content.decode()
            assert not VOTE_COUNT.search(html), (role, url)  # "3 votants" / "3 voters"
            assert 'id="results-title"' not in html, (role, url)
        htmx = client.post(toggle_url(meeting, topics[3]), HTTP_HX_REQUEST="true")
        assert 'id="results-title"' not in htmx.content.decode(), role


def test_results_show_after_the_close_with_the_tie_break(meeting, member, topics, login):
    services.cast_votes(meeting, member, [topics[2], topics[1]])

    with mock.patch(
        "django.utils.timezone.now", return_value=meeting.vote_closes_at + datetime.timedelta(hours=1)
    ):
        response = login(member).get(meeting.get_absolute_url())

    assert_shows(response, "Sujet 1", "Sujet 2")
    html = response.content.decode()
    assert 'id="results-title"' in html
    assert html.index("Sujet 1") < html.index("Sujet 2")  # same voters, same theme: the older first


def test_facilitator_confirms_the_agenda_after_the_close(meeting, member, facilitator, topics, login):
    services.cast_votes(meeting, member, topics[:2])
    later = meeting.vote_closes_at + datetime.timedelta(hours=1)

    with mock.patch("django.utils.timezone.now", return_value=later):
        client = login(facilitator)
        form = client.get(reverse("meetings:agenda", kwargs={"pk": meeting.pk}))
        response = client.post(
            reverse("meetings:agenda", kwargs={"pk": meeting.pk}), {"topics": [topics[0].pk]}
        )
        page = client.get(meeting.get_absolute_url())

    assert form.status_code == 200
    assert response.status_code == 302
    assert list(meeting.agenda_items.values_list("topic_id", flat=True)) == [topics[0].pk]
    assert_shows(page, "Sujet 0")


def test_the_agenda_posted_before_the_vote_closes_is_refused_with_a_message(
    meeting, member, facilitator, topics, login
):
    """A page left open, another tab: the POST comes while the vote is still open."""
    services.cast_votes(meeting, member, topics[:2])

    response = login(facilitator).post(
        reverse("meetings:agenda", kwargs={"pk": meeting.pk}), {"topics": [topics[0].pk]}, follow=True
    )

    assert response.redirect_chain == [(meeting.get_absolute_url(), 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "L’ordre du jour se fixe après la clôture du vote."
    ]
    assert not meeting.agenda_items.exists()


def test_urgent_topic_from_the_page(meeting, facilitator, login):
    response = login(facilitator).post(
        reverse("meetings:urgent", kwargs={"pk": meeting.pk}), {"reason": "Incendie dans l'atelier d'Erwan"}
    )

    assert response.status_code == 302
    assert_shows(login(facilitator).get(meeting.get_absolute_url()), "Incendie dans l'atelier d'Erwan")


def test_member_proposes_a_topic_with_a_theme(cohort, chapter, member, login):
    theme = factories.ThemeFactory(chapter=chapter, name="Finance")

    response = login(member).post(
        reverse("meetings:topic_create", kwargs={"pk": cohort.pk}),
        {"title": "Financer une reprise", "theme": theme.pk, "description": "LBO ou dette bancaire ?"},
    )

    assert response.status_code == 302
    assert cohort.topics.get().title == "Financer une reprise"


def test_topic_without_a_title_keeps_what_was_typed(cohort, chapter, member, login):
    theme = factories.ThemeFactory(chapter=chapter, name="Finance")

    response = login(member).post(
        reverse("meetings:topic_create", kwargs={"pk": cohort.pk}),
        {"title": "", "theme": theme.pk, "description": "LBO ou dette bancaire ?"},
    )

    assert response.status_code == 200
    assert_shows(response, "LBO ou dette bancaire ?")
    assert not cohort.topics.exists()


# --- Query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["member", "facilitator", "coordinator"])
def test_meeting_page_query_count_is_the_same_with_3_or_12_members_and_topics(
    role, request, chapter, cohort, member, facilitator, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    meeting = factories.MeetingFactory(cohort=cohort)
    client = login(request.getfixturevalue(role))
    codes = iter(factories.NAF_CODES[1:])

    def grow(count):
        for _ in range(count):
            person = factories.MembershipFactory(cohort=cohort, company__naf_code=next(codes)).person
            topic = factories.TopicFactory(cohort=cohort, proposed_by=person)
            services.cast_votes(meeting, person, [topic])
            meeting.rsvps.create(person=person, answer="yes")
            factories.MeetingDocumentFactory(meeting=meeting, uploaded_by=facilitator)
            meeting.action_items.create(person=member, text=f"Action {person.pk}")

    grow(3)
    client.get(meeting.get_absolute_url())
    small = count_queries(client, meeting.get_absolute_url())
    grow(9)
    large = count_queries(client, meeting.get_absolute_url())

    assert large == small, describe(small, large, (3, 12))


def test_closed_vote_page_query_count_is_the_same_with_3_or_12_voters(chapter, cohort, member, login):
    meeting = factories.MeetingFactory(cohort=cohort)
    client = login(member)
    codes = iter(factories.NAF_CODES[1:])
    url = meeting.get_absolute_url()

    def grow(count):
        for _ in range(count):
            person = factories.MembershipFactory(cohort=cohort, company__naf_code=next(codes)).person
            services.cast_votes(meeting, person, [factories.TopicFactory(cohort=cohort, proposed_by=person)])

    with mock.patch(
        "django.utils.timezone.now", return_value=meeting.vote_closes_at - datetime.timedelta(days=1)
    ):
        grow(3)
    with mock.patch(
        "django.utils.timezone.now", return_value=meeting.vote_closes_at + datetime.timedelta(hours=1)
    ):
        client.get(url)
        small = count_queries(client, url)
    with mock.patch(
        "django.utils.timezone.now", return_value=meeting.vote_closes_at - datetime.timedelta(days=1)
    ):
        grow(9)
    with mock.patch(
        "django.utils.timezone.now", return_value=meeting.vote_closes_at + datetime.timedelta(hours=1)
    ):
        large = count_queries(client, url)

    assert large == small, describe(small, large, (3, 12))


def test_cohort_meetings_query_count_is_the_same_with_3_or_20_meetings(cohort, member, login):
    client = login(member)
    url = reverse("meetings:cohort_meetings", kwargs={"pk": cohort.pk})

    def grow(start, count):
        for offset in range(start, start + count):
            factories.MeetingFactory(cohort=cohort, starts_at=factories._in_days(30 + 28 * offset))
            factories.TopicFactory(cohort=cohort, proposed_by=member)

    grow(0, 3)
    client.get(url)
    small = count_queries(client, url)
    grow(3, 17)
    large = count_queries(client, url)

    assert large == small, describe(small, large, (3, 20))


def test_a_past_meeting_with_its_agenda_offers_no_agenda_to_set(cohort, facilitator, login):
    starts_at = timezone.now() - datetime.timedelta(days=2)
    past = factories.MeetingFactory(
        cohort=cohort,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        vote_opens_at=starts_at - datetime.timedelta(days=30),
        vote_closes_at=starts_at - datetime.timedelta(days=10),
    )
    agenda_url = reverse("meetings:agenda", kwargs={"pk": past.pk})
    assert agenda_url in login(facilitator).get(past.get_absolute_url()).content.decode()  # none set yet

    past.agenda_items.create(topic=factories.TopicFactory(cohort=cohort))
    page = login(facilitator).get(past.get_absolute_url())

    assert agenda_url not in page.content.decode()
    assert reverse("meetings:attendance", kwargs={"pk": past.pk}) in page.content.decode()
