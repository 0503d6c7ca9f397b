"""Plenaries: the list, the page with each person's registration, planning and the program,
the managers' registrations page, and the check-in page used at the door.

Same path every time: scoped lookup (outside the user's plenaries → 404) → permission
(→ 403) → form → service → message → redirect. Service refusals become messages or form
errors, never a 500. The door's check-in is a plain form POST that htmx sends in place.
"""

from functools import cached_property
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from plato.permissions import PlatoPermissionMixin
from plato.views.actions import add_service_error, post_action, refusal_text
from plenaries import permissions, selectors, services
from plenaries.enums import RegistrationState
from plenaries.forms import CancelPlenaryForm, PlenaryForm, ProgramItemForm, QuotaForm, RegisterForm
from plenaries.models import Plenary, ProgramItem, Registration


class PlenaryListView(PlatoPermissionMixin, TemplateView):
    template_name = "plenaries/plenary_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "plenaries": selectors.plenary_list(self.request.user),
            "can_create": permissions.can_create_plenary(self.request.user),
        }


class PlenaryCreateView(PlatoPermissionMixin, FormView):
    template_name = "plenaries/plenary_form.html"
    form_class = PlenaryForm

    def has_permission(self) -> bool:
        return permissions.can_create_plenary(self.request.user)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user, "instance": Plenary()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"plenary": None}

    def form_valid(self, form):
        try:
            plenary = services.create_plenary(form.instance, actor=self.request.user)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The plenary is planned. Add its program."))
        return redirect(plenary.get_absolute_url())


class _PlenaryMixin(PlatoPermissionMixin):
    """`plenary` from the URL: not visible → 404; refused by `plenary_permission` → 403."""

    plenary_permission = staticmethod(lambda user, plenary: True)

    @cached_property
    def plenary(self) -> Plenary:
        plenary = selectors.plenary_for(self.request.user, self.kwargs["pk"])
        if not type(self).plenary_permission(self.request.user, plenary):
            raise PermissionDenied
        return plenary

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.plenary  # noqa: B018 - 404 or 403 before anything else
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"plenary": self.plenary}


class PlenaryDetailView(_PlenaryMixin, TemplateView):
    template_name = "plenaries/plenary_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = selectors.plenary_page(self.plenary, self.request.user)
        context["register_form"] = RegisterForm()
        return context


class _ManageMixin(_PlenaryMixin):
    """The plenary itself: its organising chapter's coordinators, admins."""

    plenary_permission = staticmethod(permissions.can_manage_plenary)


class _RegistrationsMixin(_PlenaryMixin):
    """Registrations: the managers all of them; a regional plenary's other chapters'
    coordinators their own chapter's people (`chapter_ids`)."""

    plenary_permission = staticmethod(permissions.can_manage_registrations)

    @cached_property
    def chapter_ids(self) -> frozenset[int] | None:
        return permissions.registration_chapter_ids(self.request.user, self.plenary)


def _cancelled_answer(request, plenary):
    messages.info(request, _("This plenary is cancelled: it can no longer be changed."))
    return redirect(plenary.get_absolute_url())


class _NotCancelledMixin:
    """A cancelled plenary keeps its page, read only: its forms send back to it, by GET or POST."""

    def get(self, request, *args, **kwargs):
        if self.plenary.is_cancelled:
            return _cancelled_answer(request, self.plenary)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.plenary.is_cancelled:
            return _cancelled_answer(request, self.plenary)
        return super().post(request, *args, **kwargs)


class PlenaryEditView(_NotCancelledMixin, _ManageMixin, FormView):
    template_name = "plenaries/plenary_form.html"
    form_class = PlenaryForm

    def get_form_kwargs(self):
        # A fresh copy: a form that does not validate leaves the page's plenary untouched.
        instance = Plenary.objects.get(pk=self.plenary.pk)
        return super().get_form_kwargs() | {"user": self.request.user, "instance": instance}

    def form_valid(self, form):
        try:
            services.change_plenary(
                form.instance, actor=self.request.user, capacity=form.cleaned_data["capacity"]
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The plenary is updated."))
        return redirect(self.plenary.get_absolute_url())


class PlenaryCancelView(_NotCancelledMixin, _ManageMixin, FormView):
    template_name = "plenaries/plenary_cancel.html"
    form_class = CancelPlenaryForm

    def form_valid(self, form):
        try:
            services.cancel_plenary(self.plenary, reason=form.cleaned_data["reason"], actor=self.request.user)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The plenary is cancelled.")
            + " "
            + _("The people registered will be told by e-mail as soon as possible."),
        )
        return redirect(self.plenary.get_absolute_url())


# --- One's own registration --------------------------------------------------------------


def _visible_plenary(request, pk) -> Plenary:
    return selectors.plenary_for(request.user, pk)


