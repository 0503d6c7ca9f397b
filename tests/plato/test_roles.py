"""Roles are derived from the data: check each fixture gets exactly its own."""

import pytest
from django.contrib.auth.models import AnonymousUser

from groups.enums import CohortState, MembershipState
from groups.roles import Role, roles_for
from tests import factories

EXPECTED_ROLES = {
    "admin": [Role.ADMIN],
    "coordinator": [Role.COORDINATOR],
    "other_chapter_coordinator": [Role.COORDINATOR],
    "facilitator": [Role.FACILITATOR],
    "member": [Role.MEMBER],
    "sponsor": [Role.SPONSOR],
    "alumni": [Role.ALUMNI],
    "outsider": [],
}


@pytest.mark.parametrize("role", list(EXPECTED_ROLES))
def test_roles_for_gives_each_fixture_its_own_roles(role, users):
    roles = roles_for(users[role])

    assert roles.roles == EXPECTED_ROLES[role]
    assert roles.primary == (EXPECTED_ROLES[role][0] if EXPECTED_ROLES[role] else None)


def test_roles_for_scopes_staff_roles_to_their_chapter(users, chapter, other_chapter):
    assert roles_for(users["coordinator"]).coordinator_chapter_ids == {chapter.pk}
    assert roles_for(users["other_chapter_coordinator"]).coordinator_chapter_ids == {other_chapter.pk}
    assert roles_for(users["facilitator"]).facilitator_chapter_ids == {chapter.pk}
    assert roles_for(users["facilitator"]).coordinator_chapter_ids == frozenset()


def test_roles_for_scopes_cohort_roles_to_their_cohort(users, cohort, closed_cohort):
    assert roles_for(users["member"]).member_cohort_ids == {cohort.pk}
    assert roles_for(users["sponsor"]).sponsor_cohort_ids == {cohort.pk}
    assert roles_for(users["alumni"]).alumni_cohort_ids == {closed_cohort.pk}


def test_roles_for_anonymous_is_nobody():
    assert roles_for(AnonymousUser()).roles == []
    assert roles_for(None).roles == []


def test_roles_for_inactive_user_is_nobody(users):
    coordinator = users["coordinator"]
    coordinator.is_active = False

    assert roles_for(coordinator).roles == []


def test_roles_for_member_of_a_closed_cohort_is_alumni(cohort):
    membership = factories.MembershipFactory(cohort=cohort)
    cohort.state = CohortState.CLOSED
    cohort.save()

    assert roles_for(membership.person).roles == [Role.ALUMNI]


def test_roles_for_withdrawn_member_has_no_role(cohort):
    membership = factories.MembershipFactory(cohort=cohort, state=MembershipState.WITHDRAWN)

    assert roles_for(membership.person).roles == []


def test_roles_for_sponsor_of_a_closed_cohort_is_no_longer_sponsor(closed_cohort):
    sponsorship = factories.SponsorshipFactory(cohort=closed_cohort)

    assert roles_for(sponsorship.person).roles == []


def test_roles_for_person_with_several_roles_has_them_in_priority_order(chapter, cohort):
    membership = factories.MembershipFactory(cohort=cohort)
    factories.ChapterRoleFactory(chapter=chapter, user=membership.person)

    roles = roles_for(membership.person)

    assert roles.roles == [Role.COORDINATOR, Role.MEMBER]
    assert roles.primary == Role.COORDINATOR


def test_roles_for_takes_a_fixed_number_of_queries(users, django_assert_num_queries):
    member = users["member"]
    member.__dict__.pop("_plato_roles", None)

    with django_assert_num_queries(3):
        roles_for(member)
    with django_assert_num_queries(0):
        roles_for(member)  # cached on the user object
