"""Billing pages: the coordinator's list, filters, totals and export; one invoice with its
payments and credit note; the member's invoices and PDF, which nobody else reaches."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from billing import services
from billing.enums import PaymentMethod
from billing.models import Invoice, Payment
from tests import factories
from tests.pages import assert_hides, assert_shows
from tests.queries import count_queries, describe

pytestmark = pytest.mark.usefixtures("media_root")

TODAY = datetime.date(2026, 11, 27)


def list_url(chapter):
    return reverse("billing:chapter_invoices", kwargs={"code": chapter.code})


def detail_url(invoice):
    return reverse("billing:invoice_detail", kwargs={"pk": invoice.pk})


def store_pdf(invoice) -> str:
    name = default_storage.save(f"invoices/{invoice.number}.pdf", ContentFile(b"%PDF-1.7 test"))
    Invoice.objects.filter(pk=invoice.pk).update(pdf=name)
    return name


# --- The coordinator's list --------------------------------------------------------------------


def test_list_shows_invoices_totals_and_members_still_to_invoice(
    invoice, memberships, coordinator, login, invoicing_chapter
):
    page = login(coordinator).get(list_url(invoicing_chapter))

    assert_shows(page, "P56-2026-00001", "Kerlann Informatique", "2\xa0280,00 €", "3 membres à facturer")
    assert_shows(page, "Émettre 3 factures")


def test_the_cohort_batch_issues_the_missing_invoices(
    invoice, memberships, coordinator, login, cohort, invoicing_chapter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(coordinator).post(
            reverse("billing:cohort_invoices", kwargs={"pk": cohort.pk}), follow=True
        )

    assert_shows(response, "3 factures émises pour")
    assert Invoice.objects.count() == 4


def test_issue_refused_without_invoicing_details_says_what_is_missing(
    member_membership, coordinator, login, chapter
):
    response = login(coordinator).post(
        reverse("billing:membership_invoice", kwargs={"pk": member_membership.pk}), follow=True
    )

    assert response.status_code == 200
    assert_shows(response, "Complétez d’abord les informations de facturation de l’antenne")
    assert not Invoice.objects.exists()


def test_filters_by_status_and_period(invoice, memberships, coordinator, login, invoicing_chapter):
    other = services.issue_invoice(memberships[0], actor=coordinator, today=TODAY)
    services.record_payment(
        other, amount=other.total_incl_vat, method=PaymentMethod.CHEQUE, received_on=TODAY, actor=coordinator
    )
    client = login(coordinator)

    paid = client.get(list_url(invoicing_chapter), {"status": "paid"})
    later = client.get(list_url(invoicing_chapter), {"issued_from": "2026-12-01"})
    bad = client.get(list_url(invoicing_chapter), {"issued_from": "2026-12-01", "issued_to": "2026-11-01"})

    assert_shows(paid, other.number)
    assert_hides(paid, invoice.number)
    assert_hides(later, invoice.number, other.number)
    assert bad.status_code == 200
    assert_shows(bad, "La fin de la période vient après son début.")


def test_export_has_one_line_per_invoice_and_credit_note(invoice, coordinator, login, invoicing_chapter):
    services.record_payment(
        invoice, amount=Decimal("100"), method=PaymentMethod.TRANSFER, received_on=TODAY, actor=coordinator
    )
    credit = services.issue_credit_note(invoice, reason="Départ", actor=coordinator, today=TODAY)

    response = login(coordinator).get(
        reverse("billing:invoice_export", kwargs={"code": invoicing_chapter.code})
    )

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Numéro", "Type", "Date"]
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number[invoice.number][5:9] == ["1900,00", "380,00", "2280,00", "100,00"]
    assert by_number[credit.number][5:8] == ["-1900,00", "-380,00", "-2280,00"]
    assert by_number[credit.number][-1] == invoice.number


def test_the_list_and_my_invoices_take_a_fixed_number_of_queries(
    buyer, coordinator, login, invoicing_chapter, cohort
):
    def grow(count):
        for _ in range(count):
            membership = factories.MembershipFactory(cohort=cohort)
            issued = services.issue_invoice(membership, actor=coordinator, today=TODAY)
            services.record_payment(
                issued, amount=Decimal("10"), method=PaymentMethod.CARD, received_on=TODAY, actor=coordinator
            )
            services.issue_credit_note(issued, reason="Erreur", actor=coordinator, today=TODAY)
            services.issue_invoice(membership, actor=coordinator, today=TODAY)

    client = login(coordinator)
    grow(2)
    client.get(list_url(invoicing_chapter))
    small = count_queries(client, list_url(invoicing_chapter))
    grow(8)
    large = count_queries(client, list_url(invoicing_chapter))

    assert large == small, describe(small, large, (6, 24))


# --- One invoice -------------------------------------------------------------------------------


def test_coordinator_records_a_payment_and_the_status_follows(invoice, coordinator, login):
    response = login(coordinator).post(
        detail_url(invoice),
        {
            "action": "payment",
            "amount": "1000,50",
            "method": "transfer",
            "received_on": "2026-11-27",
            "reference": "VIR 42",
        },
        follow=True,
    )

    assert_shows(
        response, "Paiement de 1\xa0000,50 € enregistré.", "Payée en partie", "Reste dû : 1\xa0279,50 €"
    )
    payment = Payment.objects.get()
    assert (payment.amount, payment.reference, payment.recorded_by) == (
        Decimal("1000.50"),
        "VIR 42",
        coordinator,
    )


def test_a_payment_too_large_is_refused_and_the_form_keeps_what_was_typed(invoice, coordinator, login):
    response = login(coordinator).post(
        detail_url(invoice),
        {
            "action": "payment",
            "amount": "5000",
            "method": "cheque",
            "received_on": "2026-11-27",
            "reference": "Chèque 1234567",
        },
    )

    assert response.status_code == 200
    assert_shows(response, "Il ne reste que 2\xa0280,00 € dus sur cette facture.", "Chèque 1234567")
    assert not Payment.objects.exists()


def test_nonsense_input_gets_french_errors_not_a_500(invoice, coordinator, login):
    response = login(coordinator).post(
        detail_url(invoice),
        {"action": "payment", "amount": "douze", "method": "bitcoin", "received_on": "hier"},
    )

    assert response.status_code == 200
    assert_shows(response, "Saisissez un nombre.", "Saisissez une date valide.")
    assert not Payment.objects.exists()


def test_coordinator_cancels_with_a_credit_note(invoice, coordinator, login):
    response = login(coordinator).post(
        detail_url(invoice), {"action": "credit_note", "reason": "Départ avant le démarrage"}, follow=True
    )

    assert_shows(response, "Avoir P56-AV-2026-00001 émis : la facture P56-2026-00001 est annulée.")
    assert invoice.credit_notes.count() == 1


def test_the_buyer_reads_their_invoice_but_cannot_act_on_it(invoice, member, login):
    client = login(member)
    page = client.get(detail_url(invoice))
    refused = client.post(detail_url(invoice), {"action": "credit_note", "reason": "Je préfère pas"})

    assert_shows(page, "P56-2026-00001", "2\xa0280,00 €", "Télécharger le PDF")
    assert_hides(page, "Enregistrer le paiement", "Émettre l’avoir")
    assert refused.status_code == 403
    assert not invoice.credit_notes.exists()


@pytest.mark.parametrize("role", ["facilitator", "sponsor", "other_chapter_coordinator", "outsider"])
def test_nobody_else_learns_the_invoice_exists(role, request, invoice, login):
    store_pdf(invoice)
    client = login(request.getfixturevalue(role))

    assert client.get(detail_url(invoice)).status_code == 404
    assert client.get(reverse("billing:invoice_pdf", kwargs={"pk": invoice.pk})).status_code == 404


def test_another_member_of_the_cohort_reaches_neither_the_invoice_nor_its_file(
    invoice, cohort, login, settings
):
    name = store_pdf(invoice)
    classmate = factories.MembershipFactory(cohort=cohort).person
    client = login(classmate)

    assert client.get(detail_url(invoice)).status_code == 404
    assert client.get(reverse("billing:invoice_pdf", kwargs={"pk": invoice.pk})).status_code == 404
    assert client.get(settings.MEDIA_URL + name).status_code == 404  # files are never served directly


def test_the_buyer_downloads_the_pdf(invoice, member, login):
    store_pdf(invoice)

    response = login(member).get(reverse("billing:invoice_pdf", kwargs={"pk": invoice.pk}))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="P56-2026-00001.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_pdf_not_rendered_yet_says_so(invoice, member, login):
    response = login(member).get(reverse("billing:invoice_pdf", kwargs={"pk": invoice.pk}), follow=True)

    assert_shows(response, "Le PDF de P56-2026-00001 est en préparation")


def test_my_invoices_lists_the_members_own_and_links_from_home(invoice, member, login, cohort, coordinator):
    other = services.issue_invoice(factories.MembershipFactory(cohort=cohort), actor=coordinator, today=TODAY)
    client = login(member)

    page = client.get(reverse("billing:my_invoices"))
    home = client.get(reverse("home"))

    assert_shows(page, "Facture P56-2026-00001", "2\xa0280,00 €")
    assert_hides(page, other.number)
    assert reverse("billing:my_invoices") in home.content.decode()


def test_the_payment_form_offers_the_amount_due_and_today(invoice, coordinator, login):
    from django.utils import timezone

    page = login(coordinator).get(detail_url(invoice))

    html = page.content.decode()
    assert 'name="amount" value="2280,00"' in html
    assert f'name="received_on" value="{timezone.localdate():%Y-%m-%d}"' in html