@login_required
@require_POST
def register(request, pk):
    """Register oneself (with a guest if the plenary takes guests). Twice changes nothing."""
    plenary = _visible_plenary(request, pk)
    form = RegisterForm(request.POST)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    return post_action(
        request,
        lambda: services.register(
            plenary,
            request.user,
            actor=request.user,
            plus_one=bool(data.get("plus_one")),
            plus_one_name=data.get("plus_one_name", ""),
        ),
        success=_registered,
        then=plenary.get_absolute_url() + "#registration",
    )


def _registered(registration: Registration):
    if registration.state == RegistrationState.WAITING:
        return messages.INFO, _(
            "The plenary is full: you are on the waiting list. You will get an e-mail if a place frees up."
        )
    if registration.state == RegistrationState.OFFERED:
        return messages.INFO, _("A place is offered to you: confirm it below before the deadline.")
    return _("You are registered. See you there!")


def _my_registration(request, pk) -> Registration:
    plenary = _visible_plenary(request, pk)
    return get_object_or_404(
        Registration.objects.select_related("plenary"), plenary=plenary, person=request.user
    )


@login_required
@require_POST
def confirm_offer(request, pk):
    registration = _my_registration(request, pk)
    return post_action(
        request,
        lambda: services.confirm_offer(registration, actor=request.user),
        success=_("Your place is confirmed. See you there!"),
        then=registration.plenary.get_absolute_url() + "#registration",
    )


@login_required
@require_POST
def cancel_mine(request, pk):
    registration = _my_registration(request, pk)
    return post_action(
        request,
        lambda: services.cancel_registration(registration, actor=request.user),
        success=_("Your registration is cancelled."),
        then=registration.plenary.get_absolute_url() + "#registration",
    )


# --- The program -------------------------------------------------------------------------


class ProgramItemCreateView(_NotCancelledMixin, _ManageMixin, FormView):
    template_name = "plenaries/program_item_form.html"
    form_class = ProgramItemForm

    @cached_property
    def item(self) -> ProgramItem:
        return ProgramItem(plenary=self.plenary)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {
            "networks": selectors.networks_for(self.plenary),
            "instance": self.item,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["program"] = selectors.program(self.plenary)
        context["item"] = self.item
        return context

    def form_valid(self, form):
        try:
            services.save_program_item(form.instance, actor=self.request.user)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("“%(title)s” is in the program.") % {"title": form.instance.title})
        return redirect(self.plenary.get_absolute_url() + "#program")


class ProgramItemEditView(ProgramItemCreateView):
    @cached_property
    def item(self) -> ProgramItem:
        return get_object_or_404(ProgramItem.objects.filter(plenary=self.plenary), pk=self.kwargs["item_pk"])


@login_required
@require_POST
def program_item_delete(request, pk, item_pk):
    plenary = _visible_plenary(request, pk)
    if not permissions.can_manage_plenary(request.user, plenary):
        raise PermissionDenied
    item = get_object_or_404(ProgramItem.objects.filter(plenary=plenary), pk=item_pk)
    if plenary.is_cancelled:
        return _cancelled_answer(request, plenary)
    return post_action(
        request,
        lambda: services.delete_program_item(item, actor=request.user),
        success=_("“%(title)s” is removed from the program.") % {"title": item.title},
        then=plenary.get_absolute_url() + "#program",
    )


# --- The managers' registrations page ------------------------------------------------------


class RegistrationsView(_RegistrationsMixin, TemplateView):
    template_name = "plenaries/registrations.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:100]
        page = selectors.registrations_page(self.plenary, query=query, chapter_ids=self.chapter_ids)
        context["page"] = page
        context["query"] = query
        context["can_run_door"] = permissions.can_run_door(self.request.user, self.plenary)
        context["own_chapters_only"] = self.chapter_ids is not permissions.EVERY_CHAPTER
        context["quota_form"] = QuotaForm(
            cohorts=_cohorts_queryset(self.plenary, self.chapter_ids), capacity=self.plenary.capacity
        )
        return context


def _cohorts_queryset(plenary, chapter_ids):
    return selectors.quota_cohorts(plenary, chapter_ids).order_by("name")


def _managed_registrations(request, pk) -> tuple[Plenary, frozenset[int] | None]:
    """The plenary, and the chapters whose registrations the user manages (None: all)."""
    plenary = _visible_plenary(request, pk)
    chapter_ids = permissions.registration_chapter_ids(request.user, plenary)
    if chapter_ids == frozenset():  # none of its registrations (permissions.can_manage_registrations)
        raise PermissionDenied
    return plenary, chapter_ids


def _registrations_url(plenary) -> str:
    return reverse("plenaries:registrations", kwargs={"pk": plenary.pk})


