"""Each person's private calendar feed: the token is the credential, the feed holds their own
cohorts' meetings only, read back with vobject (another library than the one writing it)."""

import datetime
import secrets

import pytest
import vobject
from django.urls import reverse
from django.utils import timezone

from groups.enums import StaffRole
from meetings import services as meeting_services
from meetings.calendar import event_uid
from members.services import calendar_feed_for, renew_calendar_feed
from tests import factories
from tests.queries import count_queries, describe


def in_days(days: int) -> datetime.datetime:
    return timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)


def meeting_on(cohort, days: int, **fields):
    return factories.MeetingFactory(
        cohort=cohort, starts_at=in_days(days), ends_at=in_days(days) + datetime.timedelta(hours=3), **fields
    )


def feed_url(user) -> str:
    return calendar_feed_for(user).get_absolute_url()


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response, vobject.readOne(response.content.decode())


def event_uids(calendar) -> set[str]:
    return {event.uid.value for event in calendar.contents.get("vevent", [])}


@pytest.fixture
def other_cohort(chapter):
    return factories.CohortFactory(chapter=chapter, name="Presqu’île de Rhuys")


def test_the_feed_holds_the_members_meetings_and_no_other_cohorts(client, cohort, other_cohort, member):
    recent = meeting_on(cohort, -40)
    coming = meeting_on(cohort, 20)
    far_ahead = meeting_on(cohort, 300)
    meeting_on(cohort, -200)  # older than the feed's three months
    meeting_on(other_cohort, 20)

    _, calendar = read_feed(client, feed_url(member))

    assert event_uids(calendar) == {event_uid(m) for m in (recent, coming, far_ahead)}


def test_a_cancelled_meeting_stays_in_the_feed_marked_cancelled(client, cohort, member, facilitator):
    meeting = meeting_on(cohort, 20)
    meeting_services.cancel_meeting(meeting, reason="Salle indisponible", actor=facilitator)

    _, calendar = read_feed(client, feed_url(member))

    (event,) = calendar.vevent_list
    assert event.uid.value == event_uid(meeting)
    assert event.status.value == "CANCELLED"
    assert int(event.sequence.value) == 1


def test_the_feed_is_named_after_its_owner_lists_the_agenda_and_is_never_stored(client, cohort, member):
    meeting = meeting_on(cohort, 20)
    topic = factories.TopicFactory(cohort=cohort, proposed_by=member, title="Recruter son premier cadre")
    meeting.agenda_items.create(topic=topic)

    response, calendar = read_feed(client, feed_url(member))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert calendar.contents["x-wr-calname"][0].value == "Plato — Gwenaël Le Floch"
    assert "Recruter son premier cadre" in calendar.vevent.description.value
    assert "Golfe du Morbihan" in calendar.vevent.summary.value


@pytest.mark.parametrize("role", ["sponsor", "facilitator"])
def test_sponsors_and_facilitators_get_their_cohorts_meetings(client, request, cohort, other_cohort, role):
    person = request.getfixturevalue(role)
    meeting = meeting_on(cohort, 20)
    meeting_on(other_cohort, 20)

    _, calendar = read_feed(client, feed_url(person))

    assert event_uids(calendar) == {event_uid(meeting)}


def test_a_coordinator_gets_the_cohorts_they_facilitate_not_the_whole_chapter(
    client, chapter, cohort, other_cohort, coordinator
):
    other_cohort.facilitators.add(coordinator)
    facilitated = meeting_on(other_cohort, 20)
    meeting_on(cohort, 20)  # their chapter's, run by somebody else

    _, calendar = read_feed(client, feed_url(coordinator))

    assert event_uids(calendar) == {event_uid(facilitated)}


def test_a_person_without_a_cohort_gets_an_empty_calendar(client, cohort, outsider):
    meeting_on(cohort, 20)

    _, calendar = read_feed(client, feed_url(outsider))

    assert event_uids(calendar) == set()


def test_renewing_the_feed_makes_the_old_url_404_and_the_new_one_work(client, cohort, member):
    meeting = meeting_on(cohort, 20)
    old_url = feed_url(member)

    renewed = renew_calendar_feed(member)

    assert client.get(old_url).status_code == 404
    _, calendar = read_feed(client, renewed.get_absolute_url())
    assert event_uids(calendar) == {event_uid(meeting)}


