"""The invoice's PDF (every French mention, the number on every page) and its e-mail, each once.

Set PLATO_PDF_PREVIEW_DIR=/tmp/pdfs to keep the PDFs these tests render, to look at them.
"""

import datetime
import os
import subprocess
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import translation

from billing import documents, services
from billing.models import Invoice
from members.identifiers import vat_number_for

pytestmark = pytest.mark.usefixtures("media_root")

TODAY = datetime.date(2026, 11, 27)
EXEMPTION = "TVA non applicable, article 261-4-4° a du CGI"


@pytest.fixture
def pdf_pages(tmp_path):
    """The text of each page of a PDF (`pdftotext -layout`), whitespace collapsed to single
    spaces (the layout's columns and the no-break spaces of amounts alike)."""
    folder = Path(os.environ.get("PLATO_PDF_PREVIEW_DIR") or tmp_path / "renders")
    folder.mkdir(parents=True, exist_ok=True)

    def pages(content: bytes, name: str = "invoice") -> list[str]:
        path = folder / f"{name}.pdf"
        path.write_bytes(content)
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout
        return [" ".join(page.split()) for page in text.split("\f") if page.strip()]

    return pages


def stored_files(media_root: Path) -> list[str]:
    return sorted(str(path.relative_to(media_root)) for path in media_root.rglob("*.pdf"))


def issue(membership, coordinator):
    return services.issue_invoice(membership, actor=coordinator, today=TODAY)


def grouped(digits: str) -> str:
    """A SIREN or SIRET as printed: 314 238 452 00010."""
    return " ".join([digits[0:3], digits[3:6], digits[6:9], digits[9:]]).strip()


def assert_mentions(text: str, *mentions: str) -> None:
    missing = [mention for mention in mentions if mention not in text]
    assert not missing, f"missing {missing} in: {text}"


@pytest.fixture
def exempt_chapter(invoicing_chapter):
    invoicing_chapter.vat_rate = Decimal("0")
    invoicing_chapter.vat_exemption_text = EXEMPTION
    invoicing_chapter.save()
    return invoicing_chapter


# --- What the document says ---------------------------------------------------------------


def test_vat_invoice_carries_every_mandatory_mention(
    pdf_pages, buyer, coordinator, invoicing_chapter, cohort
):
    company = buyer.company
    company.vat_number = vat_number_for(company.siret)
    company.save()
    invoice = issue(buyer, coordinator)

    (page,) = pdf_pages(documents.render_pdf(invoice), "vat")

    assert_mentions(
        page,
        "FACTURE",
        "N° P56-2026-00001",
        "Date d’émission 27/11/2026",
        # The seller.
        "Chambre de commerce et d'industrie du",
        "21 quai des Indes",
        "56100 Lorient",
        f"SIRET {grouped(invoicing_chapter.issuer_siret)}",
        f"N° TVA intracommunautaire {invoicing_chapter.issuer_vat_number}",
        # The buyer.
        "Kerlann Informatique",
        "À l’attention de Gwenaël Le Floch",
        "4 rue du Port",
        "56000 Vannes",
        f"SIREN {grouped(company.siren)}",
        f"N° TVA intracommunautaire {company.vat_number}",
        # The line.
        "Désignation Qté Prix unitaire HT Taux de TVA Montant HT",
        f"Programme Plato — {cohort.name}",
        "1 1 900,00 € 20 % 1 900,00 €",
        "16 demi-journées de réunion",
        # Totals.
        "Total HT 1 900,00 €",
        "Montant TVA (20 %) 380,00 €",
        "Total TTC 2 280,00 €",
        # Payment and the legal mentions.
        "Date d’échéance 27/12/2026",
        "À régler au plus tard le 27/12/2026.",
        "IBAN FR76 3000 6000 0112 3456 7890 189 — BIC AGRIFRPP",
        "Merci de rappeler la référence P56-2026-00001",
        "Pénalités de retard : trois fois le taux d'intérêt légal, exigibles dès le lendemain",
        "Indemnité forfaitaire pour frais de recouvrement : 40 € "
        "(articles L441-10 et D441-5 du Code de commerce).",
        "Pas d'escompte pour paiement anticipé.",
        "Facture P56-2026-00001 — page 1/1",
    )
    assert "Morbihan" in page and "TVA non applicable" not in page


