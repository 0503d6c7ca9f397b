"""Issuing invoices and credit notes, recording payments.

Numbers: one series per chapter, kind and year (`P56-2026-00001`, credit notes
`P56-AV-2026-00001`), taken under a row lock on the series' counter inside the issuing
transaction: concurrent issues queue on the lock and get consecutive numbers, and an
issue that rolls back gives its number back (the counter's increment rolls back with
it). The issue date is read under the same lock and never goes below the series' last
one, so dates never go down as numbers go up.

Everything the document says is copied onto it at issue (see billing.models); the PDF
is rendered afterwards by a Celery task enqueued on commit (billing.tasks).
"""

import datetime
import logging
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from billing import notifications
from billing.enums import InvoiceKind, PaymentMethod
from billing.models import Invoice, InvoiceLine, NumberCounter, Payment
from billing.selectors import euros, paid_amount
from groups.enums import MembershipState
from groups.models import Chapter, Cohort, Membership
from groups.permissions import is_coordinator_of
from plato.tasks import enqueue_each_on_commit

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
CREDIT_NOTE_INFIX = "AV"


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_number(chapter: Chapter, kind: str, year: int, sequence: int) -> str:
    parts = [chapter.invoice_prefix]
    if kind == InvoiceKind.CREDIT_NOTE:
        parts.append(CREDIT_NOTE_INFIX)
    return "-".join([*parts, str(year), f"{sequence:05d}"])


def _take_number(chapter: Chapter, kind: str, today: datetime.date) -> tuple[int, int, datetime.date]:
    """The next (year, sequence, issue date) of the series, under its counter's row lock.

    Call inside the issuing transaction (the lock and the increment end with it).
    """
    year = today.year
    # The counter row exists before it is locked (two first issues of a year must not
    # both create it); ignore_conflicts makes the creation race harmless.
    NumberCounter.objects.bulk_create(
        [NumberCounter(chapter=chapter, kind=kind, year=year)], ignore_conflicts=True
    )
    counter = NumberCounter.objects.select_for_update().get(chapter=chapter, kind=kind, year=year)
    last_date = Invoice.objects.filter(chapter=chapter, kind=kind, year=year).aggregate(
        last=Max("issued_on")
    )["last"]
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return year, counter.last_number, max(today, last_date) if last_date else today


def _missing_issuer_details(chapter: Chapter) -> list[str]:
    required = {
        "issuer_legal_name": _("legal name"),
        "issuer_address": _("address"),
        "issuer_postcode": _("postcode"),
        "issuer_town": _("town"),
        "issuer_siret": _("SIRET"),
        "invoice_prefix": _("invoice number prefix"),
    }
    if not chapter.is_vat_exempt:
        required["issuer_vat_number"] = _("VAT number")
    return [str(label) for name, label in required.items() if not getattr(chapter, name)]


def _instalments(total: Decimal, count: int, first_due: datetime.date) -> list[dict]:
    """`count` instalments, evenly spread over the programme's first year (the cents left
    by the split go on the first one)."""
    if count <= 1:
        return []
    share = (total / count).quantize(CENT, rounding=ROUND_DOWN)
    amounts = [share] * count
    amounts[0] += total - share * count
    months = 12 // count
    dues = []
    for index in range(count):
        month = first_due.month - 1 + index * months
        year, month = first_due.year + month // 12, month % 12 + 1
        day = min(first_due.day, 28)
        dues.append(datetime.date(year, month, day) if index else first_due)
    return [
        {"due_on": due.isoformat(), "amount": str(amount)} for due, amount in zip(dues, amounts, strict=True)
    ]


@dataclass(frozen=True)
class Amounts:
    excl_vat: Decimal
    vat: Decimal
    incl_vat: Decimal


def amounts_for(excl_vat: Decimal, vat_rate: Decimal) -> Amounts:
    excl_vat = money(excl_vat)
    vat = money(excl_vat * vat_rate / 100)
    return Amounts(excl_vat, vat, excl_vat + vat)


def _check_can_issue(chapter: Chapter, actor) -> None:
    if not is_coordinator_of(actor, chapter):
        raise ValidationError(_("Only the chapter's coordinators issue invoices."))
    missing = _missing_issuer_details(chapter)
    if missing:
        raise ValidationError(
            _("Complete the chapter's invoicing details first: %(fields)s.") % {"fields": ", ".join(missing)}
        )


def is_invoiced(membership: Membership) -> bool:
    """An invoice stands for the membership (one not cancelled by a credit note)."""
    return (
        Invoice.objects.filter(membership=membership, kind=InvoiceKind.INVOICE)
        .exclude(credit_notes__isnull=False)
        .exists()
    )


def _refused_by_the_database(error: IntegrityError) -> ValidationError:
    """An issue the database refused (a check on the amounts, a frozen row): a message the
    page shows, never a 500. Nothing was issued: the caller's transaction rolls back."""
    logger.error("Invoice issue refused by the database: %s", error)
    return ValidationError(
        _("The invoice could not be issued: its amounts were refused. Check the chapter's fee and VAT rate.")
    )


