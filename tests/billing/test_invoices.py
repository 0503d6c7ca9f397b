"""Issuing invoices and credit notes: numbers, frozen copies, amounts, statuses, payments."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from billing import selectors, services
from billing.enums import InvoiceKind, InvoiceStatus, PaymentMethod
from billing.models import FrozenError, Invoice, InvoiceLine, NumberCounter
from tests import factories

TODAY = datetime.date(2026, 11, 27)


def issue(membership, coordinator, today=TODAY):
    return services.issue_invoice(membership, actor=coordinator, today=today)


# --- Issue ---------------------------------------------------------------------------------


def test_invoice_copies_seller_buyer_terms_and_amounts(buyer, coordinator, cohort):
    invoice = issue(buyer, coordinator)

    assert invoice.number == "P56-2026-00001"
    assert (invoice.issued_on, invoice.due_on) == (TODAY, TODAY + datetime.timedelta(days=30))
    assert invoice.seller_name == "Chambre de commerce et d'industrie du Morbihan"
    assert (invoice.seller_siret, invoice.seller_vat_number) == ("31423845200010", "FR13314238452")
    assert invoice.buyer_name == "Kerlann Informatique"
    assert invoice.buyer_address == "4 rue du Port"
    assert invoice.buyer_siren == buyer.company.siret[:9]
    assert invoice.buyer_contact == "Gwenaël Le Floch"
    assert (invoice.total_excl_vat, invoice.vat_amount, invoice.total_incl_vat) == (
        Decimal("1900.00"),
        Decimal("380.00"),
        Decimal("2280.00"),
    )
    (line,) = invoice.lines.all()
    assert line.description.startswith(f"Programme Plato — {cohort.name}, du ")
    assert "16 demi-journées" in line.description
    assert invoice.late_penalty_rate == "trois fois le taux d'intérêt légal"


def test_later_changes_of_the_chapter_or_company_leave_the_invoice_as_issued(
    buyer, coordinator, invoicing_chapter
):
    invoice = issue(buyer, coordinator)
    invoicing_chapter.fee = Decimal("2400.00")
    invoicing_chapter.issuer_address = "1 place de la Mairie"
    invoicing_chapter.save()
    buyer.company.name = "Kerlann Numérique"
    buyer.company.save()

    invoice.refresh_from_db()
    assert (invoice.total_excl_vat, invoice.seller_address, invoice.buyer_name) == (
        Decimal("1900.00"),
        "21 quai des Indes",
        "Kerlann Informatique",
    )


def test_vat_exempt_chapter_prints_the_exemption_and_no_vat(buyer, coordinator, invoicing_chapter):
    invoicing_chapter.vat_rate = Decimal("0")
    invoicing_chapter.vat_exemption_text = "TVA non applicable, article 261-4-4° a du CGI"
    invoicing_chapter.save()

    invoice = issue(buyer, coordinator)

    assert (invoice.vat_amount, invoice.total_incl_vat) == (Decimal("0.00"), Decimal("1900.00"))
    assert invoice.vat_exemption_text == "TVA non applicable, article 261-4-4° a du CGI"


def test_instalments_split_the_total_over_the_first_year(buyer, coordinator, invoicing_chapter):
    invoicing_chapter.instalments = 2
    invoicing_chapter.fee = Decimal("1900.01")
    invoicing_chapter.save()

    invoice = issue(buyer, coordinator)

    assert invoice.instalments == [
        {"due_on": "2026-12-27", "amount": "1140.01"},
        {"due_on": "2027-06-27", "amount": "1140.00"},
    ]
    assert sum(Decimal(part["amount"]) for part in invoice.instalments) == invoice.total_incl_vat


def test_a_membership_is_invoiced_once(buyer, coordinator):
    issue(buyer, coordinator)

    with pytest.raises(ValidationError, match="a déjà une facture"):
        issue(buyer, coordinator)
    assert Invoice.objects.count() == 1


def test_missing_invoicing_details_are_named(member_membership, coordinator, chapter):
    with pytest.raises(ValidationError) as refusal:
        issue(member_membership, coordinator)

    assert "adresse" in str(refusal.value) and "SIRET" in str(refusal.value)
    assert not Invoice.objects.exists() and not NumberCounter.objects.exists()


@pytest.mark.parametrize("role", ["facilitator", "member", "sponsor", "other_chapter_coordinator"])
def test_only_the_chapters_coordinators_issue(role, request, buyer):
    with pytest.raises(ValidationError):
        issue(buyer, request.getfixturevalue(role))
    assert not Invoice.objects.exists()


def test_numbers_follow_each_other_and_a_new_year_starts_a_new_series(memberships, buyer, coordinator):
    first = issue(memberships[0], coordinator, today=datetime.date(2026, 12, 30))
    second = issue(memberships[1], coordinator, today=datetime.date(2026, 12, 31))
    third = issue(memberships[2], coordinator, today=datetime.date(2027, 1, 2))

    assert [first.number, second.number, third.number] == [
        "P56-2026-00001",
        "P56-2026-00002",
        "P56-2027-00001",
    ]


def test_the_issue_date_never_goes_below_the_last_one_of_the_series(memberships, coordinator):
    later = issue(memberships[0], coordinator, today=datetime.date(2026, 11, 28))
    # A server whose clock is a day behind issues the next number.
    behind = issue(memberships[1], coordinator, today=datetime.date(2026, 11, 27))

    assert behind.sequence == later.sequence + 1
    assert behind.issued_on == later.issued_on


def test_a_rolled_back_issue_consumes_no_number(memberships, coordinator):
    with pytest.raises(RuntimeError), transaction.atomic():
        issue(memberships[0], coordinator)
        raise RuntimeError("the batch failed after the issue")

    invoice = issue(memberships[1], coordinator)

    assert invoice.number == "P56-2026-00001"


def test_cohort_batch_invoices_every_active_member_not_invoiced_yet(memberships, buyer, coordinator, cohort):
    issue(memberships[0], coordinator)

    batch = services.issue_cohort_invoices(cohort, actor=coordinator, today=TODAY)

    assert len(batch) == 3  # the member and two of the three others
    numbers = sorted(invoice.sequence for invoice in Invoice.objects.all())
    assert numbers == [1, 2, 3, 4]
    assert services.issue_cohort_invoices(cohort, actor=coordinator, today=TODAY) == []


# --- Frozen --------------------------------------------------------------------------------


def test_an_issued_invoice_cannot_be_saved_again(invoice):
    invoice.total_excl_vat = Decimal("1.00")
    with pytest.raises(FrozenError):
        invoice.save()
    with pytest.raises(FrozenError):
        invoice.save(update_fields=["buyer_name"])


def test_an_issued_invoice_cannot_be_deleted(invoice):
    with pytest.raises(FrozenError):
        invoice.delete()
    with pytest.raises(FrozenError):
        Invoice.objects.filter(pk=invoice.pk).delete()
    with pytest.raises(FrozenError):
        invoice.lines.get().delete()
    assert Invoice.objects.filter(pk=invoice.pk).exists()


def test_queryset_update_may_only_touch_the_bookkeeping(invoice):
    with pytest.raises(FrozenError):
        Invoice.objects.filter(pk=invoice.pk).update(total_incl_vat=Decimal("1.00"))
    with pytest.raises(FrozenError):
        InvoiceLine.objects.filter(invoice=invoice).update(description="autre chose")

    Invoice.objects.filter(pk=invoice.pk).update(emailed_at=timezone.now())

    invoice.refresh_from_db()
    assert invoice.emailed_at is not None and invoice.total_incl_vat == Decimal("2280.00")


def test_raw_sql_cannot_change_an_issued_invoice_either(invoice):
    table = Invoice._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET total_incl_vat = 1 WHERE id = %s", [invoice.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {InvoiceLine._meta.db_table} SET description = 'x' WHERE invoice_id = %s", [invoice.pk]
        )
    with transaction.atomic(), connection.cursor() as cursor:  # the bookkeeping may change
        cursor.execute(f"UPDATE {table} SET pdf_rendered_at = %s WHERE id = %s", [timezone.now(), invoice.pk])

    invoice.refresh_from_db()
    assert invoice.total_incl_vat == Decimal("2280.00")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite refuses deletions in the ORM only")
def test_raw_sql_cannot_delete_an_issued_invoice_on_postgresql(invoice):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {InvoiceLine._meta.db_table} WHERE invoice_id = %s", [invoice.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Invoice._meta.db_table} WHERE id = %s", [invoice.pk])
    assert Invoice.objects.filter(pk=invoice.pk).exists()


# --- Credit notes --------------------------------------------------------------------------


def test_a_credit_note_cancels_the_invoice_in_its_own_series(invoice, coordinator, buyer):
    credit = services.issue_credit_note(
        invoice, reason="Départ avant le démarrage", actor=coordinator, today=TODAY
    )

    assert credit.kind == InvoiceKind.CREDIT_NOTE and credit.corrects == invoice
    assert credit.number == "P56-AV-2026-00001"
    assert credit.total_incl_vat == invoice.total_incl_vat
    assert credit.buyer_name == invoice.buyer_name
    (line,) = credit.lines.all()
    assert (
        "P56-2026-00001 du 27/11/2026" in line.description and "Départ avant le démarrage" in line.description
    )
    assert selectors.status_of(invoice, TODAY) == InvoiceStatus.CANCELLED
    # The membership may be invoiced again, with the next invoice number.
    assert issue(buyer, coordinator).number == "P56-2026-00002"


def test_an_invoice_is_cancelled_once_and_a_reason_is_required(invoice, coordinator):
    with pytest.raises(ValidationError):
        services.issue_credit_note(invoice, reason="  ", actor=coordinator)
    services.issue_credit_note(invoice, reason="Erreur d'adresse", actor=coordinator)
    with pytest.raises(ValidationError, match="déjà annulée"):
        services.issue_credit_note(invoice, reason="Encore", actor=coordinator)
    assert Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).count() == 1


# --- Payments and status -------------------------------------------------------------------


def pay(invoice, coordinator, amount, received_on=TODAY):
    return services.record_payment(
        invoice,
        amount=Decimal(amount),
        method=PaymentMethod.TRANSFER,
        received_on=received_on,
        actor=coordinator,
    )


def test_status_follows_payments_and_the_due_date(invoice, coordinator):
    assert selectors.status_of(invoice, TODAY) == InvoiceStatus.ISSUED
    assert selectors.status_of(invoice, invoice.due_on + datetime.timedelta(days=1)) == InvoiceStatus.OVERDUE

    pay(invoice, coordinator, "1000")
    assert selectors.status_of(invoice, TODAY) == InvoiceStatus.PARTLY_PAID

    pay(invoice, coordinator, "1280")
    assert selectors.status_of(invoice, invoice.due_on + datetime.timedelta(days=90)) == InvoiceStatus.PAID


def test_status_from_annotations_matches(invoice, coordinator):
    pay(invoice, coordinator, "100")
    annotated = selectors.with_status_data(Invoice.objects.filter(pk=invoice.pk)).get()

    assert annotated.paid == Decimal("100.00") and annotated.cancelled is False
    assert selectors.status_of(annotated, TODAY) == InvoiceStatus.PARTLY_PAID


@pytest.mark.parametrize(
    ("amount", "received_on", "field"),
    [
        ("0", TODAY, "amount"),
        ("-5", TODAY, "amount"),
        ("2280.01", TODAY, "amount"),
        ("10", timezone.localdate() + datetime.timedelta(days=2), "received_on"),
        ("10", TODAY - datetime.timedelta(days=1), "received_on"),
    ],
)
def test_a_payment_that_cannot_be_is_refused_with_the_field(invoice, coordinator, amount, received_on, field):
    with pytest.raises(ValidationError) as refusal:
        pay(invoice, coordinator, amount, received_on)

    assert field in refusal.value.error_dict
    assert not invoice.payments.exists()


def test_no_payment_on_a_cancelled_invoice_nor_by_a_facilitator(invoice, coordinator, facilitator):
    with pytest.raises(ValidationError):
        pay(invoice, facilitator, "10")
    services.issue_credit_note(invoice, reason="Erreur", actor=coordinator)
    with pytest.raises(ValidationError, match="annulée"):
        pay(invoice, coordinator, "10")


def test_invoices_of_another_chapter_use_their_own_series(buyer, coordinator, other_chapter):
    issue(buyer, coordinator)
    other = factories.ChapterFactory(code="29", invoice_prefix="P29")
    assert not Invoice.objects.filter(chapter=other).exists()
    assert NumberCounter.objects.get().chapter == buyer.cohort.chapter
