"""Answering whether one comes: from the e-mail's one-click link, or on the meeting page.

The link needs no password and signs nobody in: the token says whose answer it is,
whoever opens it (anonymous, or signed in as somebody else). A link that cannot be
used gets a page saying why and what to do instead, never an error page.

Opening a link records nothing by itself: corporate mail filters open every link of an
e-mail (both "yes" and "no") before the person reads it. The page it opens carries the
answer in a form that the browser sends at once (static/plato/js/plato.js), so for the
person it is still one click; without JavaScript, one more button. A link whose answer
is already recorded just shows it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from meetings import rsvp
from meetings.enums import RsvpChannel
from meetings.forms import RsvpForm
from meetings.models import Meeting, Rsvp
from plato.views.actions import post_action, refusal_text


def _error_page(request, *, reason: str, status: int, meeting: Meeting | None = None, detail: str = ""):
    facilitators = list(meeting.cohort.facilitators.order_by("last_name")) if meeting else []
    context = {"reason": reason, "meeting": meeting, "facilitators": facilitators, "detail": detail}
    return render(request, "meetings/rsvp_error.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def rsvp_from_link(request, token):
    """GET shows the link's answer, or the form that sends it; POST records it, changes it
    or adds a comment (again is harmless)."""
    try:
        meeting, person, answer = rsvp.read_rsvp_token(token)
    except rsvp.RsvpLinkError as error:
        return _error_page(request, reason=error.reason, status=error.status, meeting=error.meeting)

    if request.method == "POST":
        form = RsvpForm(request.POST)
        if form.is_valid():
            try:
                answered = rsvp.answer_rsvp(
                    meeting,
                    person,
                    answer=form.cleaned_data["answer"],
                    # The opening form sends no comment: the one given before stays.
                    comment=form.cleaned_data["comment"] if "comment" in request.POST else None,
                    channel=RsvpChannel.EMAIL,
                )
            except ValidationError as refusal:
                return _error_page(
                    request, reason="refused", status=410, meeting=meeting, detail=refusal_text(refusal)
                )
            messages.success(request, _("Your answer is saved."))
            # To the link of the answer now given: reloading that page records it again, harmlessly,
            # where the link of the previous answer would undo the change.
            return redirect(
                "meetings:rsvp_link", token=rsvp.rsvp_link_token(meeting, person, answered.answer)
            )
        answered = Rsvp.objects.filter(meeting=meeting, person=person).first() or Rsvp(
            meeting=meeting, person=person, answer=answer
        )
    else:
        answered = Rsvp.objects.filter(meeting=meeting, person=person).first()
        if answered is None or answered.answer != answer:
            context = {
                "meeting": meeting,
                "cohort": meeting.cohort,
                "person": person,
                "answer": answer,
                "previous": answered,
            }
            return render(request, "meetings/rsvp_confirm.html", context)
        form = RsvpForm(initial={"answer": answered.answer, "comment": answered.comment})

    context = {
        "meeting": meeting,
        "cohort": meeting.cohort,
        "person": person,
        "rsvp": answered,
        "form": form,
        "someone_else_signed_in": request.user.is_authenticated and request.user.pk != person.pk,
    }
    return render(request, "meetings/rsvp_link.html", context)


@login_required
@require_POST
def rsvp_in_app(request, pk):
    """The meeting page's buttons: the signed-in user's own answer, back to the meeting page."""
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("cohort__chapter"), pk=pk
    )
    if not rsvp.is_expected(meeting, request.user):
        raise PermissionDenied
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect(meeting.get_absolute_url())
    # The meeting page's buttons send no comment: the one given before stays.
    comment = form.cleaned_data["comment"] if "comment" in request.POST else None
    return post_action(
        request,
        lambda: rsvp.answer_rsvp(
            meeting,
            request.user,
            answer=form.cleaned_data["answer"],
            comment=comment,
            channel=RsvpChannel.APP,
        ),
        success=lambda answered: (
            _("Your answer is saved: %(answer)s.") % {"answer": answered.get_answer_display()}
        ),
        then=meeting.get_absolute_url(),
    )
