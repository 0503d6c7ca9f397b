"""tests/factories/: every factory builds a row that passes `full_clean`; an invoice is issued
the way production issues it."""

import datetime

import pytest

from billing.enums import InvoiceKind
from plenaries.enums import RegistrationState
from tests import factories

FACTORIES = sorted(name for name in factories.__all__ if name.endswith("Factory"))
# What a factory leaves to the test: who declared a conflict (the tests that read it say so).
REQUIRED = {"DeclaredConflictFactory": lambda: {"declared_by": factories.UserFactory()}}


@pytest.mark.parametrize("name", FACTORIES)
def test_every_factory_builds_a_valid_row(name, db):
    row = getattr(factories, name)(**REQUIRED.get(name, dict)())

    row.full_clean()


def test_an_invoice_is_numbered_and_frozen_from_its_chapter_and_buyer(db):
    membership = factories.MembershipFactory(cohort__chapter__invoicing=True)

    invoice = factories.InvoiceFactory(membership=membership, today=datetime.date(2026, 11, 27))

    chapter = membership.cohort.chapter
    assert invoice.kind == InvoiceKind.INVOICE
    assert invoice.number == f"{chapter.invoice_prefix}-2026-00001"
    assert invoice.issued_on == datetime.date(2026, 11, 27)
    assert invoice.seller_siret == chapter.issuer_siret
    assert invoice.buyer_name == membership.company.name
    assert invoice.total_excl_vat == chapter.fee


def test_an_invoices_frozen_fields_cannot_be_passed(db):
    with pytest.raises(TypeError, match="frozen at issue"):
        factories.InvoiceFactory(number="F-1")


def test_a_registration_is_a_registered_place(db):
    registration = factories.RegistrationFactory()

    assert registration.state == RegistrationState.REGISTERED
    assert list(registration.plenary.registrations.all()) == [registration]
