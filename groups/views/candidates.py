"""Candidates: the public application form, the coordinator's pipeline, the CSV import."""

from functools import cached_property

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView, TemplateView

from groups import permissions, selectors
from groups.candidate_csv import COLUMNS, MAX_BYTES
from groups.enums import CandidateState
from groups.forms.candidates import (
    ApplicationForm,
    CandidateFilterForm,
    CandidateForm,
    DeclineForm,
    ImportForm,
    PlaceForm,
)
from groups.models import Candidate, Chapter
from groups.services.candidates import (
    create_candidate,
    decline_candidate,
    import_candidates,
    place_candidate,
    qualify_candidate,
    submit_application,
    update_candidate,
)
from groups.services.memberships import CompetitorRefused
from groups.views.mixins import ChapterFromUrlMixin
from members import naf
from plato.permissions import PlatoPermissionMixin
from plato.views.actions import add_service_error, post_action


class ApplicationView(FormView):
    """Anyone may apply: no account needed. A robot filling the hidden field gets the thank-you page."""

    template_name = "groups/application_form.html"
    form_class = ApplicationForm

    @cached_property
    def chapter(self) -> Chapter:
        return get_object_or_404(Chapter, code=self.kwargs["code"])

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": Candidate(chapter=self.chapter)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "chapter": self.chapter,
            "naf_entries": naf.nomenclature().values(),
        }

    def form_valid(self, form):
        thanks = reverse("groups:application_thanks", kwargs={"code": self.chapter.code})
        if form.cleaned_data.get("website"):
            return redirect(thanks)
        if not ratelimit.consume(self.request, action="plato_application"):
            form.add_error(
                None, _("Too many applications were sent from your connection: try again in an hour.")
            )
            return self.form_invalid(form)
        try:
            submit_application(form.instance)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return redirect(thanks)


class ApplicationThanksView(TemplateView):
    template_name = "groups/application_thanks.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "chapter": get_object_or_404(Chapter, code=self.kwargs["code"])
        }


class CandidateListView(PlatoPermissionMixin, ChapterFromUrlMixin, ListView):
    template_name = "groups/candidate_list.html"
    context_object_name = "candidates"
    paginate_by = 50

    def has_permission(self):
        return permissions.is_any_coordinator(self.request.user)

    @cached_property
    def filters(self) -> dict:
        form = CandidateFilterForm(self.request.GET)
        form.is_valid()  # a malformed filter is ignored; the valid ones still apply
        return {"state": form.cleaned_data.get("state", ""), "query": form.cleaned_data.get("q", "")}

    def get_queryset(self):
        return selectors.candidates_for(self.chapter, **self.filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = selectors.candidate_counts(self.chapter)
        context["state_tabs"] = [(value, label, counts[value]) for value, label in CandidateState.choices]
        context["state_filter"] = self.filters["state"]
        context["query"] = self.filters["query"]
        return context


class CandidateCreateView(PlatoPermissionMixin, ChapterFromUrlMixin, FormView):
    template_name = "groups/candidate_form.html"
    form_class = CandidateForm

    def has_permission(self):
        return permissions.is_any_coordinator(self.request.user)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": Candidate(chapter=self.chapter)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"naf_entries": naf.nomenclature().values()}

    def form_valid(self, form):
        try:
            candidate = create_candidate(form.instance, actor=self.request.user)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The candidate %(name)s was added.") % {"name": candidate})
        return redirect(candidate.get_absolute_url())


class _CandidateObjectMixin(PlatoPermissionMixin):
    def has_permission(self):
        return permissions.is_any_coordinator(self.request.user)

    @cached_property
    def candidate(self) -> Candidate:
        return get_object_or_404(
            Candidate.objects.visible_to(self.request.user).select_related(
                "chapter",
                "membership__cohort",
                "duplicate_of",
                "duplicate_of_membership__cohort",
                "duplicate_of_membership__company",
                "duplicate_of_membership__person",
            ),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "candidate": self.candidate,
            "chapter": self.candidate.chapter,
        }


class CandidateDetailView(_CandidateObjectMixin, TemplateView):
    template_name = "groups/candidate_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_open"] = self.candidate.state in (CandidateState.NEW, CandidateState.QUALIFIED)
        if self.candidate.state == CandidateState.QUALIFIED:
            context["place_form"] = PlaceForm(chapter=self.candidate.chapter)
        if context["is_open"]:
            context["decline_form"] = DeclineForm()
        return context


