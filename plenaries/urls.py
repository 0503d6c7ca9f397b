"""URLs of plenaries: the list and page, planning and program, registrations, the door.

A plenary's exports share the `plenaries` namespace: plato/urls.py adds
`documents.urls.plenary_urlpatterns` to these."""

from django.urls import path

from plenaries.views import networks, plenaries

app_name = "plenaries"
urlpatterns: list = [
    # The local networks' directory.
    path("networks/", networks.NetworkListView.as_view(), name="network_list"),
    path("networks/new/", networks.NetworkCreateView.as_view(), name="network_create"),
    path("networks/<int:pk>/", networks.NetworkDetailView.as_view(), name="network_detail"),
    path("networks/<int:pk>/edit/", networks.NetworkUpdateView.as_view(), name="network_edit"),
    path("plenaries/", plenaries.PlenaryListView.as_view(), name="plenary_list"),
    path("plenaries/new/", plenaries.PlenaryCreateView.as_view(), name="plenary_create"),
    path("plenaries/<int:pk>/", plenaries.PlenaryDetailView.as_view(), name="plenary_detail"),
    path("plenaries/<int:pk>/edit/", plenaries.PlenaryEditView.as_view(), name="plenary_edit"),
    path("plenaries/<int:pk>/cancel/", plenaries.PlenaryCancelView.as_view(), name="plenary_cancel"),
    path("plenaries/<int:pk>/register/", plenaries.register, name="register"),
    path("plenaries/<int:pk>/confirm/", plenaries.confirm_offer, name="confirm_offer"),
    path("plenaries/<int:pk>/unregister/", plenaries.cancel_mine, name="cancel_mine"),
    path(
        "plenaries/<int:pk>/program/new/",
        plenaries.ProgramItemCreateView.as_view(),
        name="program_item_create",
    ),
    path(
        "plenaries/<int:pk>/program/<int:item_pk>/edit/",
        plenaries.ProgramItemEditView.as_view(),
        name="program_item_edit",
    ),
    path(
        "plenaries/<int:pk>/program/<int:item_pk>/delete/",
        plenaries.program_item_delete,
        name="program_item_delete",
    ),
    path("plenaries/<int:pk>/registrations/", plenaries.RegistrationsView.as_view(), name="registrations"),
    path("plenaries/<int:pk>/registrations/add/", plenaries.register_someone, name="register_someone"),
    path(
        "plenaries/<int:pk>/registrations/<int:registration_pk>/cancel/",
        plenaries.cancel_someone,
        name="cancel_someone",
    ),
    path("plenaries/<int:pk>/quotas/", plenaries.set_quota, name="set_quota"),
    path("plenaries/<int:pk>/door/", plenaries.DoorView.as_view(), name="door"),
    path(
        "plenaries/<int:pk>/door/<int:registration_pk>/check-in/",
        plenaries.door_check_in,
        name="door_check_in",
    ),
    path("plenaries/<int:pk>/door/<int:registration_pk>/undo/", plenaries.door_undo, name="door_undo"),
]
