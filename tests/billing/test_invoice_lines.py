"""No line is added to an issued invoice or credit note: once its lines add up to its
total, a new line is refused by the ORM, by bulk_create and by raw SQL (a database trigger
on both engines). Issuing, lines after the invoice, still works."""

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from billing import services
from billing.models import FrozenError, Invoice, InvoiceLine

TODAY = datetime.date(2026, 11, 27)


def extra_line(invoice, amount="10.00"):
    return InvoiceLine(
        invoice=invoice,
        position=1,
        description="Frais de dossier",
        quantity=Decimal("1"),
        unit_price_excl_vat=Decimal(amount),
        total_excl_vat=Decimal(amount),
    )


@pytest.mark.parametrize("amount", ["10.00", "0.00"])
def test_the_orm_refuses_a_line_on_an_issued_invoice(invoice, amount):
    with pytest.raises(FrozenError):
        InvoiceLine.objects.create(
            **{
                f: getattr(extra_line(invoice, amount), f)
                for f in (
                    "invoice",
                    "position",
                    "description",
                    "quantity",
                    "unit_price_excl_vat",
                    "total_excl_vat",
                )
            }
        )
    with pytest.raises(FrozenError):
        extra_line(invoice, amount).save()
    assert invoice.lines.count() == 1


@pytest.mark.parametrize("amount", ["10.00", "0.00"])
def test_bulk_create_is_refused_by_the_database(invoice, amount):
    with pytest.raises(DatabaseError), transaction.atomic():
        InvoiceLine.objects.bulk_create([extra_line(invoice, amount)])
    assert invoice.lines.count() == 1


def test_raw_sql_is_refused_by_the_database(invoice):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO billing_invoiceline (invoice_id, position, description, quantity,"
            " unit_price_excl_vat, total_excl_vat) VALUES (%s, 1, 'x', 1, 0.01, 0.01)",
            [invoice.pk],
        )
    assert invoice.lines.count() == 1


def test_a_credit_note_is_frozen_too(invoice, coordinator):
    credit = services.issue_credit_note(invoice, reason="Départ", actor=coordinator, today=TODAY)

    with pytest.raises(DatabaseError), transaction.atomic():
        InvoiceLine.objects.bulk_create([extra_line(credit)])
    assert credit.lines.count() == 1


def test_lines_that_add_up_to_the_total_may_be_written_after_the_invoice(invoice):
    """The issue order: the invoice, then its lines (one by one or in bulk) up to its total."""
    fields = {
        f.name: getattr(invoice, f.name)
        for f in Invoice._meta.concrete_fields
        if f.name not in ("id", "number", "sequence", "pdf", "created_at")
    }
    fields.update(
        number="P56-2026-09999",
        sequence=9999,
        total_excl_vat=Decimal("1900.06"),
        vat_amount=Decimal("380.01"),
        total_incl_vat=Decimal("2280.07"),
    )
    other = Invoice.objects.create(**fields)
    InvoiceLine.objects.bulk_create([extra_line(other, "1000.03"), extra_line(other, "900.02")])
    extra_line(other, "0.01").save()

    assert sum(line.total_excl_vat for line in other.lines.all()) == Decimal("1900.06")
    with pytest.raises(FrozenError):
        extra_line(other, "0.01").save()


def test_after_all_migrations_the_insert_trigger_exists(invoice):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        names = {row[0] for row in cursor.fetchall()}
    assert "billing_invoiceline_added" in names
