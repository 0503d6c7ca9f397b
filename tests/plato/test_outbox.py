"""The one outbox (plato/outbox.py): what every handler shares, and the rules that keep it one.

The handlers' own rules (who is told what, when a message is no longer due) are tested with
their apps; the worker killed mid-batch, for every handler, in test_outbox_worker.py.
"""

import datetime
import logging
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db.models import UniqueConstraint
from django.utils import timezone

from meetings import notifications
from meetings.enums import NotificationKind
from meetings.models import Notification
from plato.outbox import HANDLERS, Handler, OutboxMessage
from tests import factories
from tests.mail import SmtpSink
from tests.plato.test_outbox_worker import CASES

ROOT = Path(__file__).resolve().parents[2]
APPS = [config for config in apps.get_app_configs() if Path(config.path).is_relative_to(ROOT)]


def test_every_handler_has_its_case_in_the_worker_test():
    assert sorted(CASES) == sorted(HANDLERS)


def test_every_outbox_table_has_one_handler_and_a_unique_key():
    """A table of e-mails nobody sends, or sent without its "once", would be a bug."""
    tables = [model for model in apps.get_models() if issubclass(model, OutboxMessage)]
    handled = [handler.model for handler in HANDLERS.values()]
    assert sorted(map(str, tables)) == sorted(map(str, handled))
    for model in tables:
        unique = [c for c in model._meta.constraints if isinstance(c, UniqueConstraint)]
        one_to_one = [f for f in model._meta.fields if f.one_to_one]
        assert unique or one_to_one, f"{model.__name__} has no unique key: an e-mail could go twice"


def test_no_app_writes_its_own_send_once_machinery():
    """Locks, after-commit enqueues and attempt counters of e-mails live in plato/outbox.py
    alone: a new kind of message is a handler (checked in every app's notifications, and in
    any module that builds e-mails)."""
    # Not yet a handler: the public form's acknowledgement is stamped on the application
    # itself (Candidate.acknowledged_at), with its own lock, task and sweep. The issue on
    # telling everyone moves it to an outbox table of its own.
    not_yet = {"groups/services/candidates.py"}
    machinery = re.compile(r"select_for_update\(skip_locked|enqueue_each_on_commit|\.attempts \+= 1")
    offenders = []
    for config in APPS:
        for path in Path(config.path).rglob("*.py"):
            text = path.read_text()
            if path.name != "outbox.py" and "build_email(" in text and machinery.search(text):
                offenders.append(str(path.relative_to(ROOT)))
    assert sorted(offenders) == sorted(not_yet)


@pytest.fixture
def notice(cohort, member):
    starts_at = timezone.now() + datetime.timedelta(days=40)
    meeting = factories.MeetingFactory(
        cohort=cohort,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        vote_opens_at=starts_at - datetime.timedelta(days=30),
        vote_closes_at=starts_at - datetime.timedelta(days=2),
    )
    return Notification.objects.create(kind=NotificationKind.MEETING_ADDED, meeting=meeting, person=member)


def test_a_refusal_keeps_the_mail_servers_words_on_the_row_until_it_is_sent(notice, settings):
    with SmtpSink(refuse=True) as sink:
        settings.MAILERS = sink.mailers()
        with pytest.raises(OSError):
            notifications.send_notification(notice.pk)
        notice.refresh_from_db()
        assert notice.sent_at is None and notice.attempts == 1
        assert notice.last_error.startswith("SMTPRecipientsRefused") and "451" in notice.last_error

        sink.handler.refuse = False
        assert notifications.send_notification(notice.pk) is True
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.last_error == ""


def test_a_message_not_ready_is_left_as_it_is(notice, mailoutbox, monkeypatch):
    handler = HANDLERS["meetings.send_notification"]
    monkeypatch.setattr(type(handler), "ready", lambda self, message: False)

    assert handler.send(notice.pk) is False

    notice.refresh_from_db()
    assert (notice.sent_at, notice.attempts, mailoutbox) == (None, 0, [])


def test_the_sweep_hands_over_what_is_stale_and_gives_up_loudly(notice, member, mailoutbox, caplog):
    handler: Handler = HANDLERS["meetings.send_notification"]
    fresh = Notification.objects.create(
        kind=NotificationKind.URGENT_TOPIC, meeting=notice.meeting, person=member
    )
    given_up = Notification.objects.create(
        kind=NotificationKind.MEETING_MOVED, meeting=notice.meeting, person=member
    )
    now = timezone.now()
    Notification.objects.filter(pk=notice.pk).update(created_at=now - datetime.timedelta(hours=1))
    Notification.objects.filter(pk=given_up.pk).update(
        created_at=now - handler.give_up_after - datetime.timedelta(minutes=5),
        last_error="SMTPDataError: 554",
    )

    with caplog.at_level(logging.ERROR, logger="plato.outbox"):
        assert handler.sweep() == 1

    assert [m.to for m in mailoutbox] == [[member.email]]
    notice.refresh_from_db()
    assert notice.sent_at is not None
    assert Notification.objects.get(pk=fresh.pk).sent_at is None  # its own task has it
    assert f"Notification {given_up.pk} could not be sent" in caplog.text
    assert "SMTPDataError: 554" in caplog.text
