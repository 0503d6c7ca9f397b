"""Billing pages: the coordinator's invoices, one invoice (payments, credit note), the
member's invoices, the PDF and the accounting export."""

from decimal import Decimal
from functools import cached_property

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from billing import permissions, selectors, services
from billing.forms import CreditNoteForm, InvoiceFilterForm, PaymentForm
from billing.models import Invoice
from billing.selectors import euros
from billing.services import money
from groups.models import Chapter, Cohort, Membership
from groups.permissions import is_any_coordinator
from groups.selectors import alumni_memberships_of
from groups.views.mixins import ChapterFromUrlMixin
from plato.csv import csv_response
from plato.http import private_file_response
from plato.permissions import PlatoPermissionMixin
from plato.views.actions import add_service_error, post_action


class ChapterInvoicesView(PlatoPermissionMixin, ChapterFromUrlMixin, TemplateView):
    template_name = "billing/invoice_list.html"
    chapter_permission = staticmethod(permissions.can_manage_billing)

    def has_permission(self):
        return is_any_coordinator(self.request.user)

    @cached_property
    def cohorts(self):
        return list(Cohort.objects.filter(chapter=self.chapter).order_by("-start_date", "name"))

    @cached_property
    def filter_form(self) -> InvoiceFilterForm:
        return InvoiceFilterForm(self.request.GET or None, cohorts=self.cohorts)

    def listing(self) -> selectors.InvoiceList:
        """The invoices as filtered; none while the filter is not valid (its errors show:
        a filter left out silently would list, and export, everything)."""
        form = self.filter_form
        if form.is_bound and not form.is_valid():
            nothing = Decimal("0.00")
            return selectors.InvoiceList([], nothing, nothing, nothing, nothing, nothing)
        filters = form.cleaned_data if form.is_bound else {}
        return selectors.chapter_invoices(
            self.chapter,
            status=filters.get("status") or "",
            cohort_id=filters.get("cohort"),
            issued_from=filters.get("issued_from"),
            issued_to=filters.get("issued_to"),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=self.filter_form,
            listing=self.listing(),
            uninvoiced=selectors.uninvoiced_memberships(self.chapter),
            export_query=self.request.GET.urlencode(),
        )
        return context


class InvoiceExportView(ChapterInvoicesView):
    """The accounting export: one line per invoice and credit note, as filtered on the page."""

    def get(self, request, *args, **kwargs):
        form = self.filter_form
        if form.is_bound and not form.is_valid():
            messages.error(
                request,
                _("Nothing was exported: correct the filter first (%(errors)s).")
                % {"errors": " ".join(error for errors in form.errors.values() for error in errors)},
            )
            page = reverse("billing:chapter_invoices", kwargs={"code": self.chapter.code})
            return redirect(f"{page}?{request.GET.urlencode()}")
        listing = self.listing()
        header = [
            _("Number"),
            _("Kind"),
            _("Date"),
            _("Buyer"),
            _("SIREN"),
            _("Total excl. VAT"),
            _("VAT"),
            _("Total incl. VAT"),
            _("Paid"),
            _("Status"),
            _("Corrects"),
        ]
        rows = []
        for invoice in listing.invoices:
            sign = -1 if invoice.is_credit_note else 1
            rows.append(
                [
                    invoice.number,
                    invoice.get_kind_display(),
                    invoice.issued_on,
                    invoice.buyer_name,
                    invoice.buyer_siren,
                    money(sign * invoice.total_excl_vat),
                    money(sign * invoice.vat_amount),
                    money(sign * invoice.total_incl_vat),
                    money(invoice.paid),
                    invoice.get_status_display() if not invoice.is_credit_note else "",
                    invoice.corrects.number if invoice.corrects else "",
                ]
            )
        filename = f"factures-{self.chapter.code}-{timezone.localdate():%Y-%m-%d}.csv"
        return csv_response(header, rows, filename=filename)


