"""Companies and people of a chapter, and each user's own profile and calendar feed.

Same path every time: scoped lookup → form → service → message → redirect.
"""

from functools import cached_property

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, ListView, TemplateView, UpdateView

from groups.permissions import is_any_staff
from groups.roles import roles_for
from members import naf, permissions, selectors, services
from members.forms import CompanyForm, PersonForm, ProfileForm, SearchForm, chapters_coordinated_by
from members.models import Company, User
from plato.permissions import PlatoPermissionMixin


class _SearchListMixin:
    paginate_by = 25

    @cached_property
    def search_params(self) -> dict:
        """What the list is filtered by; a malformed parameter is ignored, never a 500."""
        form = SearchForm(self.request.GET)
        if not form.is_valid():
            return {"query": "", "chapter_id": None}
        return {"query": form.cleaned_data["q"], "chapter_id": form.cleaned_data["chapter"]}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.search_params
        context["query"], context["chapter_filter"] = params["query"], params["chapter_id"]
        return context


class _ServiceFormMixin:
    """Hands the validated instance to a service; its ValidationErrors go back on the form."""

    service = None
    success_message = ""

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"chapters": chapters_coordinated_by(self.request.user)}

    def form_valid(self, form):
        try:
            self.object = type(self).service(form.instance, actor=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message % {"name": self.object})
        return redirect(self.object.get_absolute_url())


# --- Companies ------------------------------------------------------------------------


class CompanyListView(PlatoPermissionMixin, _SearchListMixin, ListView):
    template_name = "members/company_list.html"
    context_object_name = "companies"

    def has_permission(self):
        return permissions.can_view_directory(self.request.user)

    def get_queryset(self):
        return selectors.companies_for(self.request.user, **self.search_params)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = permissions.can_create_in_some_chapter(self.request.user)
        return context


class CompanyDetailView(PlatoPermissionMixin, DetailView):
    template_name = "members/company_detail.html"
    context_object_name = "company"

    def has_permission(self):
        return permissions.can_view_directory(self.request.user)

    def get_queryset(self):
        return Company.objects.visible_to(self.request.user).select_related("chapter")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["people"] = selectors.people_of_company(self.object)
        context["can_edit"] = permissions.can_edit_company(self.request.user, self.object)
        return context


class _CompanyFormView(_ServiceFormMixin):
    model = Company
    form_class = CompanyForm
    template_name = "members/company_form.html"
    service = staticmethod(services.save_company)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"naf_entries": naf.nomenclature().values()}


class CompanyCreateView(PlatoPermissionMixin, _CompanyFormView, CreateView):
    success_message = gettext_lazy("The company %(name)s was created.")

    def has_permission(self):
        return permissions.can_create_in_some_chapter(self.request.user)


class CompanyUpdateView(PlatoPermissionMixin, _CompanyFormView, UpdateView):
    success_message = gettext_lazy("The company %(name)s was saved.")

    def has_permission(self):
        return is_any_staff(self.request.user)

    def has_object_permission(self, obj):
        return permissions.can_edit_company(self.request.user, obj)

    def get_queryset(self):
        return Company.objects.visible_to(self.request.user).select_related("chapter")


# --- People -----------------------------------------------------------------------------


class PersonListView(PlatoPermissionMixin, _SearchListMixin, ListView):
    template_name = "members/person_list.html"
    context_object_name = "people"

    def has_permission(self):
        return permissions.can_view_directory(self.request.user)

    def get_queryset(self):
        return selectors.people_for(self.request.user, **self.search_params)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = permissions.can_create_in_some_chapter(self.request.user)
        return context


class PersonDetailView(PlatoPermissionMixin, DetailView):
    template_name = "members/person_detail.html"
    context_object_name = "person"

    def has_permission(self):
        return permissions.can_view_directory(self.request.user)

    def get_queryset(self):
        return User.objects.visible_to(self.request.user).select_related("company", "chapter")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = permissions.can_edit_person(self.request.user, self.object)
        return context


class _PersonFormView(_ServiceFormMixin):
    model = User
    form_class = PersonForm
    template_name = "members/person_form.html"
    service = staticmethod(services.save_person)


class PersonCreateView(PlatoPermissionMixin, _PersonFormView, CreateView):
    success_message = gettext_lazy(
        "%(name)s was added. They can sign in after choosing a password with “Forgotten password”."
    )

    def has_permission(self):
        return permissions.can_create_in_some_chapter(self.request.user)


class PersonUpdateView(PlatoPermissionMixin, _PersonFormView, UpdateView):
    success_message = gettext_lazy("%(name)s was saved.")

    def has_permission(self):
        return is_any_staff(self.request.user)

    def has_object_permission(self, obj):
        return permissions.can_edit_person(self.request.user, obj)

    def get_queryset(self):
        return User.objects.visible_to(self.request.user).select_related("company", "chapter")


# --- Own profile ----------------------------------------------------------------------


class ProfileView(LoginRequiredMixin, TemplateView):
    template_name = "members/profile_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["person"] = User.objects.select_related("company", "chapter").get(pk=user.pk)
        context["staff_roles"] = user.chapter_roles.select_related("chapter").order_by("chapter__code")
        context["roles"] = roles_for(user)
        return context


class ProfileUpdateView(LoginRequiredMixin, UpdateView):
    form_class = ProfileForm
    template_name = "members/profile_form.html"

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        data = form.cleaned_data
        services.update_profile(
            self.request.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            phone=data["phone"],
            job_title=data["job_title"],
            share_email=data["share_email"],
            share_phone=data["share_phone"],
            share_job_title=data["share_job_title"],
        )
        messages.success(self.request, _("Your profile was saved."))
        return redirect("members:profile")


# --- The user's own calendar feed --------------------------------------------------------


class CalendarFeedView(LoginRequiredMixin, TemplateView):
    """The user's private feed URL, how to subscribe to it, and a way to renew it."""

    template_name = "members/calendar_feed.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        feed = services.calendar_feed_for(self.request.user)
        context["feed"] = feed
        context["feed_url"] = settings.SITE_URL.rstrip("/") + feed.get_absolute_url()
        return context


@login_required
@require_POST
def calendar_feed_renew(request):
    services.renew_calendar_feed(request.user)
    messages.success(
        request,
        _("Your calendar link was renewed: the previous one no longer works. Subscribe again with this one."),
    )
    return redirect("members:calendar_feed")
