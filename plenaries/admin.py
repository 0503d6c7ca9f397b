"""The admin for plenaries: local networks are edited here; plenaries and registrations
are shown read-only, since their changes go through the services (places, the waiting
list and the e-mails stay in step)."""

from django.contrib import admin

from plenaries.models import LocalNetwork, Plenary, ProgramItem, Registration


@admin.register(LocalNetwork)
class LocalNetworkAdmin(admin.ModelAdmin):
    show_full_result_count = False  # no count of the whole table under every page
    list_select_related = ["chapter"]
    list_display = ["name", "chapter", "contact_name", "is_listed"]
    list_filter = ["chapter", "is_listed"]
    search_fields = ["name", "contact_name"]


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProgramItemInline(admin.TabularInline):
    model = ProgramItem
    fields = ["starts_at", "ends_at", "kind", "title", "speakers", "network"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Plenary)
class PlenaryAdmin(_ReadOnlyAdmin):
    show_full_result_count = False  # no count of the whole table under every page
    list_display = ["title", "scope", "chapter", "region", "starts_at", "capacity", "state"]
    list_filter = ["scope", "state", "region"]
    list_select_related = ["chapter", "region"]
    search_fields = ["title", "venue_name", "venue_town"]
    date_hierarchy = "starts_at"
    inlines = [ProgramItemInline]


@admin.register(Registration)
class RegistrationAdmin(_ReadOnlyAdmin):
    show_full_result_count = False  # no count of the whole table under every page
    list_display = ["person", "plenary", "attendee", "state", "plus_one", "queued_at", "checked_in_at"]
    list_filter = ["state", "attendee", "plenary"]
    list_select_related = ["person", "plenary"]
    search_fields = ["person__first_name", "person__last_name", "person__email"]
