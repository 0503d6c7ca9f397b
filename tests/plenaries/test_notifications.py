"""The plenaries' e-mails: each goes once, only to the people it concerns, with the event.

Tasks run inline here (tests/conftest.py). The French catalogue is written last, so
these tests assert on data (addresses, dates formatted in French by Django, URLs,
calendar fields), not on the wording.
"""

import datetime
import re
from io import StringIO

import pytest
import vobject
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from plenaries import notifications, services
from plenaries.enums import Attendee, PlenaryNotificationKind, PlenaryScope, RegistrationState
from plenaries.models import PlenaryNotification, Registration
from tests import factories
from tests.mail import SmtpSink
from tests.plenaries.conftest import DAY, HOUR, plenary_in, registration

Kind = PlenaryNotificationKind
State = RegistrationState


def recipients(mailoutbox) -> list[str]:
    return sorted(address for message in mailoutbox for address in message.to)


def ics_event(message):
    (filename, content, mimetype) = message.attachments[0]
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar")
    calendar = vobject.readOne(StringIO(content.decode() if isinstance(content, bytes) else content))
    return calendar, calendar.vevent


# --- Invitation and closing reminder ----------------------------------------------------------


def test_invitation_goes_once_to_everyone_invited_and_nobody_else(
    people, strangers, chapter, run, mailoutbox
):
    plenary = plenary_in(chapter, starts_in=30 * DAY)

    assert run() == 4
    first = list(mailoutbox)
    assert run() == 0

    assert recipients(first) == sorted(p.email for p in people.values())
    assert len(mailoutbox) == 4, "the second run sent something again"
    assert not {s.email for s in strangers} & set(recipients(mailoutbox))
    assert (
        PlenaryNotification.objects.filter(
            plenary=plenary, kind=Kind.INVITATION, sent_at__isnull=False
        ).count()
        == 4
    )


def test_invitation_waits_for_registration_to_open(people, chapter, run, mailoutbox):
    plenary = plenary_in(chapter, starts_in=60 * DAY, opens_in=10 * DAY)

    assert run() == 0
    run(now=plenary.registration_opens_at + HOUR)

    assert recipients(mailoutbox) == sorted(p.email for p in people.values())


def test_no_invitation_to_who_has_already_answered(people, chapter, run, mailoutbox):
    plenary = plenary_in(chapter, starts_in=30 * DAY)
    registration(plenary, people["member"], State.REGISTERED)
    registration(plenary, people["sponsor"], State.CANCELLED, attendee=Attendee.SPONSOR)

    run()

    assert recipients(mailoutbox) == sorted([people["facilitator"].email, people["alumni"].email])


def test_invitation_email_has_the_page_the_deadline_and_the_event(people, chapter, run, mailoutbox):
    plenary = plenary_in(chapter, starts_in=30 * DAY, plus_one_allowed=True)
    factories.ProgramItemFactory(
        plenary=plenary, title="Le réseau après Plato", starts_at=datetime.time(14, 30)
    )

    run()

    message = next(m for m in mailoutbox if m.to == [people["member"].email])
    start = timezone.localtime(plenary.starts_at)
    closes = timezone.localtime(plenary.registration_closes_at)
    page = "http://127.0.0.1:8000" + reverse("plenaries:plenary_detail", kwargs={"pk": plenary.pk})
    assert message.subject.startswith("[Plato] ")
    assert f" {start.day} " in message.subject  # "… du 12 mars …"
    assert page in message.body and f'href="{page}"' in message.alternatives[0][0]
    assert "Palais des Arts" in message.body and "Place de Bretagne, 56000 Vannes" in message.body
    assert "14:30 Le réseau après Plato" in message.body
    assert f"{closes:%H:%M}" in message.body
    assert "Gwenaël" in message.body
    html = message.alternatives[0][0]
    assert "{{" not in html and "{%" not in html and "{{" not in message.body
    notice = PlenaryNotification.objects.get(person=people["member"], kind=Kind.INVITATION)
    assert re.fullmatch(
        rf"<plenary-notification-{notice.pk}\.\d{{20}}@127\.0\.0\.1>", message.extra_headers["Message-ID"]
    )
    calendar, event = ics_event(message)
    assert calendar.method.value == "PUBLISH"
    assert event.uid.value == f"{plenary.uid}@plato"
    assert event.url.value == page
    assert event.dtstart.value == plenary.starts_at


