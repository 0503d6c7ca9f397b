"""The chapter's companies and the people of its network: CCI staff read them, its
coordinators add and edit them.

They are members' rows, but who may see and change them is a chapter role, so the pages
are groups' (members may not import groups); they keep members' URL names and paths
(groups/urls.py `members_urlpatterns`, mounted in members' namespace by plato/urls.py).
Same path every time: scoped lookup → form → service → message → redirect.
"""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from groups import permissions
from groups.models import Chapter
from members import naf
from members import selectors as member_selectors
from members import services as member_services
from members.forms import CompanyForm, PersonForm, SearchForm
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
        return super().get_form_kwargs() | {
            "chapters": Chapter.objects.coordinated_by(self.request.user).order_by("code")
        }

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
        return permissions.is_any_staff(self.request.user)

    def get_queryset(self):
        return member_selectors.companies_for(self.request.user, **self.search_params)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = permissions.is_any_coordinator(self.request.user)
        return context


class CompanyDetailView(PlatoPermissionMixin, DetailView):
    template_name = "members/company_detail.html"
    context_object_name = "company"

    def has_permission(self):
        return permissions.is_any_staff(self.request.user)

    def get_queryset(self):
        return Company.objects.visible_to(self.request.user).select_related("chapter")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["people"] = member_selectors.people_of_company(self.object)
        context["can_edit"] = permissions.can_edit_company(self.request.user, self.object)
        return context


class _CompanyFormView(_ServiceFormMixin):
    model = Company
    form_class = CompanyForm
    template_name = "members/company_form.html"
    service = staticmethod(member_services.save_company)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"naf_entries": naf.nomenclature().values()}


class CompanyCreateView(PlatoPermissionMixin, _CompanyFormView, CreateView):
    success_message = gettext_lazy("The company %(name)s was created.")

    def has_permission(self):
        return permissions.is_any_coordinator(self.request.user)


class CompanyUpdateView(PlatoPermissionMixin, _CompanyFormView, UpdateView):
    success_message = gettext_lazy("The company %(name)s was saved.")

    def has_permission(self):
        return permissions.is_any_staff(self.request.user)

    def has_object_permission(self, obj):
        return permissions.can_edit_company(self.request.user, obj)

    def get_queryset(self):
        return Company.objects.visible_to(self.request.user).select_related("chapter")


# --- People -----------------------------------------------------------------------------


class PersonListView(PlatoPermissionMixin, _SearchListMixin, ListView):
    template_name = "members/person_list.html"
    context_object_name = "people"

    def has_permission(self):
        return permissions.is_any_staff(self.request.user)

    def get_queryset(self):
        return member_selectors.people_for(self.request.user, **self.search_params)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = permissions.is_any_coordinator(self.request.user)
        return context


class PersonDetailView(PlatoPermissionMixin, DetailView):
    template_name = "members/person_detail.html"
    context_object_name = "person"

    def has_permission(self):
        return permissions.is_any_staff(self.request.user)

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
    service = staticmethod(member_services.save_person)


class PersonCreateView(PlatoPermissionMixin, _PersonFormView, CreateView):
    success_message = gettext_lazy(
        "%(name)s was added. They can sign in after choosing a password with “Forgotten password”."
    )

    def has_permission(self):
        return permissions.is_any_coordinator(self.request.user)


class PersonUpdateView(PlatoPermissionMixin, _PersonFormView, UpdateView):
    success_message = gettext_lazy("%(name)s was saved.")

    def has_permission(self):
        return permissions.is_any_staff(self.request.user)

    def has_object_permission(self, obj):
        return permissions.can_edit_person(self.request.user, obj)

    def get_queryset(self):
        return User.objects.visible_to(self.request.user).select_related("company", "chapter")