def test_an_inactive_persons_feed_is_404(client, cohort, member):
    meeting_on(cohort, 20)
    url = feed_url(member)
    member.is_active = False
    member.save()

    assert client.get(url).status_code == 404


def test_a_random_token_is_404(client, member):
    calendar_feed_for(member)

    response = client.get(reverse("meetings:calendar_feed", kwargs={"token": secrets.token_urlsafe(32)}))

    assert response.status_code == 404
    assert b"VCALENDAR" not in response.content


def test_another_persons_token_opens_that_persons_meetings_only(
    login, cohort, other_cohort, member, outsider
):
    """The token is the credential, whoever is signed in: the outsider reads the member's
    feed with the member's token, and nothing of their own session leaks in."""
    meeting = meeting_on(cohort, 20)
    meeting_on(other_cohort, 20)

    _, calendar = read_feed(login(outsider), feed_url(member))

    assert event_uids(calendar) == {event_uid(meeting)}
    assert calendar.contents["x-wr-calname"][0].value == "Plato — Gwenaël Le Floch"


def test_the_feed_answers_get_only(client, member):
    assert client.post(feed_url(member)).status_code == 405


def test_the_feed_query_count_is_the_same_with_3_or_30_meetings(client, chapter, cohort, member):
    sizes = (3, 30)
    url = feed_url(member)
    other = factories.CohortFactory(chapter=chapter)
    other.facilitators.add(factories.ChapterRoleFactory(chapter=chapter, role=StaffRole.FACILITATOR).user)
    factories.SponsorshipFactory(cohort=other, person=member, company=member.company)

    def grow(count):
        for index in range(count):
            meeting = meeting_on(cohort if index % 2 else other, 10 + 35 * index + count)
            for topic in factories.TopicFactory.create_batch(2, cohort=meeting.cohort, proposed_by=member):
                meeting.agenda_items.create(topic=topic)

    grow(sizes[0])
    small = count_queries(client, url)
    grow(sizes[1] - sizes[0])
    large = count_queries(client, url)

    assert large == small, describe(small, large, sizes)
    _, calendar = read_feed(client, url)
    assert len(calendar.vevent_list) == sizes[1]


# --- The account page ----------------------------------------------------------------------


def test_the_account_page_shows_the_absolute_feed_url(login, member, settings):
    settings.SITE_URL = "https://plato.example.fr/"
    token = calendar_feed_for(member).token

    response = login(member).get(reverse("members:calendar_feed"))

    assert response.status_code == 200
    assert f'value="https://plato.example.fr/calendar/{token}.ics"' in response.content.decode()
    assert b"data-confirm" in response.content


def test_the_account_page_creates_the_feed_on_first_visit(login, outsider):
    response = login(outsider).get(reverse("members:calendar_feed"))

    assert outsider.calendar_feed.token in response.content.decode()


def test_renewing_from_the_account_page_replaces_the_token(login, member):
    client = login(member)
    old_token = calendar_feed_for(member).token

    response = client.post(reverse("members:calendar_feed_renew"))

    assert response.status_code == 302
    assert response["Location"] == reverse("members:calendar_feed")
    member.calendar_feed.refresh_from_db()
    assert member.calendar_feed.token != old_token
    assert old_token not in client.get(reverse("members:calendar_feed")).content.decode()


def test_renewing_needs_a_signed_in_post(client, login, member):
    old_token = calendar_feed_for(member).token

    assert client.post(reverse("members:calendar_feed_renew")).status_code == 302  # to sign-in
    assert login(member).get(reverse("members:calendar_feed_renew")).status_code == 405
    member.calendar_feed.refresh_from_db()
    assert member.calendar_feed.token == old_token


def test_the_meetings_pages_link_to_the_calendar_page(login, cohort, member):
    meeting = meeting_on(cohort, 20)
    client = login(member)
    link = reverse("members:calendar_feed")

    assert link in client.get(reverse("meetings:cohort_meetings", kwargs={"pk": cohort.pk})).content.decode()
    assert link in client.get(meeting.get_absolute_url()).content.decode()