def _issue_invoice(membership: Membership, *, actor, today: datetime.date) -> Invoice:
    try:
        with transaction.atomic():
            return _create_invoice(membership, actor=actor, today=today)
    except IntegrityError as error:
        raise _refused_by_the_database(error) from error


def _create_invoice(membership: Membership, *, actor, today: datetime.date) -> Invoice:
    cohort, company, person = membership.cohort, membership.company, membership.person
    chapter = cohort.chapter
    # The membership's row lock (its row alone: no join, so neither the cohort's nor the
    # chapter's row) makes "still a member? already invoiced?" and the issue one step; the
    # state is read again under the lock, as another transaction may have changed it.
    state = (
        Membership.objects.select_for_update(of=("self",))
        .filter(pk=membership.pk)
        .order_by()
        .values_list("state", flat=True)
        .first()
    )
    if state != MembershipState.ACTIVE:
        raise ValidationError(
            _("%(person)s is no longer a member of %(cohort)s.") % {"person": person, "cohort": cohort}
        )
    if is_invoiced(membership):
        raise ValidationError(
            _("%(company)s already has an invoice for %(cohort)s.") % {"company": company, "cohort": cohort}
        )
    year, sequence, issued_on = _take_number(chapter, InvoiceKind.INVOICE, today)
    amounts = amounts_for(chapter.fee, chapter.vat_rate)
    due_on = issued_on + datetime.timedelta(days=chapter.payment_terms_days)
    invoice = Invoice.objects.create(
        kind=InvoiceKind.INVOICE,
        chapter=chapter,
        membership=membership,
        number=format_number(chapter, InvoiceKind.INVOICE, year, sequence),
        year=year,
        sequence=sequence,
        issued_on=issued_on,
        due_on=due_on,
        seller_name=chapter.issuer_legal_name,
        seller_address=chapter.issuer_address,
        seller_postcode=chapter.issuer_postcode,
        seller_town=chapter.issuer_town,
        seller_siret=chapter.issuer_siret,
        seller_vat_number=chapter.issuer_vat_number,
        seller_iban=chapter.issuer_iban,
        seller_bic=chapter.issuer_bic,
        buyer_name=company.name,
        buyer_address=company.address,
        buyer_postcode=company.postcode,
        buyer_town=company.town,
        buyer_siren=company.siren,
        buyer_siret=company.siret,
        buyer_vat_number=company.vat_number,
        buyer_contact=person.get_full_name(),
        buyer_email=person.email,
        vat_rate=chapter.vat_rate,
        vat_exemption_text=chapter.vat_exemption_text if chapter.is_vat_exempt else "",
        total_excl_vat=amounts.excl_vat,
        vat_amount=amounts.vat,
        total_incl_vat=amounts.incl_vat,
        late_penalty_rate=chapter.late_penalty_rate,
        early_payment_discount=chapter.early_payment_discount,
        instalments=_instalments(amounts.incl_vat, chapter.instalments, due_on),
        issued_by=actor,
    )
    description = _("Plato programme — %(cohort)s, from %(start)s to %(end)s") % {
        "cohort": cohort.name,
        "start": cohort.start_date.strftime("%d/%m/%Y"),
        "end": cohort.end_date.strftime("%d/%m/%Y"),
    }
    if chapter.programme_commitment:
        description += "\n" + chapter.programme_commitment
    InvoiceLine.objects.create(
        invoice=invoice,
        position=0,
        description=description,
        quantity=Decimal("1"),
        unit_price_excl_vat=amounts.excl_vat,
        total_excl_vat=amounts.excl_vat,
    )
    return invoice


def _after_issue(invoices: list[Invoice]) -> None:
    """Their PDFs rendered and e-mailed by a task after the commit: one message for a whole
    batch, and never a wait on the broker (billing.tasks.sweep_pending_documents hands over
    later what the broker did not take)."""
    notifications.plan_invoice_emails(invoices)
    enqueue_each_on_commit("billing.render_and_send_invoice", [invoice.pk for invoice in invoices])


@transaction.atomic
def issue_invoice(membership: Membership, *, actor, today: datetime.date | None = None) -> Invoice:
    """The membership's invoice, from its chapter's fee, VAT and terms. Its PDF is rendered
    and e-mailed to the member by a Celery task after the commit."""
    membership = Membership.objects.select_related("cohort__chapter", "company", "person").get(
        pk=membership.pk
    )
    _check_can_issue(membership.cohort.chapter, actor)
    invoice = _issue_invoice(membership, actor=actor, today=today or timezone.localdate())
    _after_issue([invoice])
    return invoice


