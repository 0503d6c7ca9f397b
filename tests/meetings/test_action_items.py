"""The roadmap ("feuille de route"): the facilitator writes each member's actions after a
meeting; the member ticks them on their own page. Only the member and the cohort's staff see
an action."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import services
from meetings.models import ActionItem
from tests import factories
from tests.pages import assert_hides, assert_shows, in_english
from tests.queries import count_queries, describe

MY_ACTIONS = reverse("meetings:my_actions")


@pytest.fixture
def past_meeting(cohort):
    return factories.MeetingFactory(cohort=cohort, starts_at=factories._in_days(-3))


@pytest.fixture
def classmate(cohort):
    """Another member of the member's cohort."""
    return factories.MembershipFactory(
        cohort=cohort, company__naf_code="49.41A", person__first_name="Erwan"
    ).person


@pytest.fixture
def item(past_meeting, member, facilitator):
    return services.add_action_item(
        past_meeting,
        person=member,
        text="Appeler deux banquiers avant la prochaine réunion",
        actor=facilitator,
    )


def actions_url(meeting):
    return reverse("meetings:action_items", kwargs={"pk": meeting.pk})


def done_url(item):
    return reverse("meetings:action_item_done", kwargs={"pk": item.pk})


def delete_url(item):
    return reverse("meetings:action_item_delete", kwargs={"pk": item.pk})


# --- Writing the roadmap -----------------------------------------------------------------


