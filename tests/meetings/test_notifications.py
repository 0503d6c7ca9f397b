"""Reminders and notices by e-mail: each goes once, only to the people it concerns, in French.

Tasks run inline here (tests/conftest.py); tests/plato/test_outbox_worker.py runs
the same planner against a real Redis and Celery worker, killed midway.
"""

import datetime
import re
from io import StringIO

import pytest
import vobject
from django.db import transaction
from django.utils import timezone

from meetings import notifications, services
from meetings.enums import AttendanceStatus, NotificationKind, RsvpAnswer
from meetings.models import Notification
from meetings.rsvp import answer_rsvp
from tests import factories
from tests.mail import SmtpSink

Kind = NotificationKind


def meeting_in(cohort, *, starts_in, vote_closes_in=None, vote_opens_in=None):
    """A meeting starting `starts_in` from now; its vote closed three days ago unless told."""
    now = timezone.now()
    starts_at = now + starts_in
    closes = now + vote_closes_in if vote_closes_in is not None else now - datetime.timedelta(days=3)
    opens = now + vote_opens_in if vote_opens_in is not None else closes - datetime.timedelta(days=20)
    return factories.MeetingFactory(
        cohort=cohort,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        vote_opens_at=opens,
        vote_closes_at=closes,
    )


def sent(mailoutbox, kind_subject: str | None = None) -> list[str]:
    return sorted(
        address for message in mailoutbox for address in message.to if kind_subject in (None, message.subject)
    )


@pytest.fixture
def people(cohort, member, sponsor, facilitator):
    return {"member": member, "sponsor": sponsor, "facilitator": facilitator}


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """One planner run, its e-mails sent (inline tasks) once the transaction commits."""

    def run_planner(**kwargs) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return notifications.plan_reminders(**kwargs)

    return run_planner


def test_week_reminder_goes_once_to_members_sponsors_and_facilitators(people, cohort, run, mailoutbox):
    meeting = meeting_in(cohort, starts_in=datetime.timedelta(days=6, hours=20))

    run()
    first = list(mailoutbox)
    run()

    week = [m for m in first if m.subject.startswith("[Plato] Réunion Plato le ")]
    assert sorted(m.to[0] for m in week) == sorted(p.email for p in people.values())
    # The sponsor who has not answered is also asked, once.
    asked = [m for m in first if "Viendrez-vous" in m.subject]
    assert [m.to for m in asked] == [[people["sponsor"].email]]
    assert len(mailoutbox) == len(first) == 4, "the second run sent something again"
    assert Notification.objects.filter(meeting=meeting, sent_at__isnull=False).count() == 4


def test_member_who_declined_gets_no_reminder_of_the_meeting(people, cohort, run, mailoutbox):
    meeting = meeting_in(cohort, starts_in=datetime.timedelta(hours=20))
    answer_rsvp(meeting, people["member"], answer=RsvpAnswer.NO)
    answer_rsvp(meeting, people["sponsor"], answer=RsvpAnswer.YES)

    run()

    assert sent(mailoutbox) == sorted([people["sponsor"].email, people["facilitator"].email])
    assert all(m.subject.startswith("[Plato] Demain : réunion Plato à ") for m in mailoutbox)


def test_vote_open_goes_to_members_only(people, cohort, run, mailoutbox):
    meeting_in(
        cohort,
        starts_in=datetime.timedelta(days=25),
        vote_opens_in=-datetime.timedelta(hours=2),
        vote_closes_in=datetime.timedelta(days=15),
    )

    run()

    assert [m.to for m in mailoutbox] == [[people["member"].email]]
    assert mailoutbox[0].subject.startswith("[Plato] Choisissez les sujets de la réunion du ")
    assert "3 voix" in mailoutbox[0].body


