"""Who may do what with chapters, and (later) cohorts. Predicates only."""

from plato.roles import roles_for


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
