from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, UpdateView

from groups import permissions, selectors
from groups.forms.chapters import ChapterSettingsForm
from groups.models import Chapter
from groups.services.chapters import update_chapter_settings
from plato.permissions import PlatoPermissionMixin


class ChapterListView(PlatoPermissionMixin, ListView):
    template_name = "groups/chapter_list.html"
    context_object_name = "chapters"

    def has_permission(self):
        return permissions.is_any_staff(self.request.user)

    def get_queryset(self):
        return selectors.chapters_with_stats(self.request.user)


class ChapterDetailView(PlatoPermissionMixin, DetailView):
    template_name = "groups/chapter_detail.html"
    context_object_name = "chapter"
    slug_field = "code"
    slug_url_kwarg = "code"

    def has_permission(self):
        return permissions.is_any_staff(self.request.user)

    def get_queryset(self):
        return selectors.chapters_with_stats(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["staff"] = selectors.chapter_staff(self.object)
        context["can_edit"] = permissions.can_edit_chapter(self.request.user, self.object)
        return context


class ChapterUpdateView(PlatoPermissionMixin, UpdateView):
    template_name = "groups/chapter_form.html"
    form_class = ChapterSettingsForm
    slug_field = "code"
    slug_url_kwarg = "code"

    def has_permission(self):
        return permissions.is_any_staff(self.request.user)

    def has_object_permission(self, obj):
        return permissions.can_edit_chapter(self.request.user, obj)

    def get_queryset(self):
        return Chapter.objects.visible_to(self.request.user).select_related("region")

    def form_valid(self, form):
        try:
            update_chapter_settings(form.instance, actor=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The chapter's settings were saved."))
        return redirect(form.instance.get_absolute_url())
