"""plato/views/actions.py: a service's refusal becomes a message or a form error, never a 500."""

import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from plato.views.actions import add_service_error, post_action, refusal_text

BASE_DIR = Path(settings.BASE_DIR).resolve()


def _post(data=None):
    request = RequestFactory().post("/somewhere/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _said(request) -> list[tuple[str, str]]:
    return [(message.level_tag, message.message) for message in messages.get_messages(request)]


def _refuse():
    raise ValidationError(["This cohort is closed.", "Nothing was changed."])


def test_a_refusal_becomes_an_error_message_and_the_redirect_still_happens():
    request = _post()

    response = post_action(request, _refuse, success="Started.", then="/cohorts/4/")

    assert response.status_code == 302
    assert response["Location"] == "/cohorts/4/"
    assert _said(request) == [("error", "This cohort is closed. Nothing was changed.")]


def test_a_success_shows_its_message():
    request = _post()

    response = post_action(request, lambda: 42, success="Started.", then="/cohorts/4/")

    assert response["Location"] == "/cohorts/4/"
    assert _said(request) == [("success", "Started.")]


def test_the_success_message_may_come_from_the_result_at_another_level():
    request = _post()

    post_action(
        request,
        lambda: "waiting",
        success=lambda state: (messages.INFO, f"You are {state}.") if state == "waiting" else "Registered.",
        then="/plenaries/1/",
    )

    assert _said(request) == [("info", "You are waiting.")]


def test_no_success_message_when_none_is_given():
    request = _post()

    post_action(request, lambda: None, then="/my/actions/")

    assert _said(request) == []


def test_then_may_be_a_response_of_its_own():
    request = _post()
    answer = HttpResponse("the door row")

    assert post_action(request, lambda: None, then=answer) is answer


def test_other_errors_are_not_swallowed():
    """Only a service's refusal is a message: a bug still fails loudly (and is logged)."""
    request = _post()

    def broken():
        raise KeyError("bug")

    with pytest.raises(KeyError):
        post_action(request, broken, success="Done.", then="/")
    assert _said(request) == []


def test_refusal_text_joins_every_message():
    assert refusal_text(ValidationError({"reason": ["Say why."], "__all__": ["Too late."]})) in (
        "Say why. Too late.",
        "Too late. Say why.",
    )


class _WithdrawForm(forms.Form):
    reason = forms.CharField()


def test_a_service_error_goes_next_to_its_field_or_above_the_form():
    form = _WithdrawForm({"reason": "Moved away."})
    assert form.is_valid()

    add_service_error(form, ValidationError({"reason": "Say more.", "left_on": "Not before joining."}))
    add_service_error(form, ValidationError("Already left."))

    assert form.errors["reason"] == ["Say more."]
    assert form.non_field_errors() == ["Not before joining.", "Already left."]


# The copies post_action replaced: a view catching the refusal and joining its messages itself.
JOINS_A_REFUSAL = re.compile(r'" "\.join\(\s*\w+\.messages\s*\)')


def test_our_views_turn_refusals_into_messages_only_through_the_helper():
    ours = [
        Path(config.path).resolve()
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(BASE_DIR)
        and not Path(config.path).resolve().is_relative_to(BASE_DIR / ".venv")
    ]
    copies = [
        f"{path.relative_to(BASE_DIR)}:{number}"
        for app in ours
        for path in app.rglob("*.py")
        if "views" in path.relative_to(app).parts[0] and path.name != "actions.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if JOINS_A_REFUSAL.search(line)
    ]

    assert len(ours) >= 6, "the walk no longer sees our apps"
    assert not copies, f"use plato.views.actions.post_action or refusal_text instead: {copies}"
