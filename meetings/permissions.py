"""Who may do what with meetings. Predicates only."""

from groups.enums import MembershipState
from groups.models import Membership
from plato.roles import roles_for


def can_view_meeting(user, meeting) -> bool:
    """The cohort's members, sponsors and alumni, the chapter's staff, admins."""
    roles = roles_for(user)
    return (
        roles.is_admin
        or meeting.cohort.chapter_id in roles.staff_chapter_ids
        or meeting.cohort_id in roles.cohort_ids
    )


def can_vote(user, meeting) -> bool:
    """Members vote; sponsors and facilitators do not (even when they are members elsewhere)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(
        cohort_id=meeting.cohort_id, person=user, state=MembershipState.ACTIVE
    ).exists()


def can_run_meeting(user, meeting) -> bool:
    """The cohort's facilitators, the chapter's coordinators, admins."""
    roles = roles_for(user)
    if roles.is_admin or meeting.cohort.chapter_id in roles.coordinator_chapter_ids:
        return True
    return meeting.cohort.facilitators.filter(pk=getattr(user, "pk", None)).exists()