def test_vat_exempt_invoice_prints_the_exemption_instead_of_a_rate(
    pdf_pages, buyer, coordinator, exempt_chapter
):
    invoice = issue(buyer, coordinator)

    (page,) = pdf_pages(documents.render_pdf(invoice), "exempt")

    assert_mentions(
        page,
        "FACTURE",
        "N° P56-2026-00001",
        "Date d’émission 27/11/2026",
        f"SIRET {grouped(exempt_chapter.issuer_siret)}",
        "Kerlann Informatique",
        f"SIREN {grouped(buyer.company.siren)}",
        "Désignation Qté Prix unitaire HT Montant HT",
        "1 1 900,00 € 1 900,00 €",
        EXEMPTION,
        "Total HT 1 900,00 €",
        "TVA 0,00 €",
        "Total TTC 1 900,00 €",
        "Date d’échéance 27/12/2026",
        "Pénalités de retard : trois fois le taux d'intérêt légal",
        "Indemnité forfaitaire pour frais de recouvrement : 40 €",
        "Pas d'escompte pour paiement anticipé.",
    )
    assert "Taux de TVA" not in page and "Montant TVA" not in page


def test_instalments_are_listed_with_their_dates_and_amounts(
    pdf_pages, buyer, coordinator, invoicing_chapter
):
    invoicing_chapter.instalments = 2
    invoicing_chapter.save()
    invoice = issue(buyer, coordinator)

    (page,) = pdf_pages(documents.render_pdf(invoice), "instalments")

    assert_mentions(
        page,
        "À régler en 2 échéances :",
        "Échéance Date d’échéance Montant TTC",
        "1 27/12/2026 1 140,00 €",
        "2 27/06/2027 1 140,00 €",
    )
    assert "À régler au plus tard" not in page


def test_a_long_invoice_names_itself_on_every_page(pdf_pages, buyer, coordinator, invoicing_chapter):
    invoicing_chapter.programme_commitment = "\n".join(
        f"Séance {n} : réunion du groupe, sujets choisis par vote des membres." for n in range(1, 121)
    )
    invoicing_chapter.instalments = 3
    invoicing_chapter.save()
    invoice = issue(buyer, coordinator)

    pages = pdf_pages(documents.render_pdf(invoice), "long")

    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Facture P56-2026-00001 — page {number}/{len(pages)}" in page
        assert "Désignation" in page  # the lines' header is repeated
    text = " ".join(pages)
    assert all(f"Séance {n} :" in text for n in range(1, 121))
    assert "Total TTC 2 280,00 €" in pages[-1] and "Indemnité forfaitaire" in pages[-1]


def test_credit_note_says_avoir_and_which_invoice_it_cancels(pdf_pages, buyer, coordinator):
    invoice = issue(buyer, coordinator)
    credit = services.issue_credit_note(
        invoice, reason="Erreur sur la raison sociale", actor=coordinator, today=TODAY
    )

    (page,) = pdf_pages(documents.render_pdf(credit), "credit")

    assert_mentions(
        page,
        "AVOIR",
        "N° P56-AV-2026-00001",
        "Date d’émission 27/11/2026",
        "Annule la facture P56-2026-00001 du 27/11/2026",
        "Erreur sur la raison sociale",
        "Kerlann Informatique",
        "Total HT 1 900,00 €",
        "Montant TVA (20 %) 380,00 €",
        "Total TTC 2 280,00 €",
        "Avoir P56-AV-2026-00001 — page 1/1",
    )
    assert "FACTURE" not in page and "Date d’échéance" not in page


def test_rendering_the_same_invoice_again_gives_the_same_document(pdf_pages, buyer, coordinator):
    invoice = issue(buyer, coordinator)

    first, second = documents.render_pdf(invoice), documents.render_pdf(invoice)

    assert pdf_pages(first, "first") == pdf_pages(second, "second")
    assert first == second  # byte for byte, even (dated by the issue, not by the rendering)


