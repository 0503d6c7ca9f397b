"""URLs of a plenary's exports (included in plenaries/urls.py)."""

from django.urls import path

from plenaries import views_exports as views

urlpatterns = [
    path("plenaries/<int:pk>/attendees.pdf", views.AttendeesPdfView.as_view(), name="attendees_pdf"),
    path("plenaries/<int:pk>/attendees.csv", views.AttendeesCsvView.as_view(), name="attendees_csv"),
    path("plenaries/<int:pk>/badges.pdf", views.BadgesPdfView.as_view(), name="badges_pdf"),
]
