"""Reads about invoices: their status, derived from payments, credit notes and the due date."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    DecimalField,
    Exists,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round
from django.utils import timezone

from billing.enums import InvoiceKind, InvoiceStatus
from billing.models import Invoice, Payment


def with_status_data(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """Annotate what the status is derived from: `paid` and `cancelled` (one query in all)."""
    return invoices.annotate(
        paid=Coalesce(
            Sum("payments__amount"),
            Value(Decimal("0.00")),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        ),
        cancelled=Exists(Invoice.objects.filter(corrects=OuterRef("pk"), kind=InvoiceKind.CREDIT_NOTE)),
    )


def status_of(invoice: Invoice, today: datetime.date | None = None) -> str:
    """The invoice's status. Reads the `with_status_data` annotations when present."""
    today = today or timezone.localdate()
    if invoice.is_credit_note:
        # A credit note is never money owed: it goes with the invoice it cancels.
        return InvoiceStatus.CANCELLED
    cancelled = getattr(invoice, "cancelled", None)
    if cancelled is None:
        cancelled = invoice.credit_notes.exists()
    if cancelled:
        return InvoiceStatus.CANCELLED
    paid = getattr(invoice, "paid", None)
    if paid is None:
        paid = invoice.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    if _cents(invoice.total_incl_vat - paid) <= 0:
        return InvoiceStatus.PAID
    if invoice.due_on < today:
        return InvoiceStatus.OVERDUE
    if paid > 0:
        return InvoiceStatus.PARTLY_PAID
    return InvoiceStatus.ISSUED


def _cents(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


MONEY = DecimalField(max_digits=12, decimal_places=2)


def _paid_subquery():
    return Coalesce(
        Subquery(
            Payment.objects.filter(invoice=OuterRef("pk"))
            .values("invoice")
            .annotate(total=Sum("amount"))
            .values("total")[:1]
        ),
        Value(Decimal("0.00")),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


def with_status(invoices: QuerySet[Invoice], today: datetime.date | None = None) -> QuerySet[Invoice]:
    """`paid`, `cancelled` and the derived `status` computed by the database, so that lists
    filter and count by status in one query (the same rules as `status_of`)."""
    today = today or timezone.localdate()
    return (
        invoices.annotate(
            paid=_paid_subquery(),
            cancelled=Exists(Invoice.objects.filter(corrects=OuterRef("pk"), kind=InvoiceKind.CREDIT_NOTE)),
        )
        .annotate(
            # Rounded to the cent: on SQLite the amounts are floats, and 576.15 + 589.05 +
            # 1114.86 is not exactly 2280.06 there.
            outstanding=Round(F("total_incl_vat") - F("paid"), 2, output_field=MONEY),
        )
        .annotate(
            status=Case(
                When(kind=InvoiceKind.CREDIT_NOTE, then=Value(InvoiceStatus.CANCELLED)),
                When(cancelled=True, then=Value(InvoiceStatus.CANCELLED)),
                When(outstanding__lte=0, then=Value(InvoiceStatus.PAID)),
                When(due_on__lt=today, then=Value(InvoiceStatus.OVERDUE)),
                When(paid__gt=0, then=Value(InvoiceStatus.PARTLY_PAID)),
                default=Value(InvoiceStatus.ISSUED),
                output_field=CharField(),
            )
        )
    )


@dataclass
class InvoiceList:
    invoices: list[Invoice]
    total_excl_vat: Decimal
    total_vat: Decimal
    total_incl_vat: Decimal
    total_paid: Decimal
    total_due: Decimal


def chapter_invoices(
    chapter,
    *,
    status: str = "",
    cohort_id: int | None = None,
    issued_from: datetime.date | None = None,
    issued_to: datetime.date | None = None,
    today: datetime.date | None = None,
) -> InvoiceList:
    """A chapter's invoices and credit notes, filtered, with totals (credit notes count
    negative, and are listed under « cancelled » with the invoice they cancel; nothing is
    due on either). One query whatever the number of invoices."""
    invoices = with_status(
        Invoice.objects.filter(chapter=chapter).select_related("membership__cohort", "corrects"), today
    )
    if status:
        invoices = invoices.filter(status=status)
    if cohort_id:
        invoices = invoices.filter(membership__cohort_id=cohort_id)
    if issued_from:
        invoices = invoices.filter(issued_on__gte=issued_from)
    if issued_to:
        invoices = invoices.filter(issued_on__lte=issued_to)
    rows = list(invoices.order_by("-issued_on", "-kind", "-sequence"))

    def signed(invoice, amount):
        return -amount if invoice.is_credit_note else amount

    total_excl = sum((signed(i, i.total_excl_vat) for i in rows), Decimal("0.00"))
    total_vat = sum((signed(i, i.vat_amount) for i in rows), Decimal("0.00"))
    total_incl = sum((signed(i, i.total_incl_vat) for i in rows), Decimal("0.00"))
    paid = sum((i.paid for i in rows), Decimal("0.00"))
    due = sum(
        (i.total_incl_vat - i.paid for i in rows if not i.is_credit_note and i.status in OPEN_STATUSES),
        Decimal("0.00"),
    )
    return InvoiceList(rows, total_excl, total_vat, total_incl, paid, due)


OPEN_STATUSES = (InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID, InvoiceStatus.OVERDUE)


def invoices_of(user) -> list[Invoice]:
    """The invoices and credit notes a member was sent (alumni keep theirs)."""
    return list(
        with_status(
            Invoice.objects.filter(membership__person=user).select_related("membership__cohort", "corrects")
        ).order_by("-issued_on", "-sequence")
    )


def invoice_page(invoice: Invoice) -> Invoice:
    """One invoice with its status, lines, payments and credit notes (fixed queries)."""
    return (
        with_status(Invoice.objects.filter(pk=invoice.pk))
        .select_related("membership__cohort", "membership__person", "chapter", "corrects")
        .prefetch_related("lines", "payments__recorded_by", "credit_notes")
        .get()
    )


def uninvoiced_memberships(chapter):
    """Active members of the chapter's cohorts with no standing invoice, per cohort."""
    from groups.enums import CohortState, MembershipState
    from groups.models import Membership

    standing = Invoice.objects.filter(membership=OuterRef("pk"), kind=InvoiceKind.INVOICE).exclude(
        credit_notes__isnull=False
    )
    return list(
        Membership.objects.filter(
            cohort__chapter=chapter,
            state=MembershipState.ACTIVE,
            cohort__state__in=[CohortState.FORMING, CohortState.ACTIVE],
        )
        .filter(~Exists(standing))
        .select_related("cohort", "company", "person")
        .order_by("cohort__name", "company__name")
    )
