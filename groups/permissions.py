"""Who may do what with chapters, cohorts and candidates. Predicates only."""

from groups.roles import roles_for
from groups.selectors import chapter_ids_involving


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


# --- The chapter's companies and people (members' rows; seeing them: is_any_staff) ---------


def can_edit_company(user, company) -> bool:
    return is_coordinator_of(user, company.chapter)


def can_edit_person(user, person) -> bool:
    """A coordinator edits the people of their chapter, and only them.

    Changing someone's e-mail hands their account to whoever reads that mailbox, so a
    coordinator may not edit an admin, a staff account of the Django admin, or anyone
    who holds a role (staff, member, sponsor) in a chapter they do not coordinate.
    """
    actor = roles_for(user)
    if actor.is_admin:
        return True
    if person.is_superuser or person.is_staff:
        return False
    home_chapter_id = person.chapter_id or (person.company.chapter_id if person.company_id else None)
    if home_chapter_id is None or home_chapter_id not in actor.coordinator_chapter_ids:
        return False
    return chapter_ids_involving(person) <= actor.coordinator_chapter_ids
