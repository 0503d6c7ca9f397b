"""Who may do what with plenaries. Predicates only, answered from the user's roles.

see       `Plenary.objects.visible_to(user)` (the people and staff of the chapters concerned)
manage    a departmental plenary: its chapter's coordinators; a regional one: any
          coordinator of a chapter of the region; admins every plenary
door      the managers, and the facilitators of the chapters concerned (they know the
          faces and often stand at the entrance); admins
create    any coordinator (for their chapter or its region); admins
"""

from plato.roles import roles_for


def _region_ids(user, chapter_ids: frozenset[int]) -> set[int]:
    """The regions of these chapters, asked once per user object."""
    cache = getattr(user, "_plato_plenary_regions", None)
    if cache is None:
        cache = {}
        user._plato_plenary_regions = cache
    if chapter_ids not in cache:
        from groups.models import Chapter

        cache[chapter_ids] = (
            set(Chapter.objects.filter(pk__in=chapter_ids).values_list("region_id", flat=True))
            if chapter_ids
            else set()
        )
    return cache[chapter_ids]


def _concerns(user, plenary, chapter_ids: frozenset[int]) -> bool:
    """One of these chapters is concerned by the plenary."""
    if not plenary.is_regional:
        return plenary.chapter_id in chapter_ids
    return plenary.region_id in _region_ids(user, chapter_ids)


def can_create_plenary(user) -> bool:
    roles = roles_for(user)
    return roles.is_admin or bool(roles.coordinator_chapter_ids)


def can_manage_plenary(user, plenary) -> bool:
    roles = roles_for(user)
    return roles.is_admin or _concerns(user, plenary, roles.coordinator_chapter_ids)


def can_run_door(user, plenary) -> bool:
    roles = roles_for(user)
    return roles.is_admin or _concerns(user, plenary, roles.staff_chapter_ids)


def can_see_plenaries(user) -> bool:
    """Whoever belongs to a chapter (staff, members, sponsors, alumni) or is an admin."""
    roles = roles_for(user)
    return roles.is_admin or bool(roles.staff_chapter_ids) or bool(roles.cohort_ids)