def test_closing_reminder_goes_to_who_has_not_answered_only(people, strangers, chapter, run, mailoutbox):
    plenary = plenary_in(chapter, starts_in=10 * DAY, closes_in=2 * DAY, opens_in=-20 * DAY)
    registration(plenary, people["member"], State.REGISTERED)
    registration(plenary, people["sponsor"], State.WAITING, attendee=Attendee.SPONSOR)

    run()
    run()

    closing = PlenaryNotification.objects.filter(plenary=plenary, kind=Kind.CLOSING)
    assert set(closing.values_list("person__email", flat=True)) == {
        people["facilitator"].email,
        people["alumni"].email,
    }
    # The invitation's time is over: the closing reminder invites those who missed it.
    assert not PlenaryNotification.objects.filter(kind=Kind.INVITATION).exists()
    assert recipients(mailoutbox) == sorted([people["facilitator"].email, people["alumni"].email])
    assert not mailoutbox[0].attachments


def test_a_closing_reminder_is_dropped_once_the_person_has_registered(
    people, chapter, mailoutbox, django_capture_on_commit_callbacks
):
    plenary = plenary_in(chapter, starts_in=10 * DAY, closes_in=2 * DAY)
    with django_capture_on_commit_callbacks(execute=False):  # planned, the tasks not run yet
        notifications.plan_reminders()
    services.register(plenary, people["member"], actor=people["member"])
    notice = PlenaryNotification.objects.get(kind=Kind.CLOSING, person=people["member"])

    assert notifications.send_notification(notice.pk) is False
    assert mailoutbox == []
    assert not PlenaryNotification.objects.filter(pk=notice.pk).exists()


def test_regional_plenary_invites_the_whole_region_only(region, chapter, other_chapter, run, mailoutbox):
    here = factories.MembershipFactory(cohort=factories.CohortFactory(chapter=chapter)).person
    there = factories.MembershipFactory(cohort=factories.CohortFactory(chapter=other_chapter)).person
    normandie = factories.ChapterFactory(region=factories.RegionFactory(code="28"), department="14")
    away = factories.MembershipFactory(cohort=factories.CohortFactory(chapter=normandie)).person
    starts_at = timezone.now() + 30 * DAY
    factories.PlenaryFactory(
        scope=PlenaryScope.REGIONAL,
        chapter=None,
        region=region,
        starts_at=starts_at,
        ends_at=starts_at + 4 * HOUR,
    )

    run()

    assert recipients(mailoutbox) == sorted([here.email, there.email])
    assert away.email not in recipients(mailoutbox)


# --- A week and a day before ------------------------------------------------------------------


def test_week_and_eve_reminders_go_to_registered_people_only(people, strangers, chapter, run, mailoutbox):
    plenary = plenary_in(chapter, starts_in=6 * DAY + 20 * HOUR, closes_in=-DAY)
    registration(plenary, people["member"], State.REGISTERED)
    registration(plenary, people["alumni"], State.REGISTERED, attendee=Attendee.ALUMNI)
    registration(plenary, people["sponsor"], State.WAITING, attendee=Attendee.SPONSOR)
    registration(plenary, people["facilitator"], State.CANCELLED, attendee=Attendee.FACILITATOR)

    run()
    run()

    week = PlenaryNotification.objects.filter(kind=Kind.WEEK)
    assert set(week.values_list("person__email", flat=True)) == {
        people["member"].email,
        people["alumni"].email,
    }
    assert set(week.values_list("revision", flat=True)) == {0}
    week_mails = [m for m in mailoutbox if m.attachments]
    assert recipients(week_mails) == sorted([people["member"].email, people["alumni"].email])
    _calendar, event = ics_event(week_mails[0])
    assert event.uid.value == f"{plenary.uid}@plato" and int(event.sequence.value) == 0
    mailoutbox.clear()

    run(now=plenary.starts_at - 20 * HOUR)
    run(now=plenary.starts_at - 19 * HOUR)

    assert recipients(mailoutbox) == sorted([people["member"].email, people["alumni"].email])
    start = timezone.localtime(plenary.starts_at)
    assert all(f"{start:%H:%M}" in m.subject for m in mailoutbox)
    assert all(not m.attachments for m in mailoutbox)


