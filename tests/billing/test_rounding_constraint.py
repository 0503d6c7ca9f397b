"""Amounts whose float sum is not exact on SQLite (1900.06 at 20 %: 1900.06 + 380.01) still
issue; the frozen-document triggers survive the migration that changed the constraint;
an integrity error while issuing is a message, never a 500."""

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse

from billing import services
from billing.models import Invoice, InvoiceLine

TODAY = datetime.date(2026, 11, 27)


def test_a_fee_whose_float_sum_is_inexact_issues(buyer, coordinator, invoicing_chapter):
    invoicing_chapter.fee = Decimal("1900.06")
    invoicing_chapter.save()

    invoice = services.issue_invoice(buyer, actor=coordinator, today=TODAY)

    invoice.refresh_from_db()
    assert (invoice.total_excl_vat, invoice.vat_amount, invoice.total_incl_vat) == (
        Decimal("1900.06"),
        Decimal("380.01"),
        Decimal("2280.07"),
    )


def test_the_issue_page_issues_that_fee_without_a_500(buyer, coordinator, invoicing_chapter, login):
    invoicing_chapter.fee = Decimal("1900.06")
    invoicing_chapter.save()

    response = login(coordinator).post(reverse("billing:membership_invoice", kwargs={"pk": buyer.pk}))

    assert response.status_code == 302
    assert Invoice.objects.get().total_incl_vat == Decimal("2280.07")


def test_totals_that_do_not_add_up_are_still_refused(buyer, coordinator):
    invoice = services.issue_invoice(buyer, actor=coordinator, today=TODAY)
    fields = {
        f.name: getattr(invoice, f.name)
        for f in Invoice._meta.concrete_fields
        if f.name not in ("id", "number", "sequence", "pdf", "created_at")
    }
    fields.update(number="X-1", sequence=99, total_incl_vat=Decimal("2280.02"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.create(**fields)


def test_an_integrity_error_while_issuing_is_a_message_not_a_500(
    buyer, coordinator, invoicing_chapter, login, monkeypatch
):
    def refuse(**kwargs):
        raise IntegrityError("CHECK constraint failed: invoice_totals_add_up")

    monkeypatch.setattr(InvoiceLine.objects, "create", refuse)
    client = login(coordinator)

    response = client.post(reverse("billing:membership_invoice", kwargs={"pk": buyer.pk}), follow=True)

    assert response.status_code == 200
    assert not Invoice.objects.exists()
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1 and "P56" not in errors[0]

    cohort_response = client.post(
        reverse("billing:cohort_invoices", kwargs={"pk": buyer.cohort.pk}), follow=True
    )
    assert cohort_response.status_code == 200
    assert not Invoice.objects.exists()


def _trigger_names():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {row[0] for row in cursor.fetchall()}


def test_after_all_migrations_the_frozen_triggers_exist_and_refuse_updates(buyer, coordinator):
    assert {"billing_invoice_frozen", "billing_invoiceline_frozen"} <= _trigger_names()
    invoice = services.issue_invoice(buyer, actor=coordinator, today=TODAY)

    for column, value in (("total_incl_vat", 1), ("buyer_name", "'Autre'"), ("due_on", "'2030-01-01'")):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE billing_invoice SET {column} = {value} WHERE id = %s", [invoice.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE billing_invoiceline SET total_excl_vat = 1 WHERE invoice_id = %s", [invoice.pk]
        )

    invoice.refresh_from_db()
    assert (invoice.total_incl_vat, invoice.buyer_name) == (Decimal("2280.00"), "Kerlann Informatique")
