"""Who may do what with invoices. Predicates only."""

from groups.roles import roles_for


def can_manage_billing(user, chapter) -> bool:
    """Issue, cancel, record payments, export: the chapter's coordinators and admins."""
    roles = roles_for(user)
    return roles.is_admin or chapter.pk in roles.coordinator_chapter_ids


def can_view_invoice(user, invoice) -> bool:
    """The buyer (the member invoiced), the chapter's coordinators, admins. Nobody else:
    not the facilitator, not a sponsor, not another member of the cohort."""
    if not getattr(user, "is_authenticated", False):
        return False
    return invoice.membership.person_id == user.pk or can_manage_billing(user, invoice.chapter)