def test_a_moved_plenary_reminds_again_and_drops_the_old_date(
    people, chapter, run, mailoutbox, django_capture_on_commit_callbacks
):
    plenary = plenary_in(chapter, starts_in=6 * DAY + 20 * HOUR, closes_in=-DAY)
    registration(plenary, people["member"], State.REGISTERED)
    run()
    assert recipients(mailoutbox) == [people["member"].email]
    with django_capture_on_commit_callbacks(execute=False):  # an eve reminder planned, not sent yet
        notifications.plan_reminders(now=plenary.starts_at - 20 * HOUR)
    stale = PlenaryNotification.objects.get(kind=Kind.EVE, revision=0)

    # Moved two days earlier (what the plenary's edit page does: a new date raises the SEQUENCE).
    plenary.starts_at -= 2 * DAY
    plenary.ends_at -= 2 * DAY
    plenary.sequence += 1
    plenary.save()
    mailoutbox.clear()

    assert notifications.send_notification(stale.pk) is False
    run()
    run(now=plenary.starts_at - 20 * HOUR)

    assert [
        (n.kind, n.revision) for n in PlenaryNotification.objects.filter(sent_at__isnull=False).order_by("pk")
    ] == [
        (Kind.WEEK, 0),
        (Kind.WEEK, 1),
        (Kind.EVE, 1),
    ]
    assert recipients(mailoutbox) == [people["member"].email] * 2
    _calendar, event = ics_event(mailoutbox[0])
    assert int(event.sequence.value) == 1 and event.dtstart.value == plenary.starts_at


def test_no_reminder_for_a_cancelled_or_past_plenary(people, chapter, run, mailoutbox):
    cancelled = plenary_in(chapter, starts_in=20 * HOUR, closes_in=10 * HOUR, state="cancelled")
    past = plenary_in(chapter, starts_in=-2 * HOUR, closes_in=-DAY)
    for plenary in (cancelled, past):
        registration(plenary, people["member"], State.REGISTERED)

    assert run() == 0
    assert mailoutbox == []
    assert not PlenaryNotification.objects.exists()


# --- At most once -----------------------------------------------------------------------------


def test_nothing_is_told_about_a_rolled_back_change(
    people, full, mailoutbox, django_capture_on_commit_callbacks
):
    member_registration = Registration.objects.get(plenary=full, person=people["member"])

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.cancel_registration(member_registration, actor=people["member"])
        raise RuntimeError("the change failed")

    assert mailoutbox == []
    assert not PlenaryNotification.objects.exists()
    assert Registration.objects.get(plenary=full, person=people["sponsor"]).state == State.WAITING


def test_a_row_whose_task_died_is_sent_by_the_next_run_and_only_once(people, chapter, run, mailoutbox):
    plenary = plenary_in(chapter, starts_in=30 * DAY, opens_in=5 * DAY)  # no invitation due yet
    registration(plenary, people["member"], State.REGISTERED)
    plenary.state, plenary.sequence = "cancelled", 1
    plenary.save()
    lost = PlenaryNotification.objects.create(
        kind=Kind.CANCELLED, plenary=plenary, person=people["member"], revision=1
    )
    PlenaryNotification.objects.filter(pk=lost.pk).update(created_at=timezone.now() - HOUR)

    assert run() == 1
    assert run() == 0

    assert [m.to for m in mailoutbox] == [[people["member"].email]]
    lost.refresh_from_db()
    assert lost.sent_at is not None and lost.attempts == 1


def test_a_fresh_unsent_row_is_left_to_its_own_task(people, chapter, run, mailoutbox):
    plenary = plenary_in(chapter, starts_in=30 * DAY, opens_in=5 * DAY, state="cancelled", sequence=1)
    PlenaryNotification.objects.create(
        kind=Kind.CANCELLED, plenary=plenary, person=people["member"], revision=1
    )

    assert run() == 0
    assert mailoutbox == []


def test_sending_the_same_row_twice_sends_one_email(people, chapter, mailoutbox):
    plenary = plenary_in(chapter, starts_in=30 * DAY)
    notice = PlenaryNotification.objects.create(
        kind=Kind.INVITATION, plenary=plenary, person=people["member"]
    )

    assert notifications.send_notification(notice.pk) is True
    assert notifications.send_notification(notice.pk) is False
    assert len(mailoutbox) == 1


def test_a_refusing_mail_server_counts_an_attempt_and_the_retry_keeps_the_message_id(
    people, chapter, settings
):
    plenary = plenary_in(chapter, starts_in=30 * DAY)
    notice = PlenaryNotification.objects.create(
        kind=Kind.INVITATION, plenary=plenary, person=people["member"]
    )

    with SmtpSink(refuse=True) as sink:
        settings.MAILERS = sink.mailers()
        with pytest.raises(OSError):
            notifications.send_notification(notice.pk)
        notice.refresh_from_db()
        assert (notice.sent_at, notice.attempts) == (None, 1)

        sink.handler.refuse = False
        assert notifications.send_notification(notice.pk) is True

    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.attempts == 2
    (message,) = sink.handler.received()
    assert message["To"] == people["member"].email
    assert re.fullmatch(rf"<plenary-notification-{notice.pk}\.\d{{20}}@127\.0\.0\.1>", message["Message-ID"])
    assert {part.get_content_type() for part in message.walk()} >= {
        "text/plain",
        "text/html",
        "text/calendar",
    }