def test_vote_closing_goes_only_to_members_who_have_not_voted(people, cohort, run, mailoutbox):
    meeting = meeting_in(
        cohort,
        starts_in=datetime.timedelta(days=20),
        vote_opens_in=-datetime.timedelta(days=15),
        vote_closes_in=datetime.timedelta(days=1),
    )
    voter = factories.MembershipFactory(cohort=cohort).person
    topic = factories.TopicFactory(cohort=cohort)
    services.cast_votes(meeting, voter, [topic])

    run()

    assert [m.to for m in mailoutbox] == [[people["member"].email]]
    assert mailoutbox[0].subject.startswith("[Plato] Vous n’avez pas encore voté : le vote ferme le ")


def test_rsvp_request_only_to_sponsors_who_have_not_answered(people, cohort, run, mailoutbox):
    meeting = meeting_in(cohort, starts_in=datetime.timedelta(days=12))
    answered = factories.SponsorshipFactory(cohort=cohort).person
    answer_rsvp(meeting, answered, answer=RsvpAnswer.YES)

    run()

    assert [m.to for m in mailoutbox] == [[people["sponsor"].email]]


def test_reminders_leave_out_cancelled_meetings_and_closed_cohorts(
    people, cohort, closed_cohort, run, mailoutbox
):
    meeting = meeting_in(cohort, starts_in=datetime.timedelta(hours=20))
    meeting.state = "cancelled"
    meeting.save()
    factories.MembershipFactory(cohort=closed_cohort)
    meeting_in(closed_cohort, starts_in=datetime.timedelta(hours=20))

    assert run() == 0
    assert mailoutbox == []


def test_email_is_html_and_text_in_french_with_the_ics_and_one_click_answers(people, cohort, run, mailoutbox):
    meeting = meeting_in(cohort, starts_in=datetime.timedelta(days=6, hours=20))
    meeting.speaker_name = "Anne Kervella"
    meeting.save()

    run()

    message = next(m for m in mailoutbox if m.to == [people["member"].email])
    # A weekday in the middle of a French sentence takes no capital.
    assert re.match(
        r"\[Plato\] Réunion Plato le (lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) ", message.subject
    )
    assert message.body.startswith("Bonjour Gwenaël,")
    assert "Votre groupe Golfe du Morbihan se réunit le " in message.body
    assert "21 quai des Indes, 56100 Lorient" in message.body
    assert "Anne Kervella" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Je viendrai" in html and "/rsvp/" in html
    assert "{{" not in html and "{%" not in html and "{{" not in message.body
    notification = Notification.objects.get(person=people["member"], kind=Kind.MEETING_WEEK)
    assert re.fullmatch(
        rf"<notification-{notification.pk}\.\d{{20}}@127\.0\.0\.1>", message.extra_headers["Message-ID"]
    )
    (filename, content, mimetype) = message.attachments[0]
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar")
    event = vobject.readOne(StringIO(content.decode() if isinstance(content, bytes) else content)).vevent
    assert event.uid.value == f"{meeting.uid}@plato"


def test_one_click_link_of_the_email_records_the_answer(people, cohort, run, mailoutbox, client):
    meeting = meeting_in(cohort, starts_in=datetime.timedelta(days=12))
    run()
    html = mailoutbox[0].alternatives[0][0]
    link = html.split('href="', 2)[1].split('"')[0]  # the first button: "I will come"

    path = link.removeprefix("http://127.0.0.1:8000")
    page = client.get(path)  # the page sends the answer by itself (JavaScript)
    response = client.post(path, {"answer": page.context["answer"]}, follow=True)

    assert response.status_code == 200
    assert meeting.rsvps.get(person=people["sponsor"]).answer == RsvpAnswer.YES


def test_a_notice_in_a_rolled_back_transaction_sends_nothing(
    people, cohort, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = meeting_in(cohort, starts_in=datetime.timedelta(days=30))

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notifications.notify_participants(meeting, Kind.MEETING_ADDED)
        raise RuntimeError("the change failed")

    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_a_row_whose_task_was_lost_is_sent_by_the_next_run_and_only_once(people, cohort, run, mailoutbox):
    meeting = meeting_in(cohort, starts_in=datetime.timedelta(days=40))
    lost = Notification.objects.create(kind=Kind.MEETING_ADDED, meeting=meeting, person=people["member"])
    Notification.objects.filter(pk=lost.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))

    run()
    run()

    assert [m.to for m in mailoutbox] == [[people["member"].email]]
    lost.refresh_from_db()
    assert lost.sent_at is not None and lost.attempts == 1


