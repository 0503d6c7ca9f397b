"""Who may see and change companies and people. Predicates only."""

from groups.permissions import is_any_coordinator, is_any_staff, is_coordinator_of
from groups.roles import roles_for
from groups.selectors import chapter_ids_involving


def can_view_directory(user) -> bool:
    """The chapter's companies and people pages: CCI staff and admins."""
    return is_any_staff(user)


def can_create_in_some_chapter(user) -> bool:
    return is_any_coordinator(user)


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