def test_unsent_rows_are_retried_for_two_days_then_given_up_loudly(people, chapter, run, mailoutbox, caplog):
    plenary = plenary_in(chapter, starts_in=30 * DAY, opens_in=5 * DAY, state="cancelled", sequence=1)
    late = PlenaryNotification.objects.create(
        kind=Kind.CANCELLED, plenary=plenary, person=people["member"], revision=1, attempts=5
    )
    lost = PlenaryNotification.objects.create(
        kind=Kind.CANCELLED, plenary=plenary, person=people["sponsor"], revision=1
    )
    PlenaryNotification.objects.filter(pk=late.pk).update(created_at=timezone.now() - DAY)
    PlenaryNotification.objects.filter(pk=lost.pk).update(
        created_at=timezone.now() - 2 * DAY - 5 * datetime.timedelta(minutes=1)
    )

    run()

    assert [m.to for m in mailoutbox] == [[people["member"].email]]
    assert f"Plenary notification {lost.pk} could not be sent" in caplog.text


def test_the_command_passes_lapsed_offers_on_and_sends_what_is_due_once(
    full, people, mailoutbox, django_capture_on_commit_callbacks
):
    member_registration = Registration.objects.get(plenary=full, person=people["member"])
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(member_registration, actor=people["member"])
    Registration.objects.filter(plenary=full, state=State.OFFERED).update(
        offer_expires_at=timezone.now() - HOUR
    )
    mailoutbox.clear()
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("plan_plenary_reminders", stdout=out)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("plan_plenary_reminders", stdout=StringIO())

    # The offer lapsed and went to the alumni; the facilitator, who never answered, is invited.
    assert out.getvalue().strip() == "1 offer(s) lapsed, 1 e-mail(s) enqueued."
    assert recipients(mailoutbox) == sorted([people["alumni"].email, people["facilitator"].email])


def test_beat_runs_the_planner_and_the_offers_deadline(settings):
    tasks = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert tasks["plenaries.plan_reminders"].minute == set(range(0, 60, 15))
    assert tasks["plenaries.expire_offers"].minute == set(range(0, 60, 5))


# --- A reminder says what is true on the day it leaves -------------------------------------------


def _reminder(plenary, person, kind):
    return PlenaryNotification.objects.create(
        plenary=plenary, person=person, kind=kind, revision=plenary.sequence
    )


def _plenary_at_nine_in_30_days(chapter):
    """A plenary at 9:00 local time, 30 calendar days from today (registration closes in 20)."""
    day = timezone.localdate() + datetime.timedelta(days=30)
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    return plenary_in(chapter, starts_at=starts_at, closes_in=20 * DAY)


def test_week_reminder_says_in_a_week_only_when_a_week_is_left(people, chapter):
    plenary = _plenary_at_nine_in_30_days(chapter)
    registration(plenary, people["member"], State.REGISTERED)
    reminder = _reminder(plenary, people["member"], Kind.WEEK)

    on_time = notifications.build_message(reminder, now=plenary.starts_at - 7 * DAY + HOUR)
    late = notifications.build_message(reminder, now=plenary.starts_at - 3 * DAY)

    assert "dans une semaine" in on_time.subject and "dans une semaine" in on_time.body
    assert "dans une semaine" not in late.subject and "dans une semaine" not in late.body
    day = f"{timezone.localtime(plenary.starts_at).day}"
    assert day in late.subject and "Vous êtes inscrit" in late.body


def test_eve_reminder_says_today_on_the_morning_itself_and_tomorrow_the_day_before(people, chapter):
    plenary = _plenary_at_nine_in_30_days(chapter)
    registration(plenary, people["member"], State.REGISTERED)
    reminder = _reminder(plenary, people["member"], Kind.EVE)

    the_day_before = notifications.build_message(reminder, now=plenary.starts_at - 20 * HOUR)
    same_morning = notifications.build_message(reminder, now=plenary.starts_at - 2 * HOUR)

    assert "demain" in the_day_before.subject and "demain" in the_day_before.body
    assert "aujourd’hui" not in the_day_before.subject
    assert "aujourd’hui" in same_morning.subject and "aujourd’hui" in same_morning.body
    assert "demain" not in same_morning.subject and "demain" not in same_morning.body