class CandidateUpdateView(_CandidateObjectMixin, FormView):
    template_name = "groups/candidate_form.html"
    form_class = CandidateForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": Candidate.objects.get(pk=self.candidate.pk)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"naf_entries": naf.nomenclature().values()}

    def form_valid(self, form):
        try:
            update_candidate(form.instance, actor=self.request.user)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The candidate %(name)s was saved.") % {"name": form.instance})
        return redirect(form.instance.get_absolute_url())


@login_required
@require_POST
def candidate_qualify(request, pk):
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user).select_related("chapter"), pk=pk)
    if not permissions.can_manage_candidates(request.user, candidate.chapter):
        raise PermissionDenied
    if request.POST.get("from") == "list":
        back = reverse("groups:candidate_list", kwargs={"code": candidate.chapter.code}) + "?state=new"
    else:
        back = candidate.get_absolute_url()
    return post_action(
        request,
        lambda: qualify_candidate(candidate, actor=request.user),
        success=_("%(name)s is qualified: the composer can now place them.") % {"name": candidate},
        then=back,
    )


class CandidateDeclineView(_CandidateObjectMixin, FormView):
    template_name = "groups/candidate_decline.html"
    form_class = DeclineForm

    def get_initial(self):
        if self.candidate.is_duplicate:
            return {"reason": _("Duplicate application.")}
        return {}

    def form_valid(self, form):
        try:
            decline_candidate(self.candidate, actor=self.request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The application of %(name)s was declined.") % {"name": self.candidate}
        )
        return redirect(self.candidate.get_absolute_url())


class CandidatePlaceView(_CandidateObjectMixin, FormView):
    template_name = "groups/candidate_place.html"
    form_class = PlaceForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"chapter": self.candidate.chapter}

    def form_valid(self, form):
        cohort = form.cleaned_data["cohort"]
        try:
            place_candidate(
                self.candidate,
                cohort,
                actor=self.request.user,
                justification=form.cleaned_data["justification"],
            )
        except CompetitorRefused as refusal:
            form.add_error(None, refusal)
            return self.render_to_response(self.get_context_data(form=form, refused=True))
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("%(name)s joined %(cohort)s.") % {"name": self.candidate, "cohort": cohort}
        )
        return redirect(cohort.get_absolute_url())


class CandidateImportView(PlatoPermissionMixin, ChapterFromUrlMixin, FormView):
    template_name = "groups/candidate_import.html"
    form_class = ImportForm

    def has_permission(self):
        return permissions.is_any_coordinator(self.request.user)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"chapter": self.chapter}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"columns": ",".join(COLUMNS)}

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        data = upload.read(MAX_BYTES + 1)
        cohort = form.cleaned_data["cohort"]
        result = import_candidates(
            self.chapter,
            data,
            actor=self.request.user,
            qualified=form.cleaned_data["qualified"],
            cohort=cohort,
        )
        if result.errors:
            return self.render_to_response(
                self.get_context_data(form=form, import_errors=result.errors, file_name=upload.name)
            )
        count = len(result.created)
        if cohort is not None:
            messages.success(
                self.request,
                ngettext(
                    "%(count)d candidate was imported and joined %(cohort)s.",
                    "%(count)d candidates were imported and joined %(cohort)s.",
                    count,
                )
                % {"count": count, "cohort": cohort},
            )
            return redirect(cohort.get_absolute_url())
        messages.success(
            self.request,
            ngettext("%(count)d candidate was imported.", "%(count)d candidates were imported.", count)
            % {"count": count},
        )
        state = "qualified" if form.cleaned_data["qualified"] else "new"
        return redirect(
            reverse("groups:candidate_list", kwargs={"code": self.chapter.code}) + f"?state={state}"
        )
