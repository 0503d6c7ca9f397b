"""URLs of billing: a chapter's invoices and export, one invoice and its PDF, a member's invoices.

The member documents share the `billing` namespace: plato/urls.py adds
`documents.urls.billing_urlpatterns` to these."""

from django.urls import path

from billing import views

app_name = "billing"
urlpatterns = [
    path("chapters/<slug:code>/invoices/", views.ChapterInvoicesView.as_view(), name="chapter_invoices"),
    path(
        "chapters/<slug:code>/invoices/export.csv", views.InvoiceExportView.as_view(), name="invoice_export"
    ),
    path("cohorts/<int:pk>/invoices/", views.cohort_invoices, name="cohort_invoices"),
    path("memberships/<int:pk>/invoice/", views.membership_invoice, name="membership_invoice"),
    path("invoices/<int:pk>/", views.InvoiceDetailView.as_view(), name="invoice_detail"),
    path("invoices/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("my/invoices/", views.MyInvoicesView.as_view(), name="my_invoices"),
]
