"""The demo's invoices: every status an invoice list shows, and the demo member's paid one."""

import datetime
from decimal import Decimal

from django.utils import timezone

from billing import services
from billing.enums import PaymentMethod
from billing.models import Invoice
from groups.enums import MembershipState
from groups.models import Cohort
from members.models import User


def invoices(cohort: Cohort, forming: Cohort, coordinator: User) -> None:
    """The active cohort's invoices, issued a week after its start: most paid, one
    overdue with a part paid, one cancelled by a credit note and issued again today
    (half paid), the demo member's paid (with its PDF, to download); and two of the
    forming cohort's, issued today, not due yet. Skipped once the chapter has invoices:
    issued invoices are never changed, so the demo keeps the first ones."""
    if Invoice.objects.filter(chapter=cohort.chapter).exists():
        return
    issued_on = cohort.start_date + datetime.timedelta(days=7)
    memberships = list(
        cohort.memberships.filter(state=MembershipState.ACTIVE).select_related("person").order_by("pk")
    )
    invoices = [services.issue_invoice(m, actor=coordinator, today=issued_on) for m in memberships]
    for index, invoice in enumerate(invoices):
        if index == 2:  # cancelled (wrong address) and issued again today, not paid yet
            services.issue_credit_note(
                invoice, reason="Adresse de facturation erronée", actor=coordinator, today=issued_on
            )
            again = services.issue_invoice(invoice.membership, actor=coordinator)
            services.record_payment(  # the first half, by transfer
                again,
                amount=(again.total_incl_vat / 2).quantize(Decimal("0.01")),
                method=PaymentMethod.TRANSFER,
                received_on=again.issued_on,
                reference="VIR ACOMPTE",
                actor=coordinator,
            )
            continue
        if index == 3:  # overdue: nothing received
            continue
        amount = Decimal("1000.00") if index == 4 else invoice.total_incl_vat
        services.record_payment(
            invoice,
            amount=amount,
            method=PaymentMethod.CHEQUE if index % 3 else PaymentMethod.TRANSFER,
            received_on=issued_on + datetime.timedelta(days=10 + index),
            reference=f"VIR {invoice.number}" if index % 3 == 0 else f"Chèque n° {4_812_300 + index}",
            actor=coordinator,
        )
    for membership in forming.memberships.filter(state=MembershipState.ACTIVE).order_by("pk")[:2]:
        services.issue_invoice(membership, actor=coordinator)
    # The demo does not e-mail its invoices: they count as sent when issued.
    Invoice.objects.filter(chapter=cohort.chapter).update(emailed_at=timezone.now())
