"""What a view does with a service's answer: scoped object → service → message → redirect.

A service refuses with a ValidationError. On a form it goes back on the form
(`add_service_error`); for a one-shot POST (a button: start the cohort, delete the
document) it becomes an error message on the page the person is sent back to
(`post_action`). Either way, never a 500.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

# A success message: its text (shown as a success), or (level, text) for another level
# (messages.INFO: "you are on the waiting list"), or None for no message.
Message = str | tuple[int, str] | None


def refusal_text(error: ValidationError) -> str:
    """A service's refusal as one sentence for a message or an htmx fragment."""
    return " ".join(error.messages)


def add_service_error(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: field errors next to their field when it exists."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def post_action[Result](
    request: HttpRequest,
    action: Callable[[], Result],
    *,
    then: str | HttpResponse,
    success: Message | Callable[[Result], Message] = None,
) -> HttpResponse:
    """Run `action` (the service call, on an object the view took from the user's scope);
    say how it went; send the person on to `then`.

    A ValidationError from the service becomes an error message with its text. Otherwise
    `success` is shown: a message, or a function of the service's result giving one.
    `then` is a path (reverse, get_absolute_url) or a response: `redirect_next(request,
    default)` where the form may send the person back to the page it was on."""
    try:
        result = action()
    except ValidationError as refusal:
        messages.error(request, refusal_text(refusal))
    else:
        message = success(result) if callable(success) else success
        if isinstance(message, tuple):
            messages.add_message(request, *message)
        elif message:
            messages.success(request, message)
    return then if isinstance(then, HttpResponse) else HttpResponseRedirect(then)
