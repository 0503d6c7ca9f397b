"""The admin for meetings: the chapters' theme catalogues are edited here; meetings and
topics are shown read-only, since their changes go through the services (which tell
the people concerned and keep calendars in step)."""

from django.contrib import admin

from meetings.models import ChapterTheme, Meeting, Topic


@admin.register(ChapterTheme)
class ChapterThemeAdmin(admin.ModelAdmin):
    show_full_result_count = False  # no count of the whole table under every page
    list_select_related = ["chapter"]
    list_display = ["name", "chapter", "position"]
    list_filter = ["chapter"]
    list_editable = ["position"]


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(_ReadOnlyAdmin):
    show_full_result_count = False  # no count of the whole table under every page
    list_display = ["cohort", "starts_at", "state", "venue_town", "vote_closes_at"]
    list_filter = ["state", "cohort__chapter"]
    list_select_related = ["cohort"]
    date_hierarchy = "starts_at"


@admin.register(Topic)
class TopicAdmin(_ReadOnlyAdmin):
    show_full_result_count = False  # no count of the whole table under every page
    list_display = ["title", "cohort", "theme", "state", "proposed_by", "created_at"]
    list_filter = ["state", "cohort__chapter"]
    list_select_related = ["cohort", "theme", "proposed_by"]
    search_fields = ["title"]
