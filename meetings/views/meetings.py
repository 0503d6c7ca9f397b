"""Meetings of a cohort, the meeting page, topics, the vote and the agenda.

Same path every time: scoped lookup → form → service → message → redirect. The vote
toggles in place with htmx and works as a plain form without JavaScript.
"""

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView, View

from groups.enums import CohortState
from groups.permissions import can_view_directory, is_staff_of
from groups.views.mixins import CohortFromUrlMixin
from meetings import permissions, selectors, services
from meetings.calendar import calendar_bytes
from meetings.forms import (
    ActionItemsForm,
    AgendaForm,
    AttendanceForm,
    CancelMeetingForm,
    DocumentForm,
    MeetingForm,
    TopicForm,
    UrgentForm,
)
from meetings.models import ActionItem, Meeting, Topic
from plato.http import private_file_response
from plato.permissions import PlatoPermissionMixin
from plato.redirects import redirect_next
from plato.views.actions import add_service_error, post_action, refusal_text
from plato.views.mixins import ObjectFromUrlMixin


class _CohortMixin(PlatoPermissionMixin, CohortFromUrlMixin):
    cohort_permission = staticmethod(can_view_directory)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.cohort  # noqa: B018 - 404 or 403 before anything else
        return super().dispatch(request, *args, **kwargs)


class CohortMeetingsView(_CohortMixin, TemplateView):
    template_name = "meetings/meeting_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meetings"] = selectors.cohort_meetings(self.cohort)
        context["now"] = timezone.now()
        context["backlog"] = selectors.open_topics(self.cohort)
        context["can_propose"] = permissions.is_member_of(self.request.user, self.cohort)
        context["can_add_meeting"] = (
            self.cohort.state != CohortState.CLOSED
            and permissions.can_run_meetings_of(self.request.user, self.cohort)
        )
        context["absence_alerts"] = (
            selectors.absence_alerts(self.cohort)
            if is_staff_of(self.request.user, self.cohort.chapter)
            else []
        )
        return context


class TopicCreateView(_CohortMixin, FormView):
    template_name = "meetings/topic_form.html"
    form_class = TopicForm
    cohort_permission = staticmethod(permissions.is_member_of)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"chapter": self.cohort.chapter}

    def form_valid(self, form):
        try:
            topic = services.propose_topic(
                self.cohort,
                person=self.request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                theme=form.cleaned_data["theme"],
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your topic “%(title)s” is in the backlog: it can be voted for.") % {"title": topic},
        )
        return redirect("meetings:cohort_meetings", pk=self.cohort.pk)


class _MeetingMixin(PlatoPermissionMixin, ObjectFromUrlMixin):
    """`meeting` from the URL: not visible → 404; refused by `meeting_permission` → 403."""

    url_object_name = "meeting"
    meeting_permission = staticmethod(permissions.can_view_meeting)

    def url_queryset(self):
        return Meeting.objects.visible_to(self.request.user).select_related("cohort__chapter")

    def url_object_permission(self, meeting: Meeting) -> bool:
        return type(self).meeting_permission(self.request.user, meeting)

    @property
    def meeting(self) -> Meeting:
        return self.url_object

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.meeting  # noqa: B018 - 404 or 403 before anything else
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"cohort": self.meeting.cohort}


class _NotNowMixin:
    """A page whose form is not for now (the vote still open, the meeting cancelled or not
    yet held…) sends back with why, whether it is opened (GET) or its form is sent (POST)
    from a page left open meanwhile, another tab or a colleague's change: the form's own
    work (results, lists) is never computed for a state it does not fit."""

    def not_now(self) -> str | None:
        """Why the form cannot be used now, or None."""
        return None

    def not_now_url(self) -> str:
        return self.meeting.get_absolute_url()

    def get(self, request, *args, **kwargs):
        if (reason := self.not_now()) is not None:
            messages.info(request, reason)
            return redirect(self.not_now_url())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if (reason := self.not_now()) is not None:
            messages.error(request, reason)
            return redirect(self.not_now_url())
        return super().post(request, *args, **kwargs)


class MeetingDetailView(_MeetingMixin, TemplateView):
    template_name = "meetings/meeting_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = selectors.meeting_page(self.meeting, self.request.user)
        return context


@login_required
@require_POST
def vote_toggle(request, pk, topic_pk):
    """One tap: the topic gets the member's vote, or loses it. htmx swaps the panel in place."""
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("cohort__chapter"), pk=pk
    )
    if not permissions.can_vote(request.user, meeting):
        raise PermissionDenied
    topic = get_object_or_404(Topic.objects.filter(cohort_id=meeting.cohort_id), pk=topic_pk)
    error = None
    try:
        services.toggle_vote(meeting, request.user, topic)
    except ValidationError as refusal:
        error = refusal_text(refusal)
    if request.htmx:
        panel = selectors.vote_panel(meeting, request.user)
        return render(request, "meetings/_partials/vote_panel.html", {"vote": panel, "vote_error": error})
    if error:
        messages.error(request, error)
    return redirect(meeting.get_absolute_url() + "#vote")


