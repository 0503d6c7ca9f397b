"""Who may see and change companies and people. Predicates only."""

from groups.permissions import is_any_coordinator, is_any_staff, is_coordinator_of, is_staff_of


def can_view_directory(user) -> bool:
    """The chapter's companies and people pages: CCI staff and admins."""
    return is_any_staff(user)


def can_create_in_some_chapter(user) -> bool:
    return is_any_coordinator(user)


def can_view_company(user, company) -> bool:
    return is_staff_of(user, company.chapter)


def can_edit_company(user, company) -> bool:
    return is_coordinator_of(user, company.chapter)


def can_edit_person(user, person) -> bool:
    # A coordinator must not be able to take over an administrator's account.
    if person.is_superuser and not user.is_superuser:
        return False
    chapter = person.chapter or (person.company.chapter if person.company else None)
    return chapter is not None and is_coordinator_of(user, chapter)