def test_the_facilitator_writes_several_actions_one_per_line(past_meeting, member, facilitator, login):
    response = login(facilitator).post(
        actions_url(past_meeting),
        {
            "person": member.pk,
            "texts": "Recruter un commercial\n\n   Revoir   les prix  \nAppeler Bpifrance\n",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == actions_url(past_meeting)
    assert list(member.action_items.values_list("text", "done")) == [
        ("Recruter un commercial", False),
        ("Revoir les prix", False),
        ("Appeler Bpifrance", False),
    ]


def test_the_page_lists_every_member_and_their_actions(past_meeting, item, classmate, facilitator, login):
    response = login(facilitator).get(actions_url(past_meeting))

    assert response.status_code == 200
    assert_shows(response, str(item.person), str(classmate), item.text, delete_url(item))


def test_a_too_long_line_is_explained_and_nothing_is_lost(past_meeting, member, facilitator, login):
    texts = "Première action\n" + "x" * 256

    response = in_english(login(facilitator)).post(
        actions_url(past_meeting), {"person": member.pk, "texts": texts}
    )

    assert response.status_code == 200
    assert_shows(response, "Line 2 is too long: an action fits in 255 characters.", "Première action")
    assert not ActionItem.objects.exists()


def test_empty_lines_only_are_refused(past_meeting, member, facilitator, login):
    response = in_english(login(facilitator)).post(
        actions_url(past_meeting), {"person": member.pk, "texts": " \n \n"}
    )

    assert response.status_code == 200
    assert_shows(response, "Write at least one action.")


def test_only_the_cohort_members_can_be_chosen(past_meeting, sponsor, outsider, chapter, facilitator, login):
    stranger = factories.MembershipFactory(cohort=factories.CohortFactory(chapter=chapter)).person
    client = in_english(login(facilitator))

    for person in (sponsor, outsider, stranger):
        response = client.post(actions_url(past_meeting), {"person": person.pk, "texts": "Action"})
        assert response.status_code == 200
        assert_shows(response, "Choose a member of the list.")
    with pytest.raises(ValidationError):
        services.add_action_item(past_meeting, person=stranger, text="Action", actor=facilitator)
    assert not ActionItem.objects.exists()


def test_no_roadmap_before_the_meeting_or_for_a_cancelled_one(cohort, member, facilitator, login):
    future = factories.MeetingFactory(cohort=cohort)
    cancelled = factories.MeetingFactory(cohort=cohort, starts_at=factories._in_days(-40), state="cancelled")

    for meeting in (future, cancelled):
        with pytest.raises(ValidationError):
            services.add_action_item(meeting, person=member, text="Action", actor=facilitator)
        assert login(facilitator).get(actions_url(meeting)).status_code == 302
    assert not ActionItem.objects.exists()


@pytest.mark.parametrize("role", ["member", "sponsor"])
def test_members_and_sponsors_do_not_write_roadmaps(past_meeting, member, role, request, login):
    person = request.getfixturevalue(role)

    with pytest.raises(ValidationError):
        services.add_action_item(past_meeting, person=member, text="Action", actor=person)
    assert (
        login(person).post(actions_url(past_meeting), {"person": member.pk, "texts": "x"}).status_code == 403
    )
    assert not ActionItem.objects.exists()


def test_a_member_of_another_cohort_gets_404(chapter, past_meeting, item, login):
    stranger = factories.MembershipFactory(cohort=factories.CohortFactory(chapter=chapter)).person
    client = login(stranger)

    assert client.get(actions_url(past_meeting)).status_code == 404
    assert client.post(done_url(item), {"done": "1"}).status_code == 404
    assert client.post(delete_url(item)).status_code == 404
    item.refresh_from_db()
    assert not item.done


# --- Ticking -----------------------------------------------------------------------------


def test_the_member_ticks_and_unticks_their_action_without_javascript(item, member, login):
    client = login(member)

    ticked = client.post(done_url(item), {"done": "1", "next": MY_ACTIONS})
    item.refresh_from_db()
    assert (ticked.status_code, ticked["Location"], item.done) == (302, MY_ACTIONS, True)

    client.post(done_url(item), {"done": "0"})
    item.refresh_from_db()
    assert not item.done


def test_the_toggle_never_sends_elsewhere(item, member, login):
    response = login(member).post(done_url(item), {"done": "1", "next": "https://phishing.example/"})

    assert response["Location"] == MY_ACTIONS


def test_the_facilitator_may_tick_it_too(item, facilitator, login):
    login(facilitator).post(done_url(item), {"done": "1"})

    item.refresh_from_db()
    assert item.done


def test_a_classmate_the_sponsor_or_another_facilitator_cannot_see_or_tick_it(
    chapter, item, classmate, sponsor, outsider, login
):
    other_facilitator = factories.ChapterRoleFactory(chapter=chapter, role="facilitator").user
    factories.CohortFactory(chapter=chapter).facilitators.add(other_facilitator)

    for person in (classmate, sponsor, outsider, other_facilitator):
        assert login(person).post(done_url(item), {"done": "1"}).status_code == 404, person
        with pytest.raises(ValidationError):
            services.set_action_item_done(item, done=True, actor=person)
    item.refresh_from_db()
    assert not item.done


def test_the_member_cannot_delete_their_action(item, member, login):
    assert login(member).post(delete_url(item)).status_code == 403
    assert ActionItem.objects.filter(pk=item.pk).exists()


def test_the_facilitator_deletes_an_action(item, facilitator, login):
    response = login(facilitator).post(delete_url(item))

    assert response["Location"] == actions_url(item.meeting)
    assert not ActionItem.objects.exists()


# --- My roadmap ----------------------------------------------------------------------------


def test_my_roadmap_groups_my_actions_by_meeting_newest_first(cohort, member, classmate, facilitator, login):
    older = factories.MeetingFactory(cohort=cohort, starts_at=factories._in_days(-60))
    newer = factories.MeetingFactory(cohort=cohort, starts_at=factories._in_days(-30))
    services.add_action_item(older, person=member, text="Première étape", actor=facilitator)
    services.add_action_item(newer, person=member, text="Deuxième étape", actor=facilitator)
    services.add_action_item(newer, person=classmate, text="L'action d'Erwan", actor=facilitator)

    response = login(member).get(MY_ACTIONS)

    html = response.content.decode()
    assert_shows(response, "Première étape", "Deuxième étape")
    assert_hides(response, "L'action d'Erwan")
    assert html.index(newer.get_absolute_url()) < html.index(older.get_absolute_url())
    assert html.index("Deuxième étape") < html.index("Première étape")


def test_the_meeting_page_shows_a_member_only_their_own_actions(
    past_meeting, item, classmate, facilitator, login
):
    services.add_action_item(past_meeting, person=classmate, text="L'action d'Erwan", actor=facilitator)

    page = login(item.person).get(past_meeting.get_absolute_url())

    assert_shows(page, item.text, done_url(item), MY_ACTIONS)
    assert_hides(page, "L'action d'Erwan")


def test_an_empty_roadmap_says_where_actions_come_from(member, login):
    response = in_english(login(member)).get(MY_ACTIONS)

    assert response.status_code == 200
    assert_shows(response, "Your roadmap is empty")


def test_the_member_home_links_to_the_roadmap_with_what_is_left(item, member, login):
    response = in_english(login(member)).get(reverse("home"))

    assert_shows(response, MY_ACTIONS, "1 action to do.")


def test_my_roadmap_query_count_is_the_same_with_3_or_12_meetings(cohort, member, facilitator, login):
    client = login(member)

    def grow(start, count):
        for offset in range(start, start + count):
            meeting = factories.MeetingFactory(
                cohort=cohort, starts_at=factories._in_days(-30 * (offset + 1))
            )
            for number in range(2):
                services.add_action_item(meeting, person=member, text=f"Action {number}", actor=facilitator)

    grow(0, 3)
    client.get(MY_ACTIONS)
    small = count_queries(client, MY_ACTIONS)
    grow(3, 9)
    large = count_queries(client, MY_ACTIONS)

    assert large == small, describe(small, large, (3, 12))


def test_the_roadmap_page_query_count_is_the_same_with_3_or_12_members(
    cohort, past_meeting, facilitator, login
):
    client = login(facilitator)
    codes = iter(factories.NAF_CODES[1:])
    url = actions_url(past_meeting)

    def grow(count):
        for _ in range(count):
            person = factories.MembershipFactory(cohort=cohort, company__naf_code=next(codes)).person
            services.add_action_item(past_meeting, person=person, text="Action", actor=facilitator)

    grow(3)
    client.get(url)
    small = count_queries(client, url)
    grow(9)
    large = count_queries(client, url)

    assert large == small, describe(small, large, (3, 12))
