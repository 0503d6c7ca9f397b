"""billing's QuerySet scope: Invoice.objects.visible_to."""

import datetime

import pytest

from billing import services
from billing.models import Invoice

# Who may open the member's invoice: the buyer, the chapter's coordinators, admins.
OPENS_THE_INVOICE = {
    "admin": True,
    "coordinator": True,
    "other_chapter_coordinator": False,
    "facilitator": False,
    "member": True,
    "sponsor": False,
    "alumni": False,
    "outsider": False,
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("role", list(OPENS_THE_INVOICE))
def test_invoice_in_scope_of_each_role(role, users, buyer, coordinator):
    invoice = services.issue_invoice(buyer, actor=coordinator, today=datetime.date(2026, 11, 27))

    assert (invoice in Invoice.objects.visible_to(users[role])) is OPENS_THE_INVOICE[role]
