"""The invoice's PDF and its e-mail to the buyer.

The PDF is plato.pdf's rendering of templates/billing/invoice_pdf.html (the print
stylesheet, then static/billing/css/invoice_pdf.css for the invoice's own layout), in
French, from the stored invoice alone: its frozen copy of the seller, the buyer, the
lines and the terms, never the chapter's or the company's current rows. The same stored
invoice always gives the same document. As every PDF of Plato, it reads local files only
(nothing over the network) and uses DejaVu Sans alone.

`render_and_send` (the task `billing.render_and_send_invoice`, enqueued when the invoice
is issued) does two steps, each at most once, each under the invoice's row lock in a
transaction of its own:

1. render the PDF and store it at `invoices/<chapter code>/<number>.pdf`, then set
   `pdf` and `pdf_rendered_at`;
2. e-mail it to the buyer (when the invoice has an address) through the outbox
   (billing.notifications.InvoiceEmailHandler), which stamps `emailed_at` in the
   transaction that sent it.

A worker killed between the steps leaves the PDF stored and the e-mail due: the next run
(the task's retry, or the sweep in billing.tasks) sends it. A second run finds both
steps done and does nothing, and a run finding the row locked by another worker leaves
the work to it. (As for meetings' notifications, the one window left is a worker killed
between the mail server's acceptance and the commit: the e-mail would go again with the
same Message-ID, `invoice-<pk>.<created>`, which mail clients merge.)
"""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from billing import notifications
from billing.models import RECOVERY_INDEMNITY, Invoice, InvoiceEmail
from billing.selectors import instalments
from plato.pdf import layout, render_html, static_uri

logger = logging.getLogger(__name__)

LANGUAGE = "fr"  # what a French CCI sends, whatever language its coordinator browses in
TEMPLATE = "billing/invoice_pdf.html"
STYLESHEET = "billing/css/invoice_pdf.css"


# --- The document -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """An invoice line as printed: its description's first line as the designation, the
    rest (the programme's commitment, a credit note's reason) as its detail."""

    title: str
    detail: str
    quantity: Decimal
    unit_price_excl_vat: Decimal
    total_excl_vat: Decimal


def _lines(invoice: Invoice) -> list[Line]:
    lines = []
    for line in invoice.lines.all():
        title, _newline, detail = line.description.strip().partition("\n")
        lines.append(
            Line(title.strip(), detail.strip(), line.quantity, line.unit_price_excl_vat, line.total_excl_vat)
        )
    return lines


def invoice_html(invoice: Invoice) -> str:
    """The invoice or credit note as HTML for print, in French, from the stored invoice."""
    corrects = None
    if invoice.corrects_id:
        # The invoice a credit note cancels: stored and frozen too (its number and date).
        corrects = Invoice.objects.only("number", "issued_on").get(pk=invoice.corrects_id)
    context = {
        "invoice": invoice,
        "lines": _lines(invoice),
        "instalments": instalments(invoice),
        "corrects": corrects,
        "recovery_indemnity": RECOVERY_INDEMNITY,
        "stylesheet": static_uri(STYLESHEET),
    }
    return render_html(TEMPLATE, context)


def render_pdf(invoice: Invoice) -> bytes:
    """The invoice's PDF (A4; every page's footer names the document and its page)."""
    return layout(invoice_html(invoice)).write_pdf()


def pdf_name(invoice: Invoice) -> str:
    """Where the PDF is stored: fixed by the invoice, so that a second rendering (after a
    worker died before its commit) replaces the first instead of adding a file."""
    return f"invoices/{invoice.chapter.code}/{invoice.number}.pdf"


# --- Render once, send once -------------------------------------------------------------------


def _locked(invoice_id: int):
    """The invoice under its row lock, or None when it is gone or another worker holds it."""
    return (
        Invoice.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("chapter")
        .filter(pk=invoice_id)
    )


def store_pdf(invoice_id: int) -> bool:
    """Render and store the invoice's PDF unless it has one. Returns whether the invoice
    has its PDF now (False: gone, or being rendered by another worker)."""
    with transaction.atomic():
        invoice = _locked(invoice_id).first()
        if invoice is None:
            return False
        if invoice.pdf:
            return True
        content = render_pdf(invoice)
        storage = Invoice._meta.get_field("pdf").storage
        name = pdf_name(invoice)
        # A file without its row is what a worker killed before its commit left: ours
        # replaces it (we hold the row's lock, no one else is writing it).
        if storage.exists(name):
            storage.delete(name)
        name = storage.save(name, ContentFile(content))
        Invoice.objects.filter(pk=invoice.pk).update(pdf=name, pdf_rendered_at=timezone.now())
    logger.info("Invoice %s: PDF stored at %s", invoice_id, name)
    return True


def render_and_send(invoice_id: int) -> None:
    """Render the invoice's PDF once, then e-mail it to the buyer once (see the module's
    docstring). Returns quietly if the invoice is gone."""
    if not store_pdf(invoice_id):
        return
    invoice = Invoice.objects.filter(pk=invoice_id).first()
    if invoice is None:
        return
    # An invoice issued without its row (a factory, a shell) gets it now, if still due.
    notifications.plan_invoice_emails([invoice])
    # The handler sends the row's e-mail, or closes it when the invoice says it was sent.
    for pk in InvoiceEmail.objects.filter(invoice=invoice, sent_at__isnull=True).values_list("pk", flat=True):
        notifications.InvoiceEmailHandler().send(pk)
