"""Message-IDs: fixed by the row an e-mail is sent for, never reused after a backup is restored."""

import datetime
import re
import types

from django.utils import timezone

from meetings.enums import NotificationKind
from meetings.models import Notification
from meetings.notifications import build_message
from plato.emails import message_id
from tests import factories

WHEN = datetime.datetime(2026, 12, 3, 14, 25, 1, 123456, tzinfo=datetime.UTC)


def test_message_id_names_the_row_and_its_creation_time():
    row = types.SimpleNamespace(pk=42, created_at=WHEN)

    assert message_id("notification", row) == "<notification-42.20261203142501123456@127.0.0.1>"


def test_message_id_is_the_same_for_the_same_row():
    """A retry of the very same e-mail carries the same Message-ID: clients show one message."""
    row = types.SimpleNamespace(pk=42, created_at=WHEN)
    again = types.SimpleNamespace(
        pk=42, created_at=WHEN.astimezone(datetime.timezone(datetime.timedelta(hours=1)))
    )

    assert message_id("notification", row) == message_id("notification", again)


def test_message_id_differs_for_a_new_row_with_an_old_id():
    before = types.SimpleNamespace(pk=42, created_at=WHEN)
    after_restore = types.SimpleNamespace(pk=42, created_at=WHEN + datetime.timedelta(microseconds=1))

    assert message_id("notification", before) != message_id("notification", after_restore)


def test_a_notification_written_again_after_a_restore_gets_a_new_message_id(member, cohort):
    """The dump predates a notification already sent; after the restore, the database gives
    its id to the next notification, a different e-mail: its Message-ID must differ."""
    meeting = factories.MeetingFactory(cohort=cohort)
    sent = Notification.objects.create(kind=NotificationKind.MEETING_WEEK, meeting=meeting, person=member)
    first = build_message(sent).extra_headers["Message-ID"]
    reused_pk = sent.pk
    Notification.objects.filter(pk=reused_pk).delete()  # the restore: the row is gone, its id free again

    later = Notification.objects.create(
        pk=reused_pk, kind=NotificationKind.MEETING_EVE, meeting=meeting, person=member
    )
    second = build_message(later).extra_headers["Message-ID"]

    assert re.fullmatch(rf"<notification-{reused_pk}\.\d{{20}}@127\.0\.0\.1>", second)
    assert second != first
    assert later.created_at > sent.created_at
    assert timezone.is_aware(later.created_at)
