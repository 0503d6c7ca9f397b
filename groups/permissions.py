"""Who may do what with chapters, cohorts and candidates. Predicates only."""

from groups.roles import roles_for


def is_admin(user) -> bool:
    return roles_for(user).is_admin


def is_coordinator_of(user, chapter) -> bool:
    roles = roles_for(user)
    return roles.is_admin or chapter.pk in roles.coordinator_chapter_ids


def is_staff_of(user, chapter) -> bool:
    """Coordinator or facilitator of the chapter (or admin)."""
    roles = roles_for(user)
    return roles.is_admin or chapter.pk in roles.staff_chapter_ids


def is_any_staff(user) -> bool:
    roles = roles_for(user)
    return roles.is_admin or bool(roles.staff_chapter_ids)


def is_any_coordinator(user) -> bool:
    roles = roles_for(user)
    return roles.is_admin or bool(roles.coordinator_chapter_ids)


def can_edit_chapter(user, chapter) -> bool:
    return is_coordinator_of(user, chapter)


def can_view_cohort(user, cohort) -> bool:
    """The cohort page (the CCI's working view): the chapter's staff and admins."""
    return is_staff_of(user, cohort.chapter)


def can_manage_cohort(user, cohort) -> bool:
    """Members, sponsors, lifecycle: the chapter's coordinators and admins."""
    return is_coordinator_of(user, cohort.chapter)


def can_view_directory(user, cohort) -> bool:
    """The cohort directory: its members, sponsors and alumni, and the chapter's staff."""
    roles = roles_for(user)
    return roles.is_admin or cohort.chapter_id in roles.staff_chapter_ids or cohort.pk in roles.cohort_ids


def can_declare_competitor(user, cohort) -> bool:
    """A member of the cohort (current) may name a company they compete with."""
    return cohort.pk in roles_for(user).member_cohort_ids


def can_manage_candidates(user, chapter) -> bool:
    return is_coordinator_of(user, chapter)
