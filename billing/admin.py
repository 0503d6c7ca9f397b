"""Invoices in the admin: shown, never added, changed or deleted there. Issuing, cancelling
(a credit note) and payments go through the services and the billing pages."""

from django.contrib import admin

from billing.models import Invoice, InvoiceLine, Payment


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    fields = ["description", "quantity", "unit_price_excl_vat", "total_excl_vat"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PaymentInline(InvoiceLineInline):
    model = Payment
    fields = ["received_on", "amount", "method", "reference", "recorded_by"]


@admin.register(Invoice)
class InvoiceAdmin(_ReadOnlyAdmin):
    show_full_result_count = False  # no count of the whole table under every page
    list_select_related = ["chapter"]
    list_display = ["number", "kind", "buyer_name", "issued_on", "total_incl_vat", "chapter"]
    list_filter = ["kind", "chapter"]
    search_fields = ["number", "buyer_name", "buyer_siren"]
    date_hierarchy = "issued_on"
    inlines = [InvoiceLineInline, PaymentInline]
    exclude = ["pdf"]
