"""Who may do what with invoices. Predicates only."""

from groups.permissions import is_coordinator_of


def can_manage_billing(user, chapter) -> bool:
    """Issue, cancel, record payments, export: the chapter's coordinators and admins."""
    return is_coordinator_of(user, chapter)


def can_view_invoice(user, invoice) -> bool:
    """The buyer (the member invoiced), the chapter's coordinators, admins. Nobody else:
    not the facilitator, not a sponsor, not another member of the cohort."""
    if not getattr(user, "is_authenticated", False):
        return False
    return invoice.membership.person_id == user.pk or can_manage_billing(user, invoice.chapter)