class AgendaView(_NotNowMixin, _MeetingMixin, FormView):
    template_name = "meetings/agenda_form.html"
    form_class = AgendaForm
    meeting_permission = staticmethod(permissions.can_run_meeting)

    def not_now(self):
        if not selectors.vote_is_closed(self.meeting):
            return _("The agenda is set after the vote's close.")
        return None

    @cached_property
    def results(self):
        return selectors.vote_results(self.meeting)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        topics = selectors.votable_topics(self.meeting)
        kwargs["topics"] = topics
        kwargs["initial"] = {"topics": [result.topic.pk for result in self.results[:1]]}
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"results": self.results}

    def form_valid(self, form):
        try:
            services.confirm_agenda(self.meeting, list(form.cleaned_data["topics"]), actor=self.request.user)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The agenda is confirmed."))
        return redirect(self.meeting.get_absolute_url())


class UrgentView(_MeetingMixin, FormView):
    template_name = "meetings/urgent_form.html"
    form_class = UrgentForm
    meeting_permission = staticmethod(permissions.can_run_meeting)

    def form_valid(self, form):
        try:
            services.set_urgent_topic(
                self.meeting, reason=form.cleaned_data["reason"], actor=self.request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The meeting will be about the urgent problem; the planned topics wait for the next vote."),
        )
        return redirect(self.meeting.get_absolute_url())


class AttendanceView(_NotNowMixin, _MeetingMixin, FormView):
    """After the meeting: who came, and the minutes."""

    template_name = "meetings/attendance_form.html"
    form_class = AttendanceForm
    meeting_permission = staticmethod(permissions.can_run_meeting)

    def not_now(self):
        if self.meeting.starts_at > timezone.now():
            return _("Attendance is taken once the meeting has started.")
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["members"] = selectors.meeting_members(self.meeting)
        kwargs["current"] = dict(self.meeting.attendances.values_list("person_id", "status"))
        kwargs["initial"] = {"minutes": self.meeting.minutes}
        return kwargs

    def form_valid(self, form):
        try:
            services.record_attendance(
                self.meeting, form.statuses(), minutes=form.cleaned_data["minutes"], actor=self.request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Attendance and minutes are recorded."))
        return redirect(self.meeting.get_absolute_url())


class MeetingCalendarView(_MeetingMixin, TemplateView):
    """The meeting as an .ics file, for "add to my calendar" (the invitation e-mails attach the same)."""

    def get(self, request, *args, **kwargs):
        body = calendar_bytes([self.meeting], name=str(self.meeting.cohort))
        return private_file_response(
            body,
            filename=f"plato-{self.meeting.starts_at:%Y-%m-%d}.ics",
            content_type="text/calendar; charset=utf-8",
        )


# Changing the schedule ------------------------------------------------------------------

# The services name the date-times; the form shows a date and two times.
_SCHEDULE_FIELDS = {"starts_at": "date", "ends_at": "end_time"}


def _add_schedule_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        error = ValidationError(
            {_SCHEDULE_FIELDS.get(name, name): errors for name, errors in error.error_dict.items()}
        )
    add_service_error(form, error)


def _long_date(meeting: Meeting) -> str:
    return date_format(timezone.localtime(meeting.starts_at), "l j F Y")


class MeetingCreateView(_NotNowMixin, _CohortMixin, FormView):
    """One more meeting in the cohort's schedule (an extra session, a replacement)."""

    template_name = "meetings/meeting_create.html"
    form_class = MeetingForm
    cohort_permission = staticmethod(permissions.can_run_meetings_of)

    def not_now(self):
        if self.cohort.state == CohortState.CLOSED:
            return _("This cohort is closed: no meeting can be added.")
        return None

    def not_now_url(self):
        return reverse("meetings:cohort_meetings", kwargs={"pk": self.cohort.pk})

    def get_initial(self):
        chapter = self.cohort.chapter
        return {
            "start_time": chapter.meeting_start_time,
            "end_time": chapter.meeting_end_time,
            "venue_kind": "cci",
            "venue_name": chapter.cci_name,
            "venue_address": chapter.issuer_address,
            "venue_postcode": chapter.issuer_postcode,
            "venue_town": chapter.issuer_town,
        }

    def form_valid(self, form):
        try:
            meeting = services.add_meeting(self.cohort, actor=self.request.user, **form.values())
        except ValidationError as error:
            _add_schedule_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The meeting of %(date)s is in the schedule.") % {"date": _long_date(meeting)}
        )
        return redirect(meeting.get_absolute_url())


class _BeforeTheMeetingMixin(_NotNowMixin):
    """Pages that change a meeting: only before it starts, and not once cancelled."""

    def not_now(self):
        if self.meeting.is_cancelled:
            return _("This meeting is cancelled: it can no longer be changed.")
        if self.meeting.starts_at <= timezone.now():
            return _("This meeting has started: it can no longer be changed or cancelled.")
        return None