def test_the_document_is_the_stored_invoice_whatever_changed_since(
    pdf_pages, buyer, coordinator, invoicing_chapter
):
    invoice = issue(buyer, coordinator)
    first = documents.render_pdf(invoice)
    invoicing_chapter.issuer_address = "1 place de la Mairie"
    invoicing_chapter.vat_rate = Decimal("10.00")
    invoicing_chapter.save()
    buyer.company.name = "Kerlann Numérique"
    buyer.company.save()

    with translation.override("en"):  # a coordinator browsing in English changes nothing
        again = documents.render_pdf(Invoice.objects.get(pk=invoice.pk))

    assert pdf_pages(again, "again") == pdf_pages(first, "first")
    assert "21 quai des Indes" in pdf_pages(again, "again")[0]
    assert "Kerlann Informatique" in pdf_pages(again, "again")[0]


def test_the_html_fetches_nothing_but_the_local_stylesheet(buyer, coordinator):
    html = documents.invoice_html(issue(buyer, coordinator))

    assert 'href="file://' in html and "invoice_pdf.css" in html
    assert "http://" not in html and "https://" not in html


# --- Rendered once, e-mailed once ---------------------------------------------------------


def test_render_and_send_twice_stores_one_pdf_and_sends_one_email(buyer, coordinator, mailoutbox, media_root):
    invoice = issue(buyer, coordinator)

    documents.render_and_send(invoice.pk)
    invoice.refresh_from_db()
    rendered_at = invoice.pdf_rendered_at
    documents.render_and_send(invoice.pk)

    invoice.refresh_from_db()
    assert invoice.pdf.name == "invoices/56/P56-2026-00001.pdf"
    assert stored_files(media_root) == ["invoices/56/P56-2026-00001.pdf"]
    assert invoice.pdf_rendered_at == rendered_at is not None
    assert invoice.emailed_at is not None
    (email,) = mailoutbox
    assert email.to == ["member@plato.test"]
    assert email.subject == "[Plato] Facture P56-2026-00001 — Plato 56 — CCI du Morbihan"
    assert email.extra_headers["Message-ID"].startswith(f"<invoice-{invoice.pk}.")
    ((filename, content, mimetype),) = email.attachments
    assert (filename, mimetype) == ("P56-2026-00001.pdf", "application/pdf")
    assert content == (media_root / invoice.pdf.name).read_bytes()
    assert content.startswith(b"%PDF")


def test_the_email_is_french_and_says_what_to_pay(buyer, coordinator, invoicing_chapter, mailoutbox):
    invoicing_chapter.instalments = 2
    invoicing_chapter.save()
    invoice = issue(buyer, coordinator)

    with translation.override("en"):
        documents.render_and_send(invoice.pk)

    (email,) = mailoutbox
    html = email.alternatives[0].content
    for body in (email.body, html):
        assert "Bonjour Gwenaël Le Floch," in body
        assert "Veuillez trouver ci-joint la facture P56-2026-00001 du 27/11/2026" in body
        assert "Montant : 2\xa0280,00 € TTC" in body
        assert "Payable en 2 échéances :" in body
        assert "1\xa0140,00 € au plus tard le 27/12/2026" in body
        assert "IBAN FR76 3000 6000 0112 3456 7890 189, BIC AGRIFRPP" in body
        assert invoice.get_absolute_url() in body


def test_a_credit_note_is_emailed_as_an_avoir(buyer, coordinator, mailoutbox):
    invoice = issue(buyer, coordinator)
    credit = services.issue_credit_note(invoice, reason="Doublon", actor=coordinator, today=TODAY)

    documents.render_and_send(credit.pk)

    (email,) = mailoutbox
    assert email.subject == "[Plato] Avoir P56-AV-2026-00001 — Plato 56 — CCI du Morbihan"
    assert "l’avoir P56-AV-2026-00001 du 27/11/2026" in email.body
    assert "qui annule la facture P56-2026-00001 du 27/11/2026" in email.body
    assert email.attachments[0][0] == "P56-AV-2026-00001.pdf"


def test_a_buyer_without_email_gets_the_pdf_and_no_email(buyer, coordinator, mailoutbox, media_root):
    person = buyer.person
    person.email = ""
    person.save()
    invoice = issue(buyer, coordinator)

    documents.render_and_send(invoice.pk)

    invoice.refresh_from_db()
    assert stored_files(media_root) == ["invoices/56/P56-2026-00001.pdf"]
    assert invoice.pdf_rendered_at is not None
    assert invoice.emailed_at is None
    assert mailoutbox == []


