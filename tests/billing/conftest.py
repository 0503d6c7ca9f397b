"""Fixtures shared by the billing tests: the member's invoice (the chapter with its invoicing
details and the buyer are in tests/conftest.py: other apps' tests issue invoices too)."""

import datetime

import pytest

from tests import factories
from tests.conftest import marked_fields

TODAY = datetime.date(2026, 11, 27)


@pytest.fixture
def invoice(request, buyer, coordinator):
    """The member's invoice, issued by the coordinator on 27 November 2026, or on the day of
    `pytest.mark.invoice(today=…)`."""
    today = marked_fields(request, "invoice").get("today", TODAY)
    return factories.InvoiceFactory(membership=buyer, actor=coordinator, today=today)
