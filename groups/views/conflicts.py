"""Declared conflicts of a chapter: the coordinator's list, declaration and withdrawal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from groups import permissions, selectors
from groups.forms.conflicts import ConflictForm
from groups.models import Chapter, DeclaredConflict
from groups.services.conflicts import declare_conflict, withdraw_conflict
from groups.views.mixins import ChapterFromUrlMixin
from plato.permissions import PlatoPermissionMixin
from plato.views.actions import add_service_error, post_action


class ConflictListView(PlatoPermissionMixin, ChapterFromUrlMixin, FormView):
    template_name = "groups/conflict_list.html"
    form_class = ConflictForm

    def has_permission(self):
        return permissions.is_any_coordinator(self.request.user)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"parties": selectors.chapter_parties(self.chapter)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"conflicts": selectors.declared_conflicts(self.chapter)}

    def form_valid(self, form):
        siren, other_siren = form.cleaned_data["party"], form.cleaned_data["other_party"]
        try:
            declare_conflict(
                self.chapter,
                siren=siren,
                name=form.parties[siren][0],
                other_siren=other_siren,
                other_name=form.parties[other_siren][0],
                reason=form.cleaned_data["reason"],
                actor=self.request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        together = selectors.cohorts_seating_both(self.chapter, siren, other_siren)
        if together:
            messages.warning(
                self.request,
                _("The conflict was declared, but these two companies already sit together in %(cohorts)s.")
                % {"cohorts": ", ".join(str(cohort) for cohort in together)},
            )
        else:
            messages.success(
                self.request, _("The conflict was declared: these two companies will never sit together.")
            )
        return redirect(reverse("groups:conflict_list", kwargs={"code": self.chapter.code}))


@login_required
@require_POST
def conflict_withdraw(request, pk):
    conflict = get_object_or_404(
        DeclaredConflict.objects.filter(chapter__in=Chapter.objects.visible_to(request.user)).select_related(
            "chapter"
        ),
        pk=pk,
    )
    if not permissions.is_coordinator_of(request.user, conflict.chapter):
        raise PermissionDenied
    return post_action(
        request,
        lambda: withdraw_conflict(conflict, actor=request.user),
        success=_("The declared conflict between %(conflict)s was withdrawn.") % {"conflict": conflict},
        then=reverse("groups:conflict_list", kwargs={"code": conflict.chapter.code}),
    )