def test_a_worker_killed_after_the_pdf_resumes_with_the_email(buyer, coordinator, mailoutbox, media_root):
    invoice = issue(buyer, coordinator)
    assert documents.store_pdf(invoice.pk)  # ... and the worker dies here
    invoice.refresh_from_db()
    rendered_at = invoice.pdf_rendered_at

    documents.render_and_send(invoice.pk)

    invoice.refresh_from_db()
    assert invoice.pdf_rendered_at == rendered_at  # not rendered again
    assert len(mailoutbox) == 1 and invoice.emailed_at is not None
    assert stored_files(media_root) == ["invoices/56/P56-2026-00001.pdf"]


def test_a_file_left_by_a_worker_killed_before_its_commit_is_replaced(
    buyer, coordinator, mailoutbox, media_root
):
    invoice = issue(buyer, coordinator)
    left = media_root / "invoices" / "56" / "P56-2026-00001.pdf"
    left.parent.mkdir(parents=True)
    left.write_bytes(b"%PDF-1.7 half writ")

    documents.render_and_send(invoice.pk)

    invoice.refresh_from_db()
    assert invoice.pdf.name == "invoices/56/P56-2026-00001.pdf"  # the same name, no suffix
    assert stored_files(media_root) == ["invoices/56/P56-2026-00001.pdf"]
    assert left.read_bytes() == mailoutbox[0].attachments[0][1] != b"%PDF-1.7 half writ"


def test_a_mail_server_refusal_keeps_the_email_due(buyer, coordinator, mailoutbox, monkeypatch):
    invoice = issue(buyer, coordinator)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
        with pytest.raises(ConnectionRefusedError):  # an OSError: the task retries later
            documents.render_and_send(invoice.pk)
    invoice.refresh_from_db()
    assert invoice.pdf and invoice.emailed_at is None

    documents.render_and_send(invoice.pk)  # the retry

    invoice.refresh_from_db()
    assert invoice.emailed_at is not None and len(mailoutbox) == 1


def test_an_invoice_that_is_gone_is_skipped_quietly(db, mailoutbox):
    documents.render_and_send(987654)

    assert mailoutbox == []


def test_issuing_renders_and_emails_after_the_commit(
    buyer, coordinator, mailoutbox, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invoice = issue(buyer, coordinator)

    invoice.refresh_from_db()
    assert invoice.pdf.name == "invoices/56/P56-2026-00001.pdf"
    assert invoice.pdf_rendered_at is not None and invoice.emailed_at is not None
    assert stored_files(media_root) == ["invoices/56/P56-2026-00001.pdf"]
    (email,) = mailoutbox
    assert email.attachments[0][2] == "application/pdf"


def test_issuing_a_credit_note_renders_and_emails_it_too(
    buyer, coordinator, mailoutbox, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invoice = issue(buyer, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_credit_note(invoice, reason="Doublon", actor=coordinator, today=TODAY)

    assert stored_files(media_root) == [
        "invoices/56/P56-2026-00001.pdf",
        "invoices/56/P56-AV-2026-00001.pdf",
    ]
    assert [email.subject.split(" — ")[0] for email in mailoutbox] == [
        "[Plato] Facture P56-2026-00001",
        "[Plato] Avoir P56-AV-2026-00001",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_row_locked_by_another_worker_is_left_to_it(
    transactional_db, buyer, coordinator, mailoutbox, media_root, monkeypatch
):
    with monkeypatch.context() as patched:  # the broker loses the task enqueued at the commit
        patched.setattr("billing.tasks.render_and_send_invoice.apply_async", lambda *args, **kwargs: None)
        invoice = issue(buyer, coordinator)
    locked, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        try:
            with transaction.atomic():
                Invoice.objects.select_for_update().filter(pk=invoice.pk).first()
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        documents.render_and_send(invoice.pk)  # returns at once instead of waiting
        assert stored_files(media_root) == [] and mailoutbox == []
    finally:
        release.set()
        thread.join(timeout=30)

    documents.render_and_send(invoice.pk)

    assert stored_files(media_root) == ["invoices/56/P56-2026-00001.pdf"] and len(mailoutbox) == 1
