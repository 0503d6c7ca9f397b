"""Amounts as people type them in French: a space, a no-break space or a narrow no-break
space between thousands, a decimal comma or point."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from billing import services
from billing.forms import PaymentForm
from billing.models import Payment

TODAY = datetime.date(2026, 11, 27)


def form(amount):
    return PaymentForm({"amount": amount, "method": "transfer", "received_on": "2026-11-27"})


@pytest.mark.parametrize(
    "typed",
    ["1 900,50", "1\xa0900,50", "1\u202f900,50", "1900,50", "1900.50", " 1 900,50 ", "1 900.50"],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_thousands_separators_and_either_decimal_mark_are_read(typed, language):
    with translation.override(language):
        typed_form = form(typed)
        assert typed_form.is_valid(), typed_form.errors
    assert typed_form.cleaned_data["amount"] == Decimal("1900.50")


@pytest.mark.parametrize("typed", ["douze", "1,900,50", "", "1 9a0"])
def test_what_is_not_an_amount_is_still_refused(typed):
    with translation.override("fr"):
        assert not form(typed).is_valid()


def test_the_coordinator_records_an_amount_typed_with_a_thousands_space(buyer, coordinator, login):
    invoice = services.issue_invoice(buyer, actor=coordinator, today=TODAY)

    response = login(coordinator).post(
        reverse("billing:invoice_detail", kwargs={"pk": invoice.pk}),
        {"action": "payment", "amount": "1\u202f900,50", "method": "transfer", "received_on": "2026-11-27"},
        follow=True,
    )

    assert response.status_code == 200
    assert Payment.objects.get().amount == Decimal("1900.50")