@transaction.atomic
def issue_cohort_invoices(cohort: Cohort, *, actor, today: datetime.date | None = None) -> list[Invoice]:
    """An invoice for each active member of the cohort not invoiced yet: all or none."""
    cohort = Cohort.objects.select_related("chapter").get(pk=cohort.pk)
    _check_can_issue(cohort.chapter, actor)
    today = today or timezone.localdate()
    # Every member's row is locked up front, in the order of their keys, before any number
    # is taken: a single issue for one of them at the same moment (which holds its member's
    # lock, then takes the counter's) is waited for, never waited for while this batch
    # holds the counter — each would wait for the other (a deadlock).
    list(
        Membership.objects.select_for_update(of=("self",))
        .filter(cohort=cohort, state=MembershipState.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    memberships = (
        Membership.objects.filter(cohort=cohort, state=MembershipState.ACTIVE)
        .select_related("cohort__chapter", "company", "person")
        .order_by("company__name", "pk")
    )
    issued = [
        _issue_invoice(membership, actor=actor, today=today)
        for membership in memberships
        if not is_invoiced(membership)
    ]
    _after_issue(issued)
    return issued


@transaction.atomic
def issue_credit_note(invoice: Invoice, *, reason: str, actor, today: datetime.date | None = None) -> Invoice:
    """Cancel an invoice: a credit note of the same amounts, in the credit notes' series,
    referring to the invoice's number and date. Its PDF follows, as for an invoice."""
    try:
        with transaction.atomic():
            credit = _issue_credit_note(invoice, reason=reason, actor=actor, today=today)
    except IntegrityError as error:
        raise _refused_by_the_database(error) from error
    _after_issue([credit])
    return credit


def _issue_credit_note(invoice: Invoice, *, reason: str, actor, today: datetime.date | None) -> Invoice:
    invoice = Invoice.objects.select_related("chapter", "membership").get(pk=invoice.pk)
    chapter = invoice.chapter
    if not is_coordinator_of(actor, chapter):
        raise ValidationError(_("Only the chapter's coordinators issue credit notes."))
    if invoice.is_credit_note:
        raise ValidationError(_("A credit note is not corrected by another credit note."))
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Say why the invoice is cancelled: it is printed on the credit note.")}
        )
    Invoice.objects.select_for_update().filter(pk=invoice.pk).first()
    if invoice.credit_notes.exists():
        raise ValidationError(_("This invoice is already cancelled by a credit note."))
    year, sequence, issued_on = _take_number(chapter, InvoiceKind.CREDIT_NOTE, today or timezone.localdate())
    fields = {
        field.name: getattr(invoice, field.name)
        for field in Invoice._meta.concrete_fields
        if field.name.startswith(("seller_", "buyer_"))
        or field.name
        in (
            "vat_rate",
            "vat_exemption_text",
            "total_excl_vat",
            "vat_amount",
            "total_incl_vat",
            "late_penalty_rate",
            "early_payment_discount",
        )
    }
    credit = Invoice.objects.create(
        kind=InvoiceKind.CREDIT_NOTE,
        chapter=chapter,
        membership=invoice.membership,
        corrects=invoice,
        number=format_number(chapter, InvoiceKind.CREDIT_NOTE, year, sequence),
        year=year,
        sequence=sequence,
        issued_on=issued_on,
        due_on=issued_on,
        issued_by=actor,
        **fields,
    )
    InvoiceLine.objects.create(
        invoice=credit,
        position=0,
        description=_("Credit note cancelling invoice %(number)s of %(date)s. Reason: %(reason)s")
        % {
            "number": invoice.number,
            "date": invoice.issued_on.strftime("%d/%m/%Y"),
            "reason": reason.strip(),
        },
        quantity=Decimal("1"),
        unit_price_excl_vat=invoice.total_excl_vat,
        total_excl_vat=invoice.total_excl_vat,
    )
    return credit


@transaction.atomic
def record_payment(
    invoice: Invoice,
    *,
    amount: Decimal,
    method: str,
    received_on: datetime.date,
    reference: str = "",
    actor,
) -> Payment:
    """Money received for an invoice (full or partial). Its status follows by itself."""
    invoice = Invoice.objects.select_for_update().select_related("chapter").get(pk=invoice.pk)
    if not is_coordinator_of(actor, invoice.chapter):
        raise ValidationError(_("Only the chapter's coordinators record payments."))
    if invoice.is_credit_note:
        raise ValidationError(_("A payment is recorded against an invoice, not a credit note."))
    if invoice.credit_notes.exists():
        raise ValidationError(_("This invoice is cancelled by a credit note: no payment is due."))
    if method not in PaymentMethod.values:
        raise ValidationError({"method": _("Choose transfer, cheque or card.")})
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    amount = money(amount)
    due = money(invoice.total_incl_vat - paid_amount(invoice))
    if amount > due:
        raise ValidationError(
            {"amount": _("Only %(due)s € remain due on this invoice.") % {"due": euros(due)}}
        )
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("A payment cannot be received in the future.")})
    if received_on < invoice.issued_on:
        raise ValidationError({"received_on": _("The payment cannot predate the invoice.")})
    return Payment.objects.create(
        invoice=invoice,
        amount=amount,
        method=method,
        received_on=received_on,
        reference=reference.strip(),
        recorded_by=actor,
    )
