"""Reads about invoices: their status, derived from payments, credit notes and the due date."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    CharField,
    DecimalField,
    Exists,
    F,
    Func,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round
from django.utils import formats, timezone

from billing.enums import InvoiceKind, InvoiceStatus
from billing.models import Invoice, Payment

CENT = Decimal("0.01")


def euros(value) -> str:
    """An amount as people read it in the active language: « 2 280,00 »."""
    return formats.number_format(
        Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP), 2, use_l10n=True, force_grouping=True
    )


def paid_amount(invoice: Invoice) -> Decimal:
    return invoice.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def instalments(invoice: Invoice) -> list[dict]:
    """The invoice's instalments as stored (dates and Decimal amounts)."""
    return [
        {"due_on": datetime.date.fromisoformat(part["due_on"]), "amount": Decimal(part["amount"])}
        for part in invoice.instalments or []
    ]


def days_late(invoice: Invoice, today: datetime.date) -> int:
    """Days since the oldest unpaid instalment fell due (without a schedule: the due date).
    Reads the `paid` annotation of `with_status`."""
    return (today - overdue_since(invoice, invoice.paid)).days


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
    if _cents(due_by(invoice, today) - paid) > 0:
        return InvoiceStatus.OVERDUE
    if paid > 0:
        return InvoiceStatus.PARTLY_PAID
    return InvoiceStatus.ISSUED


def due_by(invoice: Invoice, today: datetime.date) -> Decimal:
    """What fell due before `today`: the instalments whose date has passed, or without a
    schedule the whole total once the due date has passed."""
    if invoice.instalments:
        return sum(
            (Decimal(i["amount"]) for i in invoice.instalments if i["due_on"] < today.isoformat()),
            Decimal("0.00"),
        )
    return invoice.total_incl_vat if invoice.due_on < today else Decimal("0.00")


def overdue_since(invoice: Invoice, paid: Decimal) -> datetime.date:
    """The due date of the oldest instalment not covered by what was paid (payments go to
    the oldest instalments first); without a schedule, the invoice's due date."""
    left = paid
    for instalment in sorted(invoice.instalments, key=lambda i: i["due_on"]):
        left -= Decimal(instalment["amount"])
        if _cents(left) < 0:
            return datetime.date.fromisoformat(instalment["due_on"])
    return invoice.due_on


def _cents(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


MONEY = DecimalField(max_digits=12, decimal_places=2)


class InstalmentsDueBefore(Func):
    """The sum of the instalments of an invoice's schedule (its `instalments` JSON list of
    {"due_on", "amount"}) due before a day; NULL when the invoice has no schedule."""

    output_field = MONEY

    def __init__(self, schedule, day: datetime.date):
        super().__init__(schedule, Value(day.isoformat()))

    def as_sql(self, compiler, connection, **extra_context):
        schedule, schedule_params = compiler.compile(self.source_expressions[0])
        day, day_params = compiler.compile(self.source_expressions[1])
        # Only compiled expressions are interpolated (their values are parameters).
        if connection.vendor == "postgresql":
            sql = (
                "(SELECT CASE WHEN COUNT(*) = 0 THEN NULL ELSE COALESCE(SUM(CASE WHEN"  # noqa: S608
                f" i.value->>'due_on' < {day} THEN (i.value->>'amount')::numeric END), 0) END"
                f" FROM jsonb_array_elements({schedule}) AS i)"
            )
        else:  # SQLite
            sql = (
                "(SELECT CASE WHEN COUNT(*) = 0 THEN NULL ELSE COALESCE(SUM(CASE WHEN"  # noqa: S608
                f" json_extract(i.value, '$.due_on') < {day}"
                " THEN CAST(json_extract(i.value, '$.amount') AS REAL) END), 0) END"
                f" FROM json_each({schedule}) AS i)"
            )
        return sql, (*day_params, *schedule_params)


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
    """`paid`, `cancelled`, `outstanding` (what remains to pay), `overdue_amount` (what fell
    due before today and was not paid) and the derived `status`, computed by the database
    so that lists filter and count by status in one query (the same rules as `status_of`).

    Overdue means that what fell due exceeds what was paid: with a schedule of instalments,
    the instalments whose date has passed; without, the whole total after the due date."""
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
            overdue_amount=Round(
                Coalesce(
                    InstalmentsDueBefore(F("instalments"), today),
                    Case(When(due_on__lt=today, then=F("total_incl_vat")), default=Value(Decimal("0.00"))),
                    output_field=MONEY,
                )
                - F("paid"),
                2,
                output_field=MONEY,
            ),
        )
        .annotate(
            status=Case(
                When(kind=InvoiceKind.CREDIT_NOTE, then=Value(InvoiceStatus.CANCELLED)),
                When(cancelled=True, then=Value(InvoiceStatus.CANCELLED)),
                When(outstanding__lte=0, then=Value(InvoiceStatus.PAID)),
                When(overdue_amount__gt=0, then=Value(InvoiceStatus.OVERDUE)),
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
