"""A filter that is not valid shows its error and no invoice; its CSV export exports
nothing and sends back to the page with the error — never everything."""

import datetime

import pytest
from django.urls import reverse

from billing import services
from billing.enums import PaymentMethod
from billing.models import Invoice
from tests.pages import assert_hides

TODAY = datetime.date(2026, 11, 27)

BAD_FILTERS = [
    {"issued_from": "2026-02-30", "status": "paid"},
    {"status": "bogus"},
    {"issued_from": "2026-12-01", "issued_to": "2026-11-01"},
    {"cohort": "not-a-number"},
]


@pytest.fixture
def invoices(buyer, memberships, coordinator):
    first = services.issue_invoice(buyer, actor=coordinator, today=TODAY)
    second = services.issue_invoice(memberships[0], actor=coordinator, today=TODAY)
    services.record_payment(
        second,
        amount=second.total_incl_vat,
        method=PaymentMethod.CHEQUE,
        received_on=TODAY,
        actor=coordinator,
    )
    return [first, second]


@pytest.mark.parametrize("query", BAD_FILTERS)
def test_the_list_shows_the_error_and_no_invoice(query, invoices, coordinator, login, invoicing_chapter):
    page = login(coordinator).get(
        reverse("billing:chapter_invoices", kwargs={"code": invoicing_chapter.code}), query
    )

    assert page.status_code == 200
    assert page.context["form"].errors
    assert page.context["listing"].invoices == []
    assert_hides(page, *(invoice.number for invoice in invoices))
    assert (
        reverse("billing:invoice_export", kwargs={"code": invoicing_chapter.code})
        not in page.content.decode()
    )


@pytest.mark.parametrize("query", BAD_FILTERS)
def test_the_export_exports_nothing_and_sends_back_with_the_error(
    query, invoices, coordinator, login, invoicing_chapter
):
    client = login(coordinator)
    export = reverse("billing:invoice_export", kwargs={"code": invoicing_chapter.code})

    response = client.get(export, query)

    assert response.status_code == 302
    assert not response["Content-Type"].startswith("text/csv")
    assert response.url.startswith(
        reverse("billing:chapter_invoices", kwargs={"code": invoicing_chapter.code})
    )
    page = client.get(response.url)
    assert [m.level_tag for m in page.context["messages"]] == ["error"]
    assert page.context["form"].errors
    assert_hides(page, *(invoice.number for invoice in invoices))


def test_a_valid_filter_still_exports_what_it_lists(invoices, coordinator, login, invoicing_chapter):
    response = login(coordinator).get(
        reverse("billing:invoice_export", kwargs={"code": invoicing_chapter.code}), {"status": "paid"}
    )

    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert invoices[1].number in body and invoices[0].number not in body
    assert Invoice.objects.count() == 2
