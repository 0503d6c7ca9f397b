"""A credit note is never money owed: it counts in no "still due" total and is listed with
the invoice it cancels, under « cancelled », never under an open status."""

import datetime
from decimal import Decimal

from django.urls import reverse

from billing import selectors, services
from billing.enums import InvoiceStatus

TODAY = datetime.date(2026, 11, 27)


def test_a_cancelled_invoice_and_its_credit_note_leave_nothing_due(buyer, coordinator, invoicing_chapter):
    invoice = services.issue_invoice(buyer, actor=coordinator, today=TODAY)
    credit = services.issue_credit_note(invoice, reason="Départ", actor=coordinator, today=TODAY)

    listing = selectors.chapter_invoices(invoicing_chapter, today=TODAY)

    assert listing.total_due == Decimal("0.00")
    assert listing.total_incl_vat == Decimal("0.00")
    assert {i.number: i.status for i in listing.invoices} == {
        invoice.number: InvoiceStatus.CANCELLED,
        credit.number: InvoiceStatus.CANCELLED,
    }
    assert selectors.status_of(credit, TODAY) == InvoiceStatus.CANCELLED


def test_status_filters_list_credit_notes_only_under_cancelled(
    buyer, memberships, coordinator, invoicing_chapter
):
    cancelled = services.issue_invoice(buyer, actor=coordinator, today=TODAY)
    credit = services.issue_credit_note(cancelled, reason="Départ", actor=coordinator, today=TODAY)
    open_invoice = services.issue_invoice(memberships[0], actor=coordinator, today=TODAY)

    def numbers(status):
        return {
            i.number
            for i in selectors.chapter_invoices(invoicing_chapter, status=status, today=TODAY).invoices
        }

    assert numbers(InvoiceStatus.ISSUED) == {open_invoice.number}
    assert numbers(InvoiceStatus.CANCELLED) == {cancelled.number, credit.number}
    assert selectors.chapter_invoices(invoicing_chapter, today=TODAY).total_due == Decimal("2280.00")


def test_the_page_total_due_is_zero_after_a_credit_note(buyer, coordinator, invoicing_chapter, login):
    invoice = services.issue_invoice(buyer, actor=coordinator, today=TODAY)
    services.issue_credit_note(invoice, reason="Départ", actor=coordinator, today=TODAY)

    page = login(coordinator).get(
        reverse("billing:chapter_invoices", kwargs={"code": invoicing_chapter.code})
    )

    assert page.context["listing"].total_due == Decimal("0.00")