@login_required
@require_POST
def register_someone(request, pk):
    """A coordinator registers one of the people invited (even after the deadline)."""
    from members.models import User

    plenary, chapter_ids = _managed_registrations(request, pk)
    try:
        person = User.objects.filter(pk=int(request.POST.get("person", ""))).first()
    except (TypeError, ValueError, OverflowError):
        person = None
    why = selectors.eligibility(plenary, person) if person is not None else None
    if why is None or not permissions.manages_chapter(chapter_ids, why.chapter_id):
        # One answer for a wrong number, somebody not invited and another chapter's
        # person: the form names nobody.
        messages.error(request, _("Choose a person among those invited."))
        return redirect(_registrations_url(plenary))
    return post_action(
        request,
        lambda: services.register(plenary, person, actor=request.user),
        success=lambda registration: (
            (messages.INFO, _("%(name)s is on the waiting list: the plenary is full.") % {"name": person})
            if registration.state == RegistrationState.WAITING
            else _("%(name)s is registered.") % {"name": person}
        ),
        then=_registrations_url(plenary),
    )


@login_required
@require_POST
def cancel_someone(request, pk, registration_pk):
    plenary, chapter_ids = _managed_registrations(request, pk)
    registration = get_object_or_404(
        selectors.registrations_of(plenary, chapter_ids).select_related("person"), pk=registration_pk
    )
    return post_action(
        request,
        lambda: services.cancel_registration(registration, actor=request.user),
        success=_("The registration of %(name)s is cancelled.") % {"name": registration.person},
        then=_registrations_url(plenary),
    )


@login_required
@require_POST
def set_quota(request, pk):
    plenary, chapter_ids = _managed_registrations(request, pk)
    if plenary.is_cancelled:
        return _cancelled_answer(request, plenary)
    form = QuotaForm(request.POST, cohorts=_cohorts_queryset(plenary, chapter_ids), capacity=plenary.capacity)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(_registrations_url(plenary) + "#quotas")
    cohort, places = form.cleaned_data["cohort"], form.cleaned_data["places"]
    return post_action(
        request,
        lambda: services.set_quota(plenary, cohort, places, actor=request.user),
        success=(
            _("%(cohort)s has no quota any more.") % {"cohort": cohort}
            if places is None
            else _("%(cohort)s: %(places)s places at most.") % {"cohort": cohort, "places": places}
        ),
        then=_registrations_url(plenary) + "#quotas",
    )


# --- At the door -------------------------------------------------------------------------


class DoorView(_PlenaryMixin, TemplateView):
    """Phone first: search by name or company, one tap per person. An htmx search swaps
    the results list only."""

    template_name = "plenaries/door.html"
    plenary_permission = staticmethod(permissions.can_run_door)

    def get(self, request, *args, **kwargs):
        if request.htmx and request.htmx.target == "door-counter":
            # The counter refreshes itself, for the other phones' check-ins.
            context = {"plenary": self.plenary, "counter": selectors.door_counter(self.plenary)}
            return render(request, "plenaries/_partials/door_counter.html", context)
        return super().get(request, *args, **kwargs)

    def get_template_names(self):
        if self.request.htmx and self.request.htmx.target == "door-results":
            return ["plenaries/_partials/door_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:100]
        context["door"] = selectors.door(self.plenary, query=query)
        context["query"] = query
        return context


def _door_answer(request, plenary, registration, *, error: str | None = None):
    if request.htmx:
        registration = Registration.objects.select_related("person__company").get(pk=registration.pk)
        return render(
            request,
            "plenaries/_partials/door_row.html",
            {
                "plenary": plenary,
                "row": registration,
                "query": request.POST.get("q", "").strip()[:100],
                "door_error": error,
                "counter": selectors.door_counter(plenary),
                "oob": True,
            },
        )
    if error:
        messages.error(request, error)
    url = reverse("plenaries:door", kwargs={"pk": plenary.pk})
    query = request.POST.get("q", "").strip()[:100]
    if query:
        url += "?" + urlencode({"q": query})
    return redirect(url + f"#registration-{registration.pk}")


def _door_registration(request, pk, registration_pk):
    plenary = selectors.plenary_for(request.user, pk)
    if not permissions.can_run_door(request.user, plenary):
        raise PermissionDenied
    registration = get_object_or_404(Registration.objects.filter(plenary=plenary), pk=registration_pk)
    return plenary, registration


@login_required
@require_POST
def door_check_in(request, pk, registration_pk):
    plenary, registration = _door_registration(request, pk, registration_pk)
    error = None
    try:
        services.check_in(registration, actor=request.user)
    except ValidationError as refusal:
        error = refusal_text(refusal)
    return _door_answer(request, plenary, registration, error=error)


@login_required
@require_POST
def door_undo(request, pk, registration_pk):
    plenary, registration = _door_registration(request, pk, registration_pk)
    services.undo_check_in(registration, actor=request.user)
    return _door_answer(request, plenary, registration)
