"""Invoices and credit notes, their lines, their numbering, and the payments received.

An invoice is issued once and frozen: the seller's and the buyer's identities, the
lines and the amounts (Decimal) are copied onto it at issue, so that a later change of
the chapter's settings or of the company's address never changes what was sent. It is
never edited nor deleted — not by a service, the admin, the ORM (`save`, `delete`,
`QuerySet.update`, `QuerySet.delete` refuse) nor raw SQL (database triggers, see the
migration). A correction is a credit note ("avoir"): an invoice of kind CREDIT_NOTE,
with its own number series, that references the invoice it corrects.

Only the bookkeeping of what happened to the document after its issue may change:
its PDF file (rendered once) and when it was e-mailed.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from billing.enums import InvoiceKind, InvoiceStatus, PaymentMethod
from groups.roles import roles_for
from plato.dates import PlausibleDateField, PlausibleDateTimeField
from plato.outbox import OutboxMessage

# Code de commerce, art. L441-10 and D441-5: due by every professional buyer paying late.
RECOVERY_INDEMNITY = Decimal("40.00")
# The fields of an issued invoice that may still change: what happened to it since.
BOOKKEEPING_FIELDS = frozenset({"pdf", "pdf_rendered_at", "emailed_at"})
# Half a cent: how far the lines' sum may stray from the total (SQLite adds floats).
LINE_TOLERANCE = Decimal("0.005")


class FrozenError(ValidationError):
    """An attempt to change or delete an issued invoice, a credit note or their lines."""


class NumberCounter(models.Model):
    """The last number given in one series: a chapter's invoices or credit notes of one year.

    Taken under `select_for_update` in the transaction that issues the document, so that
    two issues never share a number, and a rolled-back issue gives its number back.
    """

    chapter = models.ForeignKey("groups.Chapter", on_delete=models.PROTECT, related_name="number_counters")
    kind = models.CharField(max_length=10, choices=InvoiceKind.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chapter", "kind", "year"], name="number_counter_one_per_series")
        ]

    def __str__(self) -> str:
        return f"{self.chapter} {self.kind} {self.year}: {self.last_number}"


class FrozenQuerySet(models.QuerySet):
    """`update()` may only touch bookkeeping fields; `delete()` is refused."""

    bookkeeping: frozenset = frozenset()

    def update(self, **kwargs):
        frozen = set(kwargs) - self.bookkeeping
        if frozen:
            raise FrozenError(
                _("An issued document cannot be changed (%(fields)s).")
                % {"fields": ", ".join(sorted(frozen))}
            )
        return super().update(**kwargs)

    def delete(self):
        raise FrozenError(_("An issued document cannot be deleted: issue a credit note."))


class InvoiceQuerySet(FrozenQuerySet):
    bookkeeping = BOOKKEEPING_FIELDS

    def visible_to(self, user):
        """The invoices a user may open: their own, their chapters' as coordinator, all as admin."""
        roles = roles_for(user)
        if roles.is_admin:
            return self
        return self.filter(Q(membership__person=user) | Q(chapter_id__in=roles.coordinator_chapter_ids))


class LineQuerySet(FrozenQuerySet):
    bookkeeping = frozenset()


