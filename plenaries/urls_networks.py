"""URLs of the local networks' directory (included in plenaries/urls.py)."""

from django.urls import path

from plenaries import views_networks as views

urlpatterns = [
    path("networks/", views.NetworkListView.as_view(), name="network_list"),
    path("networks/new/", views.NetworkCreateView.as_view(), name="network_create"),
    path("networks/<int:pk>/", views.NetworkDetailView.as_view(), name="network_detail"),
    path("networks/<int:pk>/edit/", views.NetworkUpdateView.as_view(), name="network_edit"),
]
