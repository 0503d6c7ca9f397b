"""meetings' QuerySet scopes: Meeting.objects.visible_to and ActionItem.objects.visible_to."""

import pytest

from groups.enums import StaffRole
from meetings.models import ActionItem, Meeting
from tests import factories

# Who sees the meeting of the active cohort of Plato 56 (members, sponsors, alumni see
# their own cohort's; the chapter's staff every cohort's; admins all).
SEES_THE_MEETING = {
    "admin": True,
    "coordinator": True,
    "other_chapter_coordinator": False,
    "facilitator": True,
    "member": True,
    "sponsor": True,
    "alumni": False,  # an alumni of another (closed) cohort
    "outsider": False,
}

# Who sees the member's action item: the member, the cohort's facilitators, the chapter's
# coordinators, admins; not a sponsor, not an alumni, not another chapter.
SEES_THE_ITEM = {
    "admin": True,
    "coordinator": True,
    "other_chapter_coordinator": False,
    "facilitator": True,
    "member": True,
    "sponsor": False,
    "alumni": False,
    "outsider": False,
}


@pytest.mark.parametrize("role", list(SEES_THE_MEETING))
def test_meeting_in_scope_of_each_role(role, users, cohort, other_chapter):
    meeting = factories.MeetingFactory(cohort=cohort)
    elsewhere = factories.MeetingFactory(cohort=factories.CohortFactory(chapter=other_chapter))

    visible = set(Meeting.objects.visible_to(users[role]))

    assert (meeting in visible) is SEES_THE_MEETING[role]
    assert (elsewhere in visible) is (role in ("admin", "other_chapter_coordinator"))


@pytest.mark.parametrize("role", list(SEES_THE_ITEM))
def test_action_item_in_scope_of_each_role(role, users, cohort):
    item = factories.ActionItemFactory(meeting__cohort=cohort, person=users["member"])

    visible = set(ActionItem.objects.visible_to(users[role]))

    assert (item in visible) is SEES_THE_ITEM[role]


def test_action_item_out_of_scope_of_a_facilitator_of_another_cohort(users, chapter, cohort):
    item = factories.ActionItemFactory(meeting__cohort=cohort, person=users["member"])
    other = factories.ChapterRoleFactory(chapter=chapter, role=StaffRole.FACILITATOR).user
    factories.CohortFactory(chapter=chapter).facilitators.add(other)

    assert item not in ActionItem.objects.visible_to(other)
