"""Who may do what with meetings. Predicates only."""

from groups.enums import MembershipState
from groups.models import Membership
from groups.roles import roles_for


def can_view_meeting(user, meeting) -> bool:
    """The cohort's members, sponsors and alumni, the chapter's staff, admins."""
    roles = roles_for(user)
    return (
        roles.is_admin
        or meeting.cohort.chapter_id in roles.staff_chapter_ids
        or meeting.cohort_id in roles.cohort_ids
    )


def is_member_of(user, cohort) -> bool:
    """A current member of the cohort, from the user's roles (no query once they are known)."""
    return cohort.pk in roles_for(user).member_cohort_ids


def is_active_member(user, cohort_id: int) -> bool:
    """The same, asked of the database at the moment of a write."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(cohort_id=cohort_id, person=user, state=MembershipState.ACTIVE).exists()


def can_vote(user, meeting) -> bool:
    """Members vote; sponsors and facilitators do not (even when they are members elsewhere)."""
    return is_active_member(user, meeting.cohort_id)


def can_run_meeting(user, meeting) -> bool:
    """The cohort's facilitators, the chapter's coordinators, admins."""
    return can_run_meetings_of(user, meeting.cohort)


def can_run_meetings_of(user, cohort) -> bool:
    """The same people, for a cohort's schedule (adding a meeting)."""
    roles = roles_for(user)
    if roles.is_admin or cohort.chapter_id in roles.coordinator_chapter_ids:
        return True
    return cohort.facilitators.filter(pk=getattr(user, "pk", None)).exists()
