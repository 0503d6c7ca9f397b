"""The admin, for network administrators. Every write that the app guards with a rule
goes through the same service here: a membership added in the admin is checked by the
competitor rule (and an override needs a justification, written to the audit log)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from groups.enums import MembershipState
from groups.models import (
    Candidate,
    Chapter,
    ChapterRole,
    Cohort,
    CompetitorOverride,
    DeclaredConflict,
    Membership,
    Region,
    Sponsorship,
)
from groups.services.chapters import create_chapter
from groups.services.memberships import add_member, check_admission
from members.validators import validate_siren


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    show_full_result_count = False  # no count of the whole table under every page
    list_display = ["code", "name"]


class ChapterRoleInline(admin.TabularInline):
    model = ChapterRole
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    show_full_result_count = False  # no count of the whole table under every page
    list_display = ["code", "name", "department", "region", "fee", "vat_rate"]
    list_select_related = ["region"]
    inlines = [ChapterRoleInline]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            create_chapter(obj, actor=request.user)


class MembershipInline(admin.TabularInline):
    """Read-only here: members are added through "Memberships", where the rule is checked."""

    model = Membership
    extra = 0
    fields = ["person", "company", "state", "joined_on", "left_on"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class SponsorshipInline(admin.TabularInline):
    model = Sponsorship
    extra = 0
    fields = ["person", "company", "started_on", "ended_on"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    """A cohort's chapter never changes, and its state moves only through the cohort page
    (start, close: members become alumni), never by hand."""

    show_full_result_count = False  # no count of the whole table under every page
    list_display = ["name", "chapter", "state", "start_date", "end_date"]

    def get_readonly_fields(self, request, obj=None):
        return ["chapter", "state"] if obj is not None else ["state"]

    list_filter = ["chapter", "state"]
    list_select_related = ["chapter"]
    search_fields = ["name"]
    inlines = [MembershipInline, SponsorshipInline]


class MembershipAdminForm(forms.ModelForm):
    justification = forms.CharField(
        label=_("Justification for letting a competitor in"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only if the competitor rule refuses: kept in the cohort's audit log."),
    )

    class Meta:
        model = Membership
        fields = ["cohort", "person", "company", "joined_on", "justification"]

    def clean(self):
        cleaned = super().clean()
        cohort, person, company = cleaned.get("cohort"), cleaned.get("person"), cleaned.get("company")
        if self.instance.pk is None and cohort and person and company:
            try:
                check_admission(
                    cohort,
                    company,
                    person=person,
                    actor=self.actor,
                    justification=cleaned.get("justification", ""),
                )
            except ValidationError as error:
                raise ValidationError(error.messages) from None
        return cleaned


class MembershipChangeForm(forms.ModelForm):
    """Corrections of an existing place: dates, reason, leaving. Coming back is a new admission."""

    class Meta:
        model = Membership
        fields = ["state", "joined_on", "left_on", "left_reason"]

    def clean(self):
        cleaned = super().clean()
        was, now = Membership.objects.get(pk=self.instance.pk).state, cleaned.get("state")
        if now == MembershipState.ACTIVE and was != MembershipState.ACTIVE:
            raise ValidationError(
                _("A member who left comes back through a new membership, checked by the competitor rule.")
            )
        if now == MembershipState.ACTIVE and cleaned.get("left_on"):
            self.add_error("left_on", _("An active member has no leaving date."))
        if now != MembershipState.ACTIVE and not cleaned.get("left_on"):
            self.add_error("left_on", _("Give the date the member left."))
        joined, left = cleaned.get("joined_on"), cleaned.get("left_on")
        if joined and left and left < joined:
            self.add_error("left_on", _("A member cannot leave before joining."))
        return cleaned


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    show_full_result_count = False  # no count of the whole table under every page
    list_display = ["person", "company", "cohort", "state", "joined_on", "left_on"]
    list_filter = ["state", "cohort__chapter"]
    list_select_related = ["person", "company", "cohort"]
    search_fields = ["person__last_name", "company__name", "cohort__name"]
    autocomplete_fields = ["person", "company", "cohort"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = MembershipAdminForm
            form = super().get_form(request, obj, change, **kwargs)
            form.actor = request.user
            return form
        kwargs["form"] = MembershipChangeForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # A place changes hands only through the rule: an existing membership keeps its
        # cohort, person and company; its state and dates may be corrected.
        return ["cohort", "person", "company"] if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["cohort", "person", "company", "joined_on", "justification"]
        return ["cohort", "person", "company", "state", "joined_on", "left_on", "left_reason"]

    def has_delete_permission(self, request, obj=None):
        # A member's history (meetings, invoices, the audit log) hangs on the place: it ends, never vanishes.
        return False

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        membership = add_member(
            form.cleaned_data["cohort"],
            form.cleaned_data["company"],
            person=form.cleaned_data["person"],
            actor=request.user,
            justification=form.cleaned_data.get("justification", ""),
            joined_on=form.cleaned_data.get("joined_on"),
        )
        obj.pk = membership.pk
        obj.state = membership.state


class SponsorshipChangeForm(forms.ModelForm):
    class Meta:
        model = Sponsorship
        fields = ["started_on", "ended_on"]

    def clean(self):
        cleaned = super().clean()
        started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
        if self.instance.ended_on is not None and ended is None:
            # Reopening could make a 4th sponsor or sponsor a closed cohort: add them again instead.
            self.add_error(
                "ended_on", _("An ended sponsorship stays ended: add the sponsor again from the cohort page.")
            )
        if started and ended and ended < started:
            self.add_error("ended_on", _("A sponsorship cannot end before it starts."))
        return cleaned


@admin.register(Sponsorship)
class SponsorshipAdmin(admin.ModelAdmin):
    """Sponsors are added from the cohort page (at most 3); here their dates are corrected."""

    show_full_result_count = False  # no count of the whole table under every page
    list_display = ["person", "company", "cohort", "started_on", "ended_on"]
    list_select_related = ["person", "company", "cohort"]
    fields = ["cohort", "person", "company", "started_on", "ended_on"]
    readonly_fields = ["cohort", "person", "company"]
    form = SponsorshipChangeForm

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    show_full_result_count = False  # no count of the whole table under every page
    list_select_related = ["chapter"]
    list_display = ["company_name", "chapter", "state", "naf_code", "town", "created_at"]
    list_filter = ["chapter", "state", "source"]
    search_fields = ["company_name", "siret", "last_name", "email"]
    # Candidates come from the application form, the import or a coordinator's page, and
    # their states move through the pipeline (qualify, decline, place), never by hand.
    readonly_fields = [
        "chapter",
        "siret",
        "state",
        "membership",
        "source",
        "duplicate_of",
        "duplicate_of_membership",
    ]

    def has_add_permission(self, request):
        return False


class DeclaredConflictAdminForm(forms.ModelForm):
    class Meta:
        model = DeclaredConflict
        fields = ["chapter", "siren_a", "name_a", "siren_b", "name_b", "reason"]

    def clean(self):
        """The pair is stored in SIREN order, whichever way it was typed."""
        cleaned = super().clean()
        for field in ("siren_a", "siren_b"):
            if cleaned.get(field):
                try:
                    validate_siren(cleaned[field])
                except ValidationError as error:
                    self.add_error(field, error)
        siren_a, siren_b = cleaned.get("siren_a"), cleaned.get("siren_b")
        if siren_a and siren_b and siren_a == siren_b:
            self.add_error("siren_b", _("A company cannot be declared in conflict with itself."))
        elif siren_a and siren_b and siren_a > siren_b:
            cleaned["siren_a"], cleaned["siren_b"] = siren_b, siren_a
            cleaned["name_a"], cleaned["name_b"] = cleaned.get("name_b"), cleaned.get("name_a")
        return cleaned


@admin.register(DeclaredConflict)
class DeclaredConflictAdmin(admin.ModelAdmin):
    form = DeclaredConflictAdminForm
    show_full_result_count = False  # no count of the whole table under every page
    list_select_related = ["chapter", "declared_by"]
    list_display = ["__str__", "chapter", "declared_as", "declared_by", "created_at"]
    list_filter = ["chapter", "declared_as"]
    search_fields = ["name_a", "name_b", "siren_a", "siren_b"]
    readonly_fields = ["declared_by", "declared_as", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.declared_by = request.user
            obj.declared_as = "coordinator"
        super().save_model(request, obj, form, change)


@admin.register(CompetitorOverride)
class CompetitorOverrideAdmin(admin.ModelAdmin):
    """The audit log: read only, for everyone."""

    show_full_result_count = False  # no count of the whole table under every page
    list_display = ["cohort", "company", "competitor", "actor", "created_at"]
    list_select_related = ["cohort", "company", "competitor", "actor"]
    list_filter = ["cohort__chapter"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
