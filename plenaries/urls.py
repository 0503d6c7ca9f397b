"""URLs of plenaries: the list and page, planning and program, registrations, the door.

A plenary's exports share the `plenaries` namespace: plato/urls.py adds
`documents.urls.plenary_urlpatterns` to these."""

from django.urls import path

from plenaries import urls_networks, views

app_name = "plenaries"
urlpatterns: list = [
    *urls_networks.urlpatterns,
    path("plenaries/", views.PlenaryListView.as_view(), name="plenary_list"),
    path("plenaries/new/", views.PlenaryCreateView.as_view(), name="plenary_create"),
    path("plenaries/<int:pk>/", views.PlenaryDetailView.as_view(), name="plenary_detail"),
    path("plenaries/<int:pk>/edit/", views.PlenaryEditView.as_view(), name="plenary_edit"),
    path("plenaries/<int:pk>/cancel/", views.PlenaryCancelView.as_view(), name="plenary_cancel"),
    path("plenaries/<int:pk>/register/", views.register, name="register"),
    path("plenaries/<int:pk>/confirm/", views.confirm_offer, name="confirm_offer"),
    path("plenaries/<int:pk>/unregister/", views.cancel_mine, name="cancel_mine"),
    path(
        "plenaries/<int:pk>/program/new/", views.ProgramItemCreateView.as_view(), name="program_item_create"
    ),
    path(
        "plenaries/<int:pk>/program/<int:item_pk>/edit/",
        views.ProgramItemEditView.as_view(),
        name="program_item_edit",
    ),
    path(
        "plenaries/<int:pk>/program/<int:item_pk>/delete/",
        views.program_item_delete,
        name="program_item_delete",
    ),
    path("plenaries/<int:pk>/registrations/", views.RegistrationsView.as_view(), name="registrations"),
    path("plenaries/<int:pk>/registrations/add/", views.register_someone, name="register_someone"),
    path(
        "plenaries/<int:pk>/registrations/<int:registration_pk>/cancel/",
        views.cancel_someone,
        name="cancel_someone",
    ),
    path("plenaries/<int:pk>/quotas/", views.set_quota, name="set_quota"),
    path("plenaries/<int:pk>/door/", views.DoorView.as_view(), name="door"),
    path(
        "plenaries/<int:pk>/door/<int:registration_pk>/check-in/", views.door_check_in, name="door_check_in"
    ),
    path("plenaries/<int:pk>/door/<int:registration_pk>/undo/", views.door_undo, name="door_undo"),
]