class Invoice(models.Model):
    """An invoice or a credit note, as issued. See the module's docstring."""

    kind = models.CharField(
        _("kind"), max_length=10, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE
    )
    chapter = models.ForeignKey(
        "groups.Chapter", on_delete=models.PROTECT, related_name="invoices", verbose_name=_("chapter")
    )
    membership = models.ForeignKey(
        "groups.Membership",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("membership"),
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
        verbose_name=_("corrects the invoice"),
    )

    number = models.CharField(_("number"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    issued_on = PlausibleDateField(_("issued on"))
    due_on = PlausibleDateField(_("due on"))

    # The seller, as it stood at issue.
    seller_name = models.CharField(_("seller"), max_length=150)
    seller_address = models.CharField(max_length=255)
    seller_postcode = models.CharField(max_length=5)
    seller_town = models.CharField(max_length=100)
    seller_siret = models.CharField(max_length=14)
    seller_vat_number = models.CharField(max_length=13, blank=True)
    seller_iban = models.CharField(max_length=34, blank=True)
    seller_bic = models.CharField(max_length=11, blank=True)

    # The buyer, as it stood at issue.
    buyer_name = models.CharField(_("buyer"), max_length=150)
    buyer_address = models.CharField(max_length=255, blank=True)
    buyer_postcode = models.CharField(max_length=5, blank=True)
    buyer_town = models.CharField(max_length=100)
    buyer_siren = models.CharField(max_length=9)
    buyer_siret = models.CharField(max_length=14)
    buyer_vat_number = models.CharField(max_length=13, blank=True)
    buyer_contact = models.CharField(max_length=150, blank=True)
    buyer_email = models.EmailField(blank=True)

    # Terms and amounts, as issued.
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2)
    vat_exemption_text = models.CharField(max_length=255, blank=True)
    total_excl_vat = models.DecimalField(_("total excl. VAT"), max_digits=12, decimal_places=2)
    vat_amount = models.DecimalField(_("VAT"), max_digits=12, decimal_places=2)
    total_incl_vat = models.DecimalField(_("total incl. VAT"), max_digits=12, decimal_places=2)
    late_penalty_rate = models.CharField(max_length=255)
    early_payment_discount = models.CharField(max_length=255)
    instalments = models.JSONField(default=list, blank=True)  # [{"due_on": "2026-12-31", "amount": "950.00"}]

    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = PlausibleDateTimeField(auto_now_add=True)

    # Bookkeeping: what happened to the document since its issue (BOOKKEEPING_FIELDS).
    pdf = models.FileField(upload_to="invoices/%Y/", blank=True)
    pdf_rendered_at = PlausibleDateTimeField(null=True, blank=True)
    emailed_at = PlausibleDateTimeField(null=True, blank=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-sequence"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(
                fields=["chapter", "kind", "year", "sequence"], name="invoice_one_number"
            ),
            models.CheckConstraint(
                condition=Q(kind=InvoiceKind.INVOICE, corrects__isnull=True)
                | Q(kind=InvoiceKind.CREDIT_NOTE, corrects__isnull=False),
                name="invoice_credit_note_corrects_an_invoice",
            ),
            # Rounded to the cent: SQLite stores decimals as floats, whose sums are inexact
            # (1900.06 + 380.01 is not 2280.07 there).
            models.CheckConstraint(
                condition=Exact(
                    Round(F("total_incl_vat"), 2), Round(F("total_excl_vat") + F("vat_amount"), 2)
                ),
                name="invoice_totals_add_up",
            ),
            models.CheckConstraint(condition=Q(due_on__gte=F("issued_on")), name="invoice_due_after_issue"),
        ]
        indexes = [models.Index(fields=["chapter", "issued_on"])]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        if self._state.adding:
            return super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or set(update_fields) - BOOKKEEPING_FIELDS:
            raise FrozenError(_("An issued invoice cannot be changed: issue a credit note."))
        return super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("billing:invoice_detail", kwargs={"pk": self.pk})

    def delete(self, *args, **kwargs):
        raise FrozenError(_("An issued invoice cannot be deleted: issue a credit note."))

    def get_status_display(self) -> str:
        """The label of the `status` the lists annotate (billing.selectors.with_status)."""
        return InvoiceStatus(self.status).label

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE

    @property
    def is_vat_exempt(self) -> bool:
        return self.vat_rate == 0


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(_("description"))
    quantity = models.DecimalField(_("quantity"), max_digits=8, decimal_places=2, default=Decimal("1"))
    unit_price_excl_vat = models.DecimalField(_("unit price excl. VAT"), max_digits=12, decimal_places=2)
    total_excl_vat = models.DecimalField(_("total excl. VAT"), max_digits=12, decimal_places=2)

    objects = LineQuerySet.as_manager()

    class Meta:
        ordering = ["invoice", "position"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")

    def __str__(self) -> str:
        return f"{self.invoice}: {self.description[:40]}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise FrozenError(_("The lines of an issued invoice cannot be changed."))
        self._refuse_a_line_beyond_the_total()
        return super().save(*args, **kwargs)

    def _refuse_a_line_beyond_the_total(self) -> None:
        """Lines are written at issue, up to the invoice's total excl. VAT, and never after:
        a line is refused once the lines add up to the total, or when it would go above it
        (a database trigger says the same to bulk_create and raw SQL: migration 0007)."""
        total = Invoice.objects.filter(pk=self.invoice_id).values_list("total_excl_vat", flat=True).first()
        if total is None:
            return
        lines = InvoiceLine.objects.filter(invoice_id=self.invoice_id).aggregate(
            count=models.Count("pk"), amount=models.Sum("total_excl_vat")
        )
        written = lines["amount"] or Decimal("0.00")
        if (lines["count"] and written >= total - LINE_TOLERANCE) or (
            written + Decimal(self.total_excl_vat) > total + LINE_TOLERANCE
        ):
            raise FrozenError(_("A line cannot be added to an issued invoice: issue a credit note."))

    def delete(self, *args, **kwargs):
        raise FrozenError(_("The lines of an issued invoice cannot be deleted."))


class Payment(models.Model):
    """Money received for an invoice, recorded by a coordinator (full or partial)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices)
    received_on = PlausibleDateField(_("received on"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = PlausibleDateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["invoice", "received_on", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive")]

    def __str__(self) -> str:
        return f"{self.invoice}: {self.amount} ({self.received_on})"


class InvoiceReminder(OutboxMessage):
    """One stage of the reminders of an overdue invoice, e-mailed to the buyer at most once.

    Written by the daily planner (billing.reminders) when the stage falls due; its e-mail
    is sent after the commit by a task that locks the row and stamps `sent_at`.
    """

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="reminders")
    stage = models.PositiveSmallIntegerField(_("stage"))

    class Meta:
        ordering = ["invoice", "stage"]
        verbose_name = _("payment reminder")
        verbose_name_plural = _("payment reminders")
        constraints = [models.UniqueConstraint(fields=["invoice", "stage"], name="invoice_reminder_once")]

    def __str__(self) -> str:
        return f"{self.invoice} — {self.stage}"


class InvoiceEmail(OutboxMessage):
    """The invoice (or credit note) e-mailed to its buyer with its PDF, at most once.

    Written when the invoice is issued to a buyer with an address (billing.notifications);
    sent once the PDF is stored. `Invoice.emailed_at` is stamped with it.
    """

    invoice = models.OneToOneField(
        Invoice, on_delete=models.PROTECT, related_name="email_message", verbose_name=_("invoice")
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invoice e-mail")
        verbose_name_plural = _("invoice e-mails")
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(sent_at__isnull=True), name="invoice_email_unsent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.invoice} — {self.sent_at or '…'}"
