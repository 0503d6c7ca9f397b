"""The composer's pages: a proposal without competitors, moves refused or allowed, the
confirmation that creates the cohorts (or nothing, saying why)."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from groups.enums import CohortState
from groups.models import Cohort, Membership
from tests import factories
from tests.pages import assert_shows


@pytest.fixture
def small_chapter(chapter):
    chapter.group_min_size, chapter.group_max_size = 3, 4
    chapter.save()
    return chapter


def pool(chapter):
    """Two bakeries (competitors) and six others: two groups of four."""
    codes = ["10.71C", "10.71C", "62.01Z", "49.41A", "69.20Z", "43.21A", "55.10Z", "81.30Z"]
    return [
        factories.CandidateFactory(chapter=chapter, naf_code=code, company_name=f"C{index} {code}")
        for index, code in enumerate(codes)
    ]


def proposal_of(client, chapter):
    return client.session[f"composer:{chapter.pk}"]


def test_composer_proposes_groups_without_competitors_and_confirms_them(small_chapter, coordinator, login):
    candidates = pool(small_chapter)
    client = login(coordinator)

    response = client.post(
        reverse("groups:composer", kwargs={"code": small_chapter.code}), {"min_size": 3, "max_size": 4}
    )
    assert response.status_code == 302
    stored = proposal_of(client, small_chapter)
    assert sorted(len(group) for group in stored["groups"]) == [4, 4]
    bakeries = {candidates[0].pk, candidates[1].pk}
    assert all(len(bakeries & set(group)) <= 1 for group in stored["groups"])

    page = client.get(reverse("groups:composer_proposal", kwargs={"code": small_chapter.code}))
    assert_shows(page, "C0 10.71C", "C7 81.30Z")

    confirm = client.post(
        reverse("groups:composer_confirm", kwargs={"code": small_chapter.code}),
        {"name_0": "Vannes 2027", "name_1": "Lorient 2027", "start_date": "2027-09-07"},
    )
    assert confirm.status_code == 302
    cohorts = Cohort.objects.filter(name__in=["Vannes 2027", "Lorient 2027"])
    assert {cohort.state for cohort in cohorts} == {CohortState.FORMING}
    assert Membership.objects.filter(cohort__in=cohorts).count() == 8


def test_composer_move_of_a_competitor_is_refused_and_changes_nothing(small_chapter, coordinator, login):
    candidates = pool(small_chapter)
    client = login(coordinator)
    client.post(
        reverse("groups:composer", kwargs={"code": small_chapter.code}), {"min_size": 3, "max_size": 4}
    )
    before = proposal_of(client, small_chapter)
    bakery = candidates[0].pk
    twin_group = next(index for index, group in enumerate(before["groups"]) if candidates[1].pk in group)

    response = client.post(
        reverse("groups:composer_move", kwargs={"code": small_chapter.code}),
        {"candidate": bakery, "target": twin_group},
    )

    assert response.status_code == 302
    assert proposal_of(client, small_chapter)["groups"] == before["groups"]
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert candidates[1].company_name in message


@pytest.mark.parametrize("step", ["groups:composer_move", "groups:composer_confirm"])
def test_a_proposal_confirmed_in_another_tab_sends_back_to_the_composer_saying_why(
    small_chapter, coordinator, login, step
):
    """The proposal left the session (confirmed elsewhere, session ended): say so, not a silent redirect."""
    pool(small_chapter)
    client = login(coordinator)

    response = client.post(
        reverse(step, kwargs={"code": small_chapter.code}), {"candidate": "1", "target": "0", "name_0": "A"}
    )

    assert response["Location"] == reverse("groups:composer", kwargs={"code": small_chapter.code})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Lancez d’abord la composition des groupes."
    ]


def test_composer_move_to_a_full_group_is_refused_but_out_and_back_works(small_chapter, coordinator, login):
    pool(small_chapter)
    client = login(coordinator)
    client.post(
        reverse("groups:composer", kwargs={"code": small_chapter.code}), {"min_size": 3, "max_size": 4}
    )
    groups = proposal_of(client, small_chapter)["groups"]
    mover = groups[0][-1]
    move = reverse("groups:composer_move", kwargs={"code": small_chapter.code})

    client.post(move, {"candidate": mover, "target": 1})  # group 2 is full (4)
    assert proposal_of(client, small_chapter)["groups"] == groups

    client.post(move, {"candidate": mover, "target": "out"})
    assert mover in [pk for pk, _reason in proposal_of(client, small_chapter)["unplaced"]]
    client.post(move, {"candidate": mover, "target": 0})
    assert mover in proposal_of(client, small_chapter)["groups"][0]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"candidate": "x", "target": "0"},
        {"candidate": "999999", "target": "0"},
        {"candidate": "1", "target": "²"},
    ],
)
def test_composer_move_with_odd_input_is_a_message_not_an_error(small_chapter, coordinator, login, data):
    pool(small_chapter)
    client = login(coordinator)
    client.post(
        reverse("groups:composer", kwargs={"code": small_chapter.code}), {"min_size": 3, "max_size": 4}
    )

    response = client.post(reverse("groups:composer_move", kwargs={"code": small_chapter.code}), data)

    assert response.status_code == 302


def test_confirming_a_group_below_the_minimum_creates_nothing(small_chapter, coordinator, login):
    pool(small_chapter)
    client = login(coordinator)
    client.post(
        reverse("groups:composer", kwargs={"code": small_chapter.code}), {"min_size": 3, "max_size": 4}
    )
    groups = proposal_of(client, small_chapter)["groups"]
    move = reverse("groups:composer_move", kwargs={"code": small_chapter.code})
    for pk in groups[0][:2]:
        client.post(move, {"candidate": pk, "target": "out"})

    response = client.post(
        reverse("groups:composer_confirm", kwargs={"code": small_chapter.code}),
        {"name_0": "Vannes 2027", "name_1": "Lorient 2027"},
    )

    assert response.status_code == 200
    assert not Cohort.objects.filter(name__in=["Vannes 2027", "Lorient 2027"]).exists()


def test_composer_members_join_on_the_cohort_start_date(small_chapter, coordinator, login):
    pool(small_chapter)
    client = login(coordinator)
    client.post(
        reverse("groups:composer", kwargs={"code": small_chapter.code}), {"min_size": 3, "max_size": 4}
    )

    client.post(
        reverse("groups:composer_confirm", kwargs={"code": small_chapter.code}),
        {"name_0": "Vannes 2027", "name_1": "Lorient 2027", "start_date": "2027-09-07"},
    )

    assert set(Membership.objects.values_list("joined_on", flat=True)) == {datetime.date(2027, 9, 7)}


def test_composer_confirm_with_an_implausible_date_is_a_form_error(chapter, coordinator, login):
    chapter.group_min_size, chapter.group_max_size = 3, 4
    chapter.save()
    pool(chapter)
    client = login(coordinator)
    client.post(reverse("groups:composer", kwargs={"code": chapter.code}), {"min_size": 3, "max_size": 4})

    response = client.post(
        reverse("groups:composer_confirm", kwargs={"code": chapter.code}),
        {"name_0": "A 2027", "name_1": "B 2027", "start_date": "9999-01-01"},
    )

    assert response.status_code == 200
    assert not Cohort.objects.filter(name__in=["A 2027", "B 2027"]).exists()


def test_composer_confirm_shows_a_placement_error_instead_of_failing(chapter, coordinator, admin, login):
    chapter.group_min_size, chapter.group_max_size = 3, 4
    chapter.save()
    candidates = pool(chapter)
    candidates[2].email = admin.email  # the network administrator's address: never attached to a company
    candidates[2].save()
    client = login(coordinator)
    client.post(reverse("groups:composer", kwargs={"code": chapter.code}), {"min_size": 3, "max_size": 4})

    response = client.post(
        reverse("groups:composer_confirm", kwargs={"code": chapter.code}),
        {"name_0": "A 2027", "name_1": "B 2027"},
    )

    assert response.status_code == 200
    assert_shows(response, admin.email)
    assert not Cohort.objects.filter(name__in=["A 2027", "B 2027"]).exists()
    admin.refresh_from_db()
    assert admin.company is None


def test_composer_refuses_groups_larger_than_the_chapter_allows(chapter, coordinator, login):
    pool(chapter)

    response = login(coordinator).post(
        reverse("groups:composer", kwargs={"code": chapter.code}), {"min_size": 12, "max_size": 16}
    )

    assert response.status_code == 200
    assert f"composer:{chapter.pk}" not in response.wsgi_request.session
