"""members' scopes by relation names agree with the roles groups derives (groups.roles).

members may not import groups, so `User.objects.visible_to` and `Company.objects.visible_to`
reach the staff roles through the user's `chapter_roles`; these tests hold them to the
rule the apps above read from `roles_for`, for every role and for a deactivated account.
"""

import pytest
from django.db.models import Q

from groups.roles import roles_for
from members.models import Company, User
from tests.world import ROLES

SIGNED_IN = [role for role in ROLES if role != "anonymous"]


def _people_by_roles(user) -> set:
    roles = roles_for(user)
    if roles.is_admin:
        return set(User.objects.all())
    ids = roles.staff_chapter_ids
    return set(User.objects.filter(Q(chapter_id__in=ids) | Q(company__chapter_id__in=ids)))


def _companies_by_roles(user) -> set:
    roles = roles_for(user)
    if roles.is_admin:
        return set(Company.objects.all())
    return set(Company.objects.filter(Q(chapter_id__in=roles.staff_chapter_ids) | Q(people=user)))


@pytest.mark.parametrize("role", SIGNED_IN)
def test_people_in_scope_are_those_of_the_chapters_the_roles_staff(role, users, other_company):
    user = users[role]

    assert set(User.objects.visible_to(user)) == _people_by_roles(user)


@pytest.mark.parametrize("role", SIGNED_IN)
def test_companies_in_scope_are_those_of_the_chapters_the_roles_staff(role, users, other_company):
    user = users[role]

    assert set(Company.objects.visible_to(user)) == _companies_by_roles(user)


@pytest.mark.parametrize("role", ["admin", "coordinator", "facilitator"])
def test_a_deactivated_account_sees_nobody_and_no_chapters_company(role, users, other_company):
    user = users[role]
    user.is_active = False
    user.save()
    user = User.objects.get(pk=user.pk)

    assert list(User.objects.visible_to(user)) == []
    assert set(Company.objects.visible_to(user)) == set(Company.objects.filter(people=user))
