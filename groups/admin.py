from django.contrib import admin

from groups.models import Chapter, ChapterRole, Cohort, Membership, Region, Sponsorship


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


class ChapterRoleInline(admin.TabularInline):
    model = ChapterRole
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department", "region", "fee", "vat_rate"]
    list_select_related = ["region"]
    inlines = [ChapterRoleInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "company"]


class SponsorshipInline(admin.TabularInline):
    model = Sponsorship
    extra = 0
    autocomplete_fields = ["person", "company"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "chapter", "state", "start_date", "end_date"]
    list_filter = ["chapter", "state"]
    list_select_related = ["chapter"]
    inlines = [MembershipInline, SponsorshipInline]
