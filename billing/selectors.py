"""Reads about invoices: their status, derived from payments, credit notes and the due date."""

import datetime
from decimal import Decimal

from django.db.models import DecimalField, Exists, OuterRef, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from billing.enums import InvoiceKind, InvoiceStatus
from billing.models import Invoice


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
        return InvoiceStatus.ISSUED
    cancelled = getattr(invoice, "cancelled", None)
    if cancelled is None:
        cancelled = invoice.credit_notes.exists()
    if cancelled:
        return InvoiceStatus.CANCELLED
    paid = getattr(invoice, "paid", None)
    if paid is None:
        paid = invoice.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    if paid >= invoice.total_incl_vat:
        return InvoiceStatus.PAID
    if invoice.due_on < today:
        return InvoiceStatus.OVERDUE
    if paid > 0:
        return InvoiceStatus.PARTLY_PAID
    return InvoiceStatus.ISSUED
