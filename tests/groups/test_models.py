"""groups' QuerySet scopes."""

import pytest

from groups.models import Chapter

# The chapters each role coordinates: where it creates companies, people, cohorts,
# plenaries and local networks.
COORDINATED = {
    "admin": ["chapter", "other_chapter"],
    "coordinator": ["chapter"],
    "other_chapter_coordinator": ["other_chapter"],
    "facilitator": [],
    "member": [],
    "sponsor": [],
    "alumni": [],
    "outsider": [],
}


@pytest.mark.parametrize("role", list(COORDINATED))
def test_chapters_coordinated_by_each_role(role, users, request):
    expected = {request.getfixturevalue(name) for name in COORDINATED[role]}

    assert set(Chapter.objects.coordinated_by(users[role])) == expected
