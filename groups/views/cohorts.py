"""Cohorts: the coordinator's list and page, members, sponsors, lifecycle, the members' directory.

Same path every time: scoped lookup → form → service → message → redirect.
"""

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, ListView

from groups import permissions, selectors
from groups.enums import CohortState, ConflictSource, MembershipState
from groups.forms.cohorts import (
    CohortFilterForm,
    CohortForm,
    MemberConflictForm,
    MembershipAddForm,
    SponsorAddForm,
    WithdrawForm,
)
from groups.models import Chapter, Cohort, Membership, Sponsorship
from groups.roles import roles_for
from groups.services.cohorts import close_cohort, create_cohort, start_cohort, update_cohort
from groups.services.conflicts import declare_conflict
from groups.services.memberships import CompetitorRefused, add_member, withdraw_member
from groups.services.sponsors import MAX_SPONSORS, add_sponsor, end_sponsorship
from groups.views.mixins import ChapterFromUrlMixin, CohortFromUrlMixin
from plato.permissions import PlatoPermissionMixin
from plato.views.actions import add_service_error, post_action


class CohortListView(PlatoPermissionMixin, ListView):
    template_name = "groups/cohort_list.html"
    context_object_name = "cohorts"

    def has_permission(self):
        return permissions.is_any_staff(self.request.user)

    @cached_property
    def filters(self) -> dict:
        form = CohortFilterForm(self.request.GET)
        form.is_valid()  # a malformed filter is ignored; the valid ones still apply
        return {"chapter_id": form.cleaned_data.get("chapter"), "state": form.cleaned_data.get("state", "")}

    def get_queryset(self):
        return selectors.cohorts_for(self.request.user, **self.filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = roles_for(self.request.user)
        context["state_filter"] = self.filters["state"]
        context["states"] = CohortState.choices
        context["show_chapter"] = roles.is_admin or len(roles.staff_chapter_ids) > 1
        context["chapters_to_create_in"] = list(Chapter.objects.coordinated_by(self.request.user))
        return context


class CohortCreateView(PlatoPermissionMixin, ChapterFromUrlMixin, FormView):
    template_name = "groups/cohort_form.html"
    form_class = CohortForm
    chapter_permission = staticmethod(permissions.is_coordinator_of)

    def has_permission(self):
        return permissions.is_any_coordinator(self.request.user)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"chapter": self.chapter}

    def form_valid(self, form):
        try:
            cohort = create_cohort(
                self.chapter,
                name=form.cleaned_data["name"],
                start_date=form.cleaned_data["start_date"],
                facilitators=form.cleaned_data["facilitators"],
                actor=self.request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The cohort %(name)s was created.") % {"name": cohort})
        return redirect(cohort.get_absolute_url())


class _CohortObjectMixin(PlatoPermissionMixin, CohortFromUrlMixin):
    """A coordinator's page about one cohort."""

    cohort_permission = staticmethod(permissions.can_manage_cohort)

    def has_permission(self):
        return permissions.is_any_staff(self.request.user)


class CohortUpdateView(_CohortObjectMixin, FormView):
    template_name = "groups/cohort_form.html"
    form_class = CohortForm

    def get_form_kwargs(self):
        # The form edits a copy: a refused save must not rename the cohort in the page header.
        copy = Cohort.objects.select_related("chapter").get(pk=self.cohort.pk)
        return super().get_form_kwargs() | {"chapter": self.cohort.chapter, "instance": copy}

    def form_valid(self, form):
        try:
            update_cohort(
                form.instance,
                name=form.cleaned_data["name"],
                start_date=form.cleaned_data["start_date"],
                facilitators=form.cleaned_data["facilitators"],
                actor=self.request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The cohort was saved."))
        return redirect(self.cohort.get_absolute_url())


class CohortDetailView(PlatoPermissionMixin, DetailView):
    template_name = "groups/cohort_detail.html"
    context_object_name = "cohort"

    def has_permission(self):
        return permissions.is_any_staff(self.request.user)

    def has_object_permission(self, obj):
        return permissions.can_view_cohort(self.request.user, obj)

    def get_queryset(self):
        return Cohort.objects.visible_to(self.request.user).select_related("chapter")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = selectors.cohort_page(self.object)
        context["can_manage"] = permissions.can_manage_cohort(self.request.user, self.object)
        context["max_sponsors"] = MAX_SPONSORS
        return context


class MembershipAddView(_CohortObjectMixin, FormView):
    template_name = "groups/membership_form.html"
    form_class = MembershipAddForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"cohort": self.cohort}

    def form_valid(self, form):
        person = form.cleaned_data["person"]
        try:
            membership = add_member(
                self.cohort,
                person.company,
                person=person,
                actor=self.request.user,
                justification=form.cleaned_data["justification"],
            )
        except CompetitorRefused as refusal:
            form.add_error(None, refusal)
            return self.render_to_response(self.get_context_data(form=form, refused=True))
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        if membership.overridden:
            messages.warning(
                self.request,
                _(
                    "%(company)s joined %(cohort)s despite the competitor rule; your justification is in the audit log."
                )
                % {"company": membership.company, "cohort": self.cohort},
            )
        else:
            messages.success(
                self.request,
                _("%(company)s joined %(cohort)s.") % {"company": membership.company, "cohort": self.cohort},
            )
        return redirect(self.cohort.get_absolute_url())


class MembershipWithdrawView(PlatoPermissionMixin, FormView):
    template_name = "groups/membership_withdraw.html"
    form_class = WithdrawForm

    def has_permission(self):
        return permissions.is_any_staff(self.request.user)

    @cached_property
    def membership(self) -> Membership:
        membership = get_object_or_404(
            Membership.objects.filter(cohort__in=Cohort.objects.visible_to(self.request.user)).select_related(
                "cohort__chapter", "company", "person"
            ),
            pk=self.kwargs["pk"],
        )
        if not permissions.can_manage_cohort(self.request.user, membership.cohort):
            raise PermissionDenied
        return membership

    def get_initial(self):
        return {"left_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "membership": self.membership,
            "cohort": self.membership.cohort,
        }

    def form_valid(self, form):
        try:
            withdraw_member(
                self.membership,
                actor=self.request.user,
                reason=form.cleaned_data["reason"],
                left_on=form.cleaned_data["left_on"],
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(company)s left %(cohort)s; their history is kept.")
            % {"company": self.membership.company, "cohort": self.membership.cohort},
        )
        return redirect(self.membership.cohort.get_absolute_url())


class SponsorAddView(_CohortObjectMixin, FormView):
    template_name = "groups/sponsor_form.html"
    form_class = SponsorAddForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"cohort": self.cohort}

    def form_valid(self, form):
        try:
            sponsorship = add_sponsor(
                self.cohort, person=form.cleaned_data["person"], actor=self.request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(person)s now sponsors %(cohort)s.") % {"person": sponsorship.person, "cohort": self.cohort},
        )
        return redirect(self.cohort.get_absolute_url())


