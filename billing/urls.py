"""URLs of billing: a chapter's invoices and export, one invoice and its PDF, a member's invoices."""

from django.urls import path

from billing import views
from billing.exports import views as exports

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
    # Member documents (billing/exports)
    path(
        "memberships/<int:pk>/certificate.pdf",
        exports.MembershipCertificateView.as_view(),
        name="membership_certificate",
    ),
    path(
        "cohorts/<int:pk>/directory.pdf",
        exports.CohortDirectoryPdfView.as_view(),
        name="cohort_directory_pdf",
    ),
    path(
        "memberships/<int:pk>/attendance-certificate.pdf",
        exports.AttendanceCertificateView.as_view(),
        name="attendance_certificate",
    ),
    path(
        "cohorts/<int:pk>/attendance-certificates.pdf",
        exports.CohortAttendanceCertificatesView.as_view(),
        name="cohort_attendance_certificates",
    ),
    path("chapters/<slug:code>/exports/", exports.ChapterExportsView.as_view(), name="chapter_exports"),
    path("chapters/<slug:code>/exports/<int:job>/", exports.ExportJobStatusView.as_view(), name="export_job"),
    path(
        "chapters/<slug:code>/exports/<int:job>/download/",
        exports.ExportJobDownloadView.as_view(),
        name="export_download",
    ),
]