class InvoiceDetailView(PlatoPermissionMixin, TemplateView):
    template_name = "billing/invoice_detail.html"

    @cached_property
    def invoice(self) -> Invoice:
        invoice = get_object_or_404(Invoice.objects.visible_to(self.request.user), pk=self.kwargs["pk"])
        if not permissions.can_view_invoice(self.request.user, invoice):
            raise Http404
        return selectors.invoice_page(invoice)

    @cached_property
    def can_manage(self) -> bool:
        return permissions.can_manage_billing(self.request.user, self.invoice.chapter)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invoice = self.invoice
        context.update(
            invoice=invoice,
            can_manage=self.can_manage,
            due=invoice.total_incl_vat - invoice.paid,
            payment_form=kwargs.get("payment_form")
            or PaymentForm(initial={"amount": invoice.total_incl_vat - invoice.paid}),
            credit_form=kwargs.get("credit_form") or CreditNoteForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.can_manage:
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "payment":
            form = PaymentForm(request.POST)
            if form.is_valid():
                try:
                    services.record_payment(self.invoice, actor=request.user, **form.cleaned_data)
                except ValidationError as error:
                    add_service_error(form, error)
                else:
                    messages.success(
                        request,
                        _("Payment of %(amount)s € recorded.")
                        % {"amount": euros(form.cleaned_data["amount"])},
                    )
                    return redirect(self.invoice.get_absolute_url())
            return self.render_to_response(self.get_context_data(payment_form=form))
        if action == "credit_note":
            form = CreditNoteForm(request.POST)
            if form.is_valid():
                try:
                    credit = services.issue_credit_note(
                        self.invoice, reason=form.cleaned_data["reason"], actor=request.user
                    )
                except ValidationError as error:
                    add_service_error(form, error)
                else:
                    messages.success(
                        request,
                        _("Credit note %(number)s issued: invoice %(invoice)s is cancelled.")
                        % {"number": credit.number, "invoice": self.invoice.number},
                    )
                    return redirect(credit.get_absolute_url())
            return self.render_to_response(self.get_context_data(credit_form=form))
        messages.error(request, _("Unknown action."))
        return redirect(self.invoice.get_absolute_url())


@login_required
def invoice_pdf(request, pk):
    """The stored PDF, for the buyer, the chapter's coordinators and admins (404 otherwise)."""
    invoice = get_object_or_404(
        Invoice.objects.visible_to(request.user).select_related("chapter", "membership"), pk=pk
    )
    if not permissions.can_view_invoice(request.user, invoice):
        raise Http404
    if not invoice.pdf:
        messages.info(
            request,
            _("The PDF of %(number)s is being prepared: try again in a minute.") % {"number": invoice.number},
        )
        return redirect(invoice.get_absolute_url())
    try:
        file = invoice.pdf.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return private_file_response(file, filename=f"{invoice.number}.pdf", content_type="application/pdf")


@login_required
@require_POST
def membership_invoice(request, pk):
    membership = get_object_or_404(
        Membership.objects.filter(
            cohort__chapter__in=Chapter.objects.visible_to(request.user)
        ).select_related("cohort__chapter", "company"),
        pk=pk,
    )
    chapter = membership.cohort.chapter
    if not permissions.can_manage_billing(request.user, chapter):
        raise PermissionDenied
    return post_action(
        request,
        lambda: services.issue_invoice(membership, actor=request.user),
        success=lambda invoice: (
            # The e-mail is a task's work: "as soon as possible", never "sent" (the broker may be down).
            _("Invoice %(number)s issued to %(company)s.")
            % {"number": invoice.number, "company": membership.company}
            + " "
            + _("It will be e-mailed with its PDF as soon as possible.")
        ),
        then=reverse("billing:chapter_invoices", kwargs={"code": chapter.code}),
    )


@login_required
@require_POST
def cohort_invoices(request, pk):
    cohort = get_object_or_404(Cohort.objects.visible_to(request.user).select_related("chapter"), pk=pk)
    if not permissions.can_manage_billing(request.user, cohort.chapter):
        raise PermissionDenied
    return post_action(
        request,
        lambda: services.issue_cohort_invoices(cohort, actor=request.user),
        success=lambda issued: _issued_for_cohort(issued, cohort),
        then=reverse("billing:chapter_invoices", kwargs={"code": cohort.chapter.code}),
    )


def _issued_for_cohort(issued: list[Invoice], cohort: Cohort):
    if not issued:
        return messages.INFO, _("Every member of %(cohort)s already has an invoice.") % {"cohort": cohort}
    return (
        _("%(count)s invoices issued for %(cohort)s, from %(first)s to %(last)s.")
        % {"count": len(issued), "cohort": cohort, "first": issued[0].number, "last": issued[-1].number}
        + " "
        + _("They will be e-mailed with their PDF as soon as possible.")
    )


class MyInvoicesView(PlatoPermissionMixin, TemplateView):
    template_name = "billing/my_invoices.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "invoices": selectors.invoices_of(self.request.user),
            "certificates": alumni_memberships_of(self.request.user),
        }