def _managed_cohort(request, pk) -> Cohort:
    cohort = get_object_or_404(Cohort.objects.visible_to(request.user).select_related("chapter"), pk=pk)
    if not permissions.can_manage_cohort(request.user, cohort):
        raise PermissionDenied
    return cohort


@login_required
@require_POST
def cohort_start(request, pk):
    cohort = _managed_cohort(request, pk)
    return post_action(
        request,
        lambda: start_cohort(cohort, actor=request.user),
        success=_("%(cohort)s has started.") % {"cohort": cohort},
        then=cohort.get_absolute_url(),
    )


@login_required
@require_POST
def cohort_close(request, pk):
    cohort = _managed_cohort(request, pk)
    return post_action(
        request,
        lambda: close_cohort(cohort, actor=request.user),
        success=_("%(cohort)s is closed: its members are now alumni.") % {"cohort": cohort},
        then=cohort.get_absolute_url(),
    )


@login_required
@require_POST
def sponsorship_end(request, pk):
    sponsorship = get_object_or_404(
        Sponsorship.objects.filter(cohort__in=Cohort.objects.visible_to(request.user)).select_related(
            "cohort__chapter", "person"
        ),
        pk=pk,
    )
    if not permissions.can_manage_cohort(request.user, sponsorship.cohort):
        raise PermissionDenied
    return post_action(
        request,
        lambda: end_sponsorship(sponsorship, actor=request.user),
        success=_("%(person)s no longer sponsors %(cohort)s.")
        % {"person": sponsorship.person, "cohort": sponsorship.cohort},
        then=sponsorship.cohort.get_absolute_url(),
    )


class CohortDirectoryView(PlatoPermissionMixin, DetailView):
    """The cohort's own directory: who is who, with only what each member agreed to show."""

    template_name = "groups/cohort_directory.html"
    context_object_name = "cohort"

    def has_object_permission(self, obj):
        return permissions.can_view_directory(self.request.user, obj)

    def get_queryset(self):
        return Cohort.objects.visible_to(self.request.user).select_related("chapter")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context |= selectors.cohort_directory(self.object)
        context["can_declare"] = permissions.can_declare_competitor(self.request.user, self.object)
        context["is_staff_view"] = permissions.can_view_cohort(self.request.user, self.object)
        return context


class MemberConflictView(PlatoPermissionMixin, CohortFromUrlMixin, FormView):
    """A member tells the CCI which company they compete with, so it never joins their cohort."""

    template_name = "groups/member_conflict_form.html"
    form_class = MemberConflictForm
    cohort_permission = staticmethod(permissions.can_declare_competitor)

    @cached_property
    def membership(self) -> Membership:
        return (
            Membership.objects.filter(
                cohort=self.cohort, person=self.request.user, state=MembershipState.ACTIVE
            )
            .select_related("company")
            .first()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"membership": self.membership}

    def form_valid(self, form):
        company = self.membership.company
        try:
            declare_conflict(
                self.cohort.chapter,
                siren=company.siren,
                name=company.name,
                other_siren=form.cleaned_data["siret"][:9],
                other_name=form.cleaned_data["company_name"],
                reason=form.cleaned_data["reason"],
                actor=self.request.user,
                declared_as=ConflictSource.MEMBER,
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        other_name = form.cleaned_data["company_name"]
        if selectors.cohorts_seating_both(self.cohort.chapter, company.siren, form.cleaned_data["siret"][:9]):
            messages.warning(
                self.request,
                _(
                    "Thank you: %(company)s already sits in a cohort with you; "
                    "the CCI team sees it on the cohort page."
                )
                % {"company": other_name},
            )
        else:
            messages.success(
                self.request,
                _("Thank you: %(company)s will not be placed in a cohort with you.")
                % {"company": other_name},
            )
        return redirect(reverse("groups:cohort_directory", kwargs={"pk": self.cohort.pk}))
