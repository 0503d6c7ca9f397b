"""Who may do what with plenaries. Predicates only, answered from the user's roles.

One chapter organises each plenary (`Plenary.organiser`: a departmental plenary's own
chapter, or the chapter of the region that organises a regional one).

see            `Plenary.objects.visible_to(user)` (the people and staff of the chapters
               concerned)
manage         the plenary itself — edit, cancel, program, capacity, every registration,
               the full exports: the organising chapter's coordinators; admins every plenary
registrations  a regional plenary's other chapters' coordinators manage their own
               chapter's people only: register and cancel them, their cohorts' quotas,
               the exports of their own registrants (`registration_chapter_ids`)
door           the organising chapter's coordinators and facilitators (they know the
               faces and stand at the entrance); admins
create         any coordinator, organised by their chapter (departmental or regional);
               admins
"""

from groups.permissions import is_any_coordinator
from groups.roles import roles_for

EVERY_CHAPTER = None  # what `registration_chapter_ids` answers to an organiser or an admin


def _chapter_regions(user) -> dict[int, int]:
    """The region of each chapter the user coordinates, asked once per user object."""
    cached = getattr(user, "_plato_coordinated_regions", None)
    if cached is None:
        from groups.models import Chapter

        ids = roles_for(user).coordinator_chapter_ids
        cached = dict(Chapter.objects.filter(pk__in=ids).values_list("pk", "region_id")) if ids else {}
        user._plato_coordinated_regions = cached
    return cached


def can_create_plenary(user) -> bool:
    return is_any_coordinator(user)


def can_manage_plenary(user, plenary) -> bool:
    """The plenary itself: its organising chapter's coordinators, admins."""
    roles = roles_for(user)
    return roles.is_admin or (
        plenary.organiser_id is not None and plenary.organiser_id in roles.coordinator_chapter_ids
    )


def registration_chapter_ids(user, plenary) -> frozenset[int] | None:
    """Whose registrations the user manages: every chapter's (`EVERY_CHAPTER`, None) for
    the plenary's managers; their own chapters for a regional plenary's other chapters'
    coordinators; nobody's (an empty set) for anyone else."""
    if can_manage_plenary(user, plenary):
        return EVERY_CHAPTER
    if not plenary.is_regional:
        return frozenset()
    return frozenset(
        chapter_id
        for chapter_id, region_id in _chapter_regions(user).items()
        if region_id == plenary.region_id
    )


def can_manage_registrations(user, plenary) -> bool:
    """The registrations page, someone's registration, a quota, the exports: some of them."""
    return registration_chapter_ids(user, plenary) != frozenset()


def manages_chapter(chapter_ids: frozenset[int] | None, chapter_id: int | None) -> bool:
    """Whether a registration (or a cohort) of `chapter_id` is among those managed."""
    return chapter_ids is EVERY_CHAPTER or chapter_id in chapter_ids


def attendee_list_chapter_ids(user, plenary) -> frozenset[int] | None:
    """The attendee list (PDF): everyone's for those at the door; otherwise the people
    whose registrations the user manages."""
    if can_run_door(user, plenary):
        return EVERY_CHAPTER
    return registration_chapter_ids(user, plenary)


def can_read_attendee_list(user, plenary) -> bool:
    return attendee_list_chapter_ids(user, plenary) != frozenset()


def can_run_door(user, plenary) -> bool:
    roles = roles_for(user)
    return roles.is_admin or (
        plenary.organiser_id is not None and plenary.organiser_id in roles.staff_chapter_ids
    )


def can_see_plenaries_and_networks(user) -> bool:
    """The plenaries and the local networks' directory, and their links in the navigation:
    whoever belongs to a chapter (staff, members, sponsors, alumni) or is an admin."""
    roles = roles_for(user)
    return roles.is_admin or bool(roles.staff_chapter_ids) or bool(roles.cohort_ids)