def test_sending_the_same_notification_twice_sends_one_email(people, cohort, mailoutbox):
    meeting = meeting_in(cohort, starts_in=datetime.timedelta(days=40))
    notice = Notification.objects.create(kind=Kind.MEETING_ADDED, meeting=meeting, person=people["member"])

    assert notifications.send_notification(notice.pk) is True
    assert notifications.send_notification(notice.pk) is False
    assert len(mailoutbox) == 1


def test_a_reminder_no_longer_due_is_dropped_not_sent(
    people, cohort, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = meeting_in(
        cohort,
        starts_in=datetime.timedelta(days=20),
        vote_opens_in=-datetime.timedelta(days=15),
        vote_closes_in=datetime.timedelta(days=1),
    )
    with django_capture_on_commit_callbacks(execute=False):  # planned, its task not run yet
        notifications.plan_reminders()
    notice = Notification.objects.get(kind=Kind.VOTE_CLOSING, person=people["member"])
    services.cast_votes(meeting, people["member"], [factories.TopicFactory(cohort=cohort)])

    assert notifications.send_notification(notice.pk) is False
    assert mailoutbox == []
    assert not Notification.objects.filter(pk=notice.pk).exists()


def test_a_refusing_mail_server_counts_an_attempt_and_leaves_the_row_to_retry(people, cohort, settings):
    meeting = meeting_in(cohort, starts_in=datetime.timedelta(days=40))
    notice = Notification.objects.create(kind=Kind.MEETING_ADDED, meeting=meeting, person=people["member"])

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
    assert re.fullmatch(rf"<notification-{notice.pk}\.\d{{20}}@127\.0\.0\.1>", message["Message-ID"])
    assert {part.get_content_type() for part in message.walk()} >= {
        "text/plain",
        "text/html",
        "text/calendar",
    }


def test_moving_and_cancelling_tell_everyone_once_per_change(
    people, cohort, facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = meeting_in(cohort, starts_in=datetime.timedelta(days=40))
    venue = {
        "venue_kind": meeting.venue_kind,
        "venue_name": "Salle Dupleix",
        "venue_address": meeting.venue_address,
        "venue_postcode": meeting.venue_postcode,
        "venue_town": meeting.venue_town,
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.move_meeting(
            meeting, starts_at=meeting.starts_at, ends_at=meeting.ends_at, actor=facilitator, **venue
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(meeting, reason="Grève des transports", actor=facilitator)

    moved = [m for m in mailoutbox if "déplacée" in m.subject]
    cancelled = [m for m in mailoutbox if "annulée" in m.subject]
    assert sent(moved, None) == sent(cancelled, None) == sorted(p.email for p in people.values())
    assert "Salle Dupleix" in moved[0].body
    assert "Grève des transports" in cancelled[0].body
    ics = cancelled[0].attachments[0][1]
    event = vobject.readOne(StringIO(ics.decode() if isinstance(ics, bytes) else ics)).vevent
    assert (event.status.value, event.sequence.value) == ("CANCELLED", "2")


def test_a_move_superseded_by_a_cancellation_is_not_sent(
    people, cohort, facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = meeting_in(cohort, starts_in=datetime.timedelta(days=40))
    with django_capture_on_commit_callbacks(execute=False):  # the move's e-mails wait in the queue
        services.move_meeting(
            meeting,
            starts_at=meeting.starts_at + datetime.timedelta(days=1),
            ends_at=meeting.ends_at + datetime.timedelta(days=1),
            venue_kind=meeting.venue_kind,
            venue_name=meeting.venue_name,
            venue_address=meeting.venue_address,
            venue_postcode=meeting.venue_postcode,
            venue_town=meeting.venue_town,
            actor=facilitator,
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(meeting, reason="Salle indisponible", actor=facilitator)
    for notice in Notification.objects.filter(kind=Kind.MEETING_MOVED):
        notifications.send_notification(notice.pk)

    assert mailoutbox and all("annulée" in m.subject for m in mailoutbox)


def test_urgent_topic_tells_the_participants(
    people, cohort, facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = meeting_in(cohort, starts_in=datetime.timedelta(days=3))

    with django_capture_on_commit_callbacks(execute=True):
        services.set_urgent_topic(meeting, reason="Perte du premier client", actor=facilitator)

    assert sent(mailoutbox) == sorted(p.email for p in people.values())
    assert all("Perte du premier client" in m.body for m in mailoutbox)


def test_absence_alert_reaches_the_facilitator_once(
    people, cohort, chapter, facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    absentee = people["member"]
    held = [
        meeting_in(
            cohort,
            starts_in=-datetime.timedelta(days=days),
            vote_closes_in=-datetime.timedelta(days=days + 10),
        )
        for days in (90, 60, 30)
    ]
    for meeting in held[:2]:
        services.record_attendance(
            meeting, {absentee.pk: AttendanceStatus.ABSENT}, minutes="", actor=facilitator
        )
    assert not [m for m in mailoutbox if "manqué" in m.subject]

    with django_capture_on_commit_callbacks(execute=True):
        services.record_attendance(
            held[2], {absentee.pk: AttendanceStatus.EXCUSED}, minutes="", actor=facilitator
        )
    with django_capture_on_commit_callbacks(execute=True):  # corrected minutes: no second alert
        services.record_attendance(
            held[2], {absentee.pk: AttendanceStatus.EXCUSED}, minutes="Corrigé", actor=facilitator
        )

    alerts = [m for m in mailoutbox if "manqué" in m.subject]
    assert [m.to for m in alerts] == [[facilitator.email]]
    assert alerts[0].subject == "[Plato] Gwenaël Le Floch a manqué 3 réunions"
    assert "2 sans excuse" in alerts[0].body


def test_plan_reminders_command_sends_what_is_due_once(
    people, cohort, mailoutbox, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    meeting_in(cohort, starts_in=datetime.timedelta(hours=20))
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("plan_reminders", stdout=out)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("plan_reminders", stdout=StringIO())

    # Tomorrow's reminder to the three of them, and the sponsor's RSVP request.
    assert out.getvalue().strip() == "4 e-mail(s) enqueued."
    assert sent(mailoutbox) == sorted([*(p.email for p in people.values()), people["sponsor"].email])


def _move(meeting, facilitator, *, by: datetime.timedelta):
    return services.move_meeting(
        meeting,
        starts_at=meeting.starts_at + by,
        ends_at=meeting.ends_at + by,
        venue_kind=meeting.venue_kind,
        venue_name=meeting.venue_name,
        venue_address=meeting.venue_address,
        venue_postcode=meeting.venue_postcode,
        venue_town=meeting.venue_town,
        actor=facilitator,
    )


def test_a_moved_meeting_gets_the_reminders_of_its_new_date(
    people, cohort, facilitator, run, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = meeting_in(cohort, starts_in=datetime.timedelta(hours=20))
    run()
    assert len([m for m in mailoutbox if "Demain" in m.subject]) == 3
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _move(meeting, facilitator, by=datetime.timedelta(days=7))
    mailoutbox.clear()

    run(now=meeting.starts_at - datetime.timedelta(hours=20))  # the eve of the new date

    assert sent(mailoutbox) == sorted(p.email for p in people.values())
    assert all("Demain" in m.subject for m in mailoutbox)


def test_a_reminder_planned_before_a_move_is_dropped(
    people, cohort, facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = meeting_in(cohort, starts_in=datetime.timedelta(days=6, hours=20))
    with django_capture_on_commit_callbacks(execute=False):  # planned, the e-mails still queued
        notifications.plan_reminders()
    with django_capture_on_commit_callbacks(execute=False):
        _move(meeting, facilitator, by=datetime.timedelta(days=14))
    stale = Notification.objects.filter(kind=Kind.MEETING_WEEK, revision=0)
    assert stale.count() == 3

    for notice in list(stale):
        assert notifications.send_notification(notice.pk) is False
    assert mailoutbox == []


def test_moving_to_another_day_clears_the_answers_and_asks_again(
    people, cohort, facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = meeting_in(cohort, starts_in=datetime.timedelta(days=30))
    answer_rsvp(meeting, people["member"], answer=RsvpAnswer.NO)
    with django_capture_on_commit_callbacks(execute=True):
        _move(meeting, facilitator, by=datetime.timedelta(hours=1))  # same day: answers kept
    assert meeting.rsvps.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        _move(meeting, facilitator, by=datetime.timedelta(days=2))

    assert meeting.rsvps.count() == 0
    moved = [m for m in mailoutbox if m.to == [people["member"].email] and "déplacée" in m.subject]
    assert len(moved) == 2 and "/rsvp/" in moved[-1].alternatives[0][0]


def test_a_meeting_added_at_short_notice_is_told_once(
    people, cohort, coordinator, run, mailoutbox, django_capture_on_commit_callbacks
):
    starts_at = timezone.now() + datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.add_meeting(
            cohort,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=3),
            venue_kind="cci",
            venue_name="Salle Dupleix",
            actor=coordinator,
        )
    run()

    assert sent(mailoutbox) == sorted(p.email for p in people.values())
    assert all(m.subject.startswith("[Plato] Nouvelle réunion Plato le ") for m in mailoutbox)


def test_a_notice_of_a_meeting_cancelled_meanwhile_is_dropped(
    people, cohort, facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = meeting_in(cohort, starts_in=datetime.timedelta(days=40))
    with django_capture_on_commit_callbacks(execute=False):
        notifications.notify_participants(meeting, Kind.MEETING_ADDED)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(meeting, reason="Salle indisponible", actor=facilitator)
    for notice in Notification.objects.filter(kind=Kind.MEETING_ADDED):
        notifications.send_notification(notice.pk)

    assert mailoutbox and all("annulée" in m.subject for m in mailoutbox)


def test_a_notice_to_somebody_who_left_the_cohort_is_dropped(people, cohort, mailoutbox, member_membership):
    meeting = meeting_in(cohort, starts_in=datetime.timedelta(days=40))
    notice = Notification.objects.create(kind=Kind.MEETING_ADDED, meeting=meeting, person=people["member"])
    member_membership.state = "withdrawn"
    member_membership.save()

    assert notifications.send_notification(notice.pk) is False
    assert mailoutbox == []


def test_unsent_rows_are_retried_for_two_days_then_given_up_loudly(people, cohort, run, mailoutbox, caplog):
    meeting = meeting_in(cohort, starts_in=datetime.timedelta(days=40))
    late = Notification.objects.create(
        kind=Kind.MEETING_ADDED, meeting=meeting, person=people["member"], attempts=9
    )
    lost = Notification.objects.create(kind=Kind.MEETING_ADDED, meeting=meeting, person=people["sponsor"])
    Notification.objects.filter(pk=late.pk).update(created_at=timezone.now() - datetime.timedelta(days=1))
    Notification.objects.filter(pk=lost.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2, minutes=5)
    )

    run()

    assert [m.to for m in mailoutbox] == [[people["member"].email]]
    assert f"Notification {lost.pk} could not be sent" in caplog.text


def test_a_refusing_mail_server_never_breaks_the_change_in_embedded_mode(
    people, cohort, facilitator, settings, django_capture_on_commit_callbacks
):
    meeting = meeting_in(cohort, starts_in=datetime.timedelta(days=40))

    with SmtpSink(refuse=True) as sink:
        settings.MAILERS = sink.mailers()
        with django_capture_on_commit_callbacks(execute=True):
            services.cancel_meeting(meeting, reason="Grève", actor=facilitator)

    meeting.refresh_from_db()
    assert meeting.is_cancelled
    rows = Notification.objects.filter(kind=Kind.MEETING_CANCELLED)
    assert rows.count() == 3 and not rows.filter(sent_at__isnull=False).exists()
    assert all(row.attempts >= 1 for row in rows), "every row was tried, not only the first"
