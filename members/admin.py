from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from members.models import Company, User

# Plato's groups are cohorts (groups app); Django's permission groups are unused and
# would only confuse staff with a second "Groupes" entry.
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["last_name", "first_name"]
    show_full_result_count = False  # no count of the whole table under every page
    list_display = ["email", "first_name", "last_name", "company", "chapter", "is_superuser", "is_active"]
    list_filter = ["is_superuser", "is_active", "chapter"]
    search_fields = ["email", "first_name", "last_name", "company__name"]
    list_select_related = ["company", "chapter"]
    autocomplete_fields = ["company"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "phone", "job_title", "company", "chapter")}),
        (_("Rights"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    show_full_result_count = False  # no count of the whole table under every page
    list_display = ["name", "siret", "naf_code", "town", "chapter"]
    list_filter = ["chapter", "size_band"]
    search_fields = ["name", "siret", "town"]
    list_select_related = ["chapter"]
