"""URLs of the documents, in the namespaces they were born in.

Their names and paths are older than the documents app: the member documents are
`billing:…`, a plenary's exports `plenaries:…`, and templates and tests reverse them so.
The root URLconf (plato/urls.py) joins `billing_urlpatterns` to billing's own patterns
and `plenary_urlpatterns` to plenaries', each under its namespace; documents has no
namespace of its own.
"""

from django.urls import path

from documents import views

billing_urlpatterns = [
    path(
        "memberships/<int:pk>/certificate.pdf",
        views.MembershipCertificateView.as_view(),
        name="membership_certificate",
    ),
    path(
        "cohorts/<int:pk>/directory.pdf",
        views.CohortDirectoryPdfView.as_view(),
        name="cohort_directory_pdf",
    ),
    path(
        "memberships/<int:pk>/attendance-certificate.pdf",
        views.AttendanceCertificateView.as_view(),
        name="attendance_certificate",
    ),
    path(
        "cohorts/<int:pk>/attendance-certificates.pdf",
        views.CohortAttendanceCertificatesView.as_view(),
        name="cohort_attendance_certificates",
    ),
    path("chapters/<slug:code>/exports/", views.ChapterExportsView.as_view(), name="chapter_exports"),
    path("chapters/<slug:code>/exports/<int:job>/", views.ExportJobStatusView.as_view(), name="export_job"),
    path(
        "chapters/<slug:code>/exports/<int:job>/download/",
        views.ExportJobDownloadView.as_view(),
        name="export_download",
    ),
]

plenary_urlpatterns = [
    path("plenaries/<int:pk>/attendees.pdf", views.AttendeesPdfView.as_view(), name="attendees_pdf"),
    path("plenaries/<int:pk>/attendees.csv", views.AttendeesCsvView.as_view(), name="attendees_csv"),
    path("plenaries/<int:pk>/badges.pdf", views.BadgesPdfView.as_view(), name="badges_pdf"),
]
