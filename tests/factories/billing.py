"""Factories of billing/: invoices, issued the only way an invoice is made."""

import factory
from factory.django import DjangoModelFactory

from billing import services
from billing.models import Invoice
from tests.factories.groups import ChapterRoleFactory, MembershipFactory


class InvoiceFactory(DjangoModelFactory):
    """An invoice issued by `billing.services.issue_invoice`: numbered under its chapter's
    counter, with its issuer, buyer, lines and amounts frozen from the chapter and the
    membership, as in production. Pass `membership=` (its chapter with invoicing details,
    e.g. the `buyer` fixture), `actor=` (a coordinator of that chapter) and `today=`; by
    default a new member of a new invoicing chapter, issued by its coordinator today.
    The invoice's own fields cannot be passed: they are frozen at issue."""

    class Meta:
        model = Invoice

    membership = factory.SubFactory(MembershipFactory, cohort__chapter__invoicing=True)
    actor = factory.LazyAttribute(
        lambda invoice: ChapterRoleFactory(chapter=invoice.membership.cohort.chapter).user
    )
    today = None  # the issue date; None: today

    @classmethod
    def _create(cls, model_class, *, membership, actor, today, **fields):
        if fields:
            raise TypeError(
                f"An invoice's fields are frozen at issue ({', '.join(sorted(fields))}): "
                "change the chapter or the membership before issuing, or pass today=."
            )
        return services.issue_invoice(membership, actor=actor, today=today)