class MeetingEditView(_BeforeTheMeetingMixin, _MeetingMixin, FormView):
    """Date, place and speaker. A new date or place is a move (calendars are updated);
    the speaker alone is not."""

    template_name = "meetings/meeting_edit.html"
    form_class = MeetingForm
    meeting_permission = staticmethod(permissions.can_run_meeting)

    def get_initial(self):
        return MeetingForm.initial_for(self.meeting)

    def form_valid(self, form):
        try:
            services.change_meeting(self.meeting, actor=self.request.user, **form.values())
        except ValidationError as error:
            _add_schedule_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The meeting is updated."))
        return redirect(self.meeting.get_absolute_url())


class MeetingCancelView(_BeforeTheMeetingMixin, _MeetingMixin, FormView):
    template_name = "meetings/meeting_cancel.html"
    form_class = CancelMeetingForm
    meeting_permission = staticmethod(permissions.can_run_meeting)

    def form_valid(self, form):
        try:
            services.cancel_meeting(self.meeting, reason=form.cleaned_data["reason"], actor=self.request.user)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The meeting is cancelled.")
            + " "
            + _("Everyone concerned will be told by e-mail as soon as possible."),
        )
        return redirect(self.meeting.get_absolute_url())


# Documents ------------------------------------------------------------------------------


class DocumentCreateView(_NotNowMixin, _MeetingMixin, FormView):
    template_name = "meetings/document_form.html"
    form_class = DocumentForm
    meeting_permission = staticmethod(permissions.can_run_meeting)

    def not_now(self):
        return _("This meeting is cancelled.") if self.meeting.is_cancelled else None

    def form_valid(self, form):
        try:
            document = services.add_document(
                self.meeting,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                actor=self.request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("“%(title)s” is shared with the meeting's participants.") % {"title": document}
        )
        return redirect(self.meeting.get_absolute_url() + "#documents")


class DocumentDownloadView(_MeetingMixin, View):
    """The file, to whoever may see the meeting (the media directory is never served)."""

    def get(self, request, *args, **kwargs):
        document = get_object_or_404(self.meeting.documents.all(), pk=kwargs["doc_pk"])
        try:
            file = document.file.open("rb")
        except FileNotFoundError as missing:
            raise Http404(_("This file is no longer available.")) from missing
        return private_file_response(file, filename=document.filename)


@login_required
@require_POST
def document_delete(request, pk, doc_pk):
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("cohort__chapter"), pk=pk
    )
    if not permissions.can_run_meeting(request.user, meeting):
        raise PermissionDenied
    document = get_object_or_404(meeting.documents.all(), pk=doc_pk)
    return post_action(
        request,
        lambda: services.delete_document(document, actor=request.user),
        success=_("“%(title)s” is removed.") % {"title": document},
        then=meeting.get_absolute_url() + "#documents",
    )


# The members' roadmap ------------------------------------------------------------------


class ActionItemsView(_NotNowMixin, _MeetingMixin, FormView):
    """After the meeting, the facilitator writes down what each member committed to."""

    template_name = "meetings/action_items.html"
    form_class = ActionItemsForm
    meeting_permission = staticmethod(permissions.can_run_meeting)

    def not_now(self):
        if self.meeting.is_cancelled:
            return _("This meeting is cancelled.")
        if self.meeting.starts_at > timezone.now():
            return _("The roadmap is written once the meeting has started.")
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["members"] = selectors.meeting_member_choices(self.meeting)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"roadmap": selectors.meeting_roadmap(self.meeting)}

    def form_valid(self, form):
        person = form.cleaned_data["person"]
        try:
            items = services.add_action_items(
                self.meeting, person=person, texts=form.cleaned_data["texts"], actor=self.request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext(
                "%(count)d action added to the roadmap of %(person)s.",
                "%(count)d actions added to the roadmap of %(person)s.",
                len(items),
            )
            % {"count": len(items), "person": person},
        )
        return redirect("meetings:action_items", pk=self.meeting.pk)


@login_required
@require_POST
def action_item_done(request, pk):
    """Tick an action (done=1) or untick it (done=0): the member, or the cohort's staff."""
    item = get_object_or_404(
        ActionItem.objects.visible_to(request.user).select_related("meeting__cohort__chapter"), pk=pk
    )
    return post_action(
        request,
        lambda: services.set_action_item_done(item, done=request.POST.get("done") == "1", actor=request.user),
        # Back to the page it was ticked on (the meeting, the roadmap, the home page).
        then=redirect_next(request, reverse("meetings:my_actions")),
    )


@login_required
@require_POST
def action_item_delete(request, pk):
    item = get_object_or_404(
        ActionItem.objects.visible_to(request.user).select_related("meeting__cohort__chapter"), pk=pk
    )
    if not permissions.can_run_meeting(request.user, item.meeting):
        raise PermissionDenied
    return post_action(
        request,
        lambda: services.delete_action_item(item, actor=request.user),
        success=_("The action “%(text)s” is removed.") % {"text": item.text},
        then=reverse("meetings:action_items", kwargs={"pk": item.meeting_id}),
    )


class MyActionsView(PlatoPermissionMixin, TemplateView):
    """A member's roadmap: what they committed to at each meeting, the latest first."""

    template_name = "meetings/my_actions.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"groups": selectors.my_roadmap(self.request.user)}
