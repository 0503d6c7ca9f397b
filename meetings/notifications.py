"""The e-mails meetings send, each at most once to each person.

Two sources write `Notification` rows (unique per kind, meeting, person and revision,
or the member an absence alert is about):

- `plan_reminders()`, run by Celery beat every quarter of an hour: a meeting in a week
  and tomorrow, the vote open, the vote closing in two days to members who have not
  voted, and the RSVP request to sponsors who have not answered;
- `notify()`, called by the services in the transaction of the change it announces: a
  meeting added, moved or cancelled, an urgent topic, an absence alert.

The rows go through the one outbox (plato.outbox): enqueued once the transaction
commits, sent once by `NotificationHandler`, which checks the e-mail is still due (the
member may have voted since, the meeting may be cancelled) and builds it. A second run of
the planner finds the rows and creates nothing; a row left unsent by a worker that died
is enqueued again by the next run and by the outbox's sweep (the handler's `stale_after`).
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import date as date_format
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from groups.enums import CohortState, MembershipState
from groups.models import Cohort, Membership, Sponsorship
from meetings.calendar import calendar_bytes, meeting_url
from meetings.enums import AttendanceStatus, MeetingState, NotificationKind, RsvpAnswer
from meetings.models import AgendaItem, Attendance, BallotChoice, Meeting, Notification, Rsvp
from meetings.rsvp import rsvp_url
from meetings.selectors import absence_alerts
from plato import ical
from plato.outbox import Handler

logger = logging.getLogger(__name__)

Kind = NotificationKind

# When each reminder is due, relative to the meeting's start or its vote's close.
WEEK_BEFORE = datetime.timedelta(days=7)
DAY_BEFORE = datetime.timedelta(days=1)
VOTE_CLOSING_BEFORE = datetime.timedelta(days=2)
RSVP_REQUEST_BEFORE = datetime.timedelta(days=14)

REMINDER_KINDS = (Kind.MEETING_WEEK, Kind.MEETING_EVE, Kind.VOTE_OPEN, Kind.VOTE_CLOSING, Kind.RSVP_REQUEST)
# Reminders of the meeting's date: planned again for a new date (their revision is the
# meeting's SEQUENCE), where those of the vote go once whatever the moves.
DATE_KINDS = (Kind.MEETING_WEEK, Kind.MEETING_EVE, Kind.RSVP_REQUEST)
# The e-mails that carry the meeting as a calendar event (.ics).
WITH_CALENDAR = (
    Kind.MEETING_WEEK,
    Kind.RSVP_REQUEST,
    Kind.MEETING_ADDED,
    Kind.MEETING_MOVED,
    Kind.MEETING_CANCELLED,
)

MEMBER, SPONSOR, FACILITATOR = "member", "sponsor", "facilitator"


# --- Who a meeting concerns --------------------------------------------------------------------


@dataclass(frozen=True)
class Participant:
    person: object
    role: str  # MEMBER, SPONSOR or FACILITATOR


def participants(cohort_ids) -> dict[int, list[Participant]]:
    """Per cohort: its active members, current sponsors and facilitators who can receive
    e-mail (three queries whatever the number of cohorts)."""
    people: dict[int, dict[int, Participant]] = defaultdict(dict)
    reachable = Q(person__is_active=True) & ~Q(person__email="")
    for membership in Membership.objects.filter(
        reachable, cohort_id__in=cohort_ids, state=MembershipState.ACTIVE
    ).select_related("person"):
        people[membership.cohort_id][membership.person_id] = Participant(membership.person, MEMBER)
    for sponsorship in Sponsorship.objects.filter(
        reachable, cohort_id__in=cohort_ids, ended_on__isnull=True
    ).select_related("person"):
        people[sponsorship.cohort_id].setdefault(
            sponsorship.person_id, Participant(sponsorship.person, SPONSOR)
        )
    for link in (
        Cohort.facilitators.through.objects.filter(cohort_id__in=cohort_ids, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
    ):
        people[link.cohort_id].setdefault(link.user_id, Participant(link.user, FACILITATOR))
    return {cohort_id: list(by_person.values()) for cohort_id, by_person in people.items()}


# --- Writing rows and enqueueing their e-mails ---------------------------------------------------


def _create(keys: list[tuple]) -> list[int]:
    """Write the rows that do not exist yet, return the ids of the unsent ones among them.

    `keys` are (kind, meeting_id, person_id, revision, about_id) tuples. A row someone else
    wrote at the same moment is skipped by the unique constraints (ignore_conflicts).
    """
    if not keys:
        return []
    Notification.objects.bulk_create(
        [
            Notification(
                kind=kind, meeting_id=meeting_id, person_id=person_id, revision=revision, about_id=about
            )
            for kind, meeting_id, person_id, revision, about in keys
        ],
        ignore_conflicts=True,
    )
    wanted = set(keys)
    rows = Notification.objects.filter(
        sent_at__isnull=True,
        kind__in={key[0] for key in keys},
        meeting_id__in={key[1] for key in keys},
        person_id__in={key[2] for key in keys},
    ).values_list("pk", "kind", "meeting_id", "person_id", "revision", "about_id")
    return [pk for pk, *key in rows if tuple(key) in wanted]


def notify(meeting: Meeting, kind: str, people, *, revision: int = 0, about=None) -> None:
    """Tell `people` about `meeting` once (`kind`, `revision`, `about` make the "once").

    Call it inside the transaction of the change: the e-mails are enqueued after the
    commit, and nothing is told about a change that rolled back.
    """
    keys = [(kind, meeting.pk, person.pk, revision, about.pk if about else None) for person in people]
    NotificationHandler().enqueue_on_commit(_create(keys))


def notify_participants(meeting: Meeting, kind: str, *, revision: int = 0) -> None:
    """`notify()` everyone the meeting concerns (members, sponsors, facilitators)."""
    concerned = participants([meeting.cohort_id]).get(meeting.cohort_id, [])
    notify(meeting, kind, [participant.person for participant in concerned], revision=revision)
    if kind in (Kind.MEETING_ADDED, Kind.MEETING_MOVED):
        _cover_date_reminders(meeting, concerned, now=timezone.now())


def _cover_date_reminders(meeting: Meeting, concerned: list[Participant], *, now: datetime.datetime) -> None:
    """A meeting added or moved at short notice: its notice already tells the date, so the
    reminders of the date already due now (the week's, the eve's, the sponsor's question)
    are recorded as done rather than sent a moment later."""
    Notification.objects.bulk_create(
        [
            Notification(
                kind=kind, meeting=meeting, person=participant.person, revision=meeting.sequence, sent_at=now
            )
            for kind in _due_kinds(meeting, now)
            if kind in DATE_KINDS
            for participant in concerned
            if _is_for(kind, participant, answer=None, voted=False)
        ],
        ignore_conflicts=True,
    )


def notify_absences(meeting: Meeting, alerts) -> None:
    """After attendance is taken: tell the cohort's facilitators (or, without one, the
    chapter's coordinators) about each member over the absence limit who missed this
    meeting. Taking the attendance again does not repeat an alert."""
    from groups.enums import StaffRole
    from members.models import User

    missed_now = set(
        Attendance.objects.filter(meeting=meeting)
        .exclude(status=AttendanceStatus.PRESENT)
        .values_list("person_id", flat=True)
    )
    alerts = [alert for alert in alerts if alert.person.pk in missed_now]
    if not alerts:
        return
    staff = list(meeting.cohort.facilitators.filter(is_active=True).exclude(email=""))
    if not staff:
        staff = list(
            User.objects.filter(
                chapter_roles__chapter_id=meeting.cohort.chapter_id,
                chapter_roles__role=StaffRole.COORDINATOR,
                is_active=True,
            )
            .exclude(email="")
            .distinct()
        )
    for alert in alerts:
        notify(meeting, Kind.ABSENCE_ALERT, staff, about=alert.person)


# --- The planner ---------------------------------------------------------------------------


def _due_kinds(meeting: Meeting, now: datetime.datetime) -> list[str]:
    kinds = []
    if meeting.starts_at - WEEK_BEFORE <= now < meeting.starts_at - DAY_BEFORE:
        kinds.append(Kind.MEETING_WEEK)
    if meeting.starts_at - DAY_BEFORE <= now < meeting.starts_at:
        kinds.append(Kind.MEETING_EVE)
    if meeting.vote_opens_at <= now < meeting.vote_closes_at - VOTE_CLOSING_BEFORE:
        kinds.append(Kind.VOTE_OPEN)
    if meeting.vote_closes_at - VOTE_CLOSING_BEFORE <= now < meeting.vote_closes_at:
        kinds.append(Kind.VOTE_CLOSING)
    if meeting.starts_at - RSVP_REQUEST_BEFORE <= now < meeting.starts_at:
        kinds.append(Kind.RSVP_REQUEST)
    return kinds


def _is_for(kind: str, participant: Participant, *, answer: str | None, voted: bool) -> bool:
    """Whether a reminder of `kind` goes to this participant of the meeting."""
    if kind in (Kind.MEETING_WEEK, Kind.MEETING_EVE):
        return answer != RsvpAnswer.NO
    if kind in (Kind.VOTE_OPEN, Kind.VOTE_CLOSING):
        return participant.role == MEMBER and not voted
    if kind == Kind.RSVP_REQUEST:
        return participant.role == SPONSOR and answer is None
    return False


def due_reminders(now: datetime.datetime) -> list[tuple]:
    """The reminders due at `now`, as keys for `_create` (a fixed number of queries)."""
    meetings = list(
        Meeting.objects.filter(state=MeetingState.SCHEDULED)
        .exclude(cohort__state=CohortState.CLOSED)
        .filter(
            Q(starts_at__gt=now, starts_at__lte=now + RSVP_REQUEST_BEFORE)
            | Q(vote_opens_at__lte=now, vote_closes_at__gt=now)
        )
    )
    if not meetings:
        return []
    meeting_ids = [meeting.pk for meeting in meetings]
    people = participants({meeting.cohort_id for meeting in meetings})
    answers = {
        (meeting_id, person_id): answer
        for meeting_id, person_id, answer in Rsvp.objects.filter(meeting_id__in=meeting_ids).values_list(
            "meeting_id", "person_id", "answer"
        )
    }
    voted = set(
        BallotChoice.objects.filter(ballot__meeting_id__in=meeting_ids).values_list(
            "ballot__meeting_id", "ballot__person_id"
        )
    )
    keys = []
    for meeting in meetings:
        for kind in _due_kinds(meeting, now):
            for participant in people.get(meeting.cohort_id, []):
                pair = (meeting.pk, participant.person.pk)
                if _is_for(kind, participant, answer=answers.get(pair), voted=pair in voted):
                    revision = meeting.sequence if kind in DATE_KINDS else 0
                    keys.append((kind, meeting.pk, participant.person.pk, revision, None))
    return keys


def plan_reminders(
    now: datetime.datetime | None = None, *, stale_after: datetime.timedelta | None = None
) -> int:
    """Write the reminders due now and enqueue their e-mails, with those left unsent by
    an earlier run. Returns how many e-mails were enqueued. Running it again sends nothing
    already sent."""
    started = timezone.now()  # the clock created_at is written with, even when `now` is given
    with transaction.atomic():
        written = _create(due_reminders(now or started))
        return len(NotificationHandler().plan(written, started=started, stale_after=stale_after))


# --- Sending -----------------------------------------------------------------------------------

SUBJECTS = {
    Kind.MEETING_WEEK: lambda c: _("Plato meeting on %(date)s") % c,
    Kind.MEETING_EVE: lambda c: _("Tomorrow: Plato meeting at %(time)s") % c,
    Kind.VOTE_OPEN: lambda c: _("Choose the topics of the %(date)s meeting") % c,
    Kind.VOTE_CLOSING: lambda c: _("You have not voted yet: the vote closes on %(closes)s") % c,
    Kind.RSVP_REQUEST: lambda c: _("Will you come to the Plato meeting on %(date)s?") % c,
    Kind.MEETING_ADDED: lambda c: _("New Plato meeting on %(date)s") % c,
    Kind.MEETING_MOVED: lambda c: _("Plato meeting moved to %(date)s") % c,
    Kind.MEETING_CANCELLED: lambda c: _("Plato meeting of %(date)s cancelled") % c,
    Kind.URGENT_TOPIC: lambda c: _("Urgent topic at the %(date)s meeting") % c,
    Kind.ABSENCE_ALERT: lambda c: _("%(member)s has missed %(missed)s meetings") % c,
}


def _context(notification: Notification) -> dict:
    """What the e-mail's templates show; call it with the recipient's language active."""
    meeting = notification.meeting
    start = timezone.localtime(meeting.starts_at)
    context = {
        "notification": notification,
        "kind": notification.kind,
        "person": notification.person,
        "meeting": meeting,
        "cohort": meeting.cohort,
        "chapter": meeting.cohort.chapter,
        "meeting_url": meeting_url(meeting),
        "agenda": [item.topic for item in AgendaItem.objects.filter(meeting=meeting).select_related("topic")],
        "date": date_format(start, "l j F Y"),
        "time": date_format(start, "H:i"),
        "end_time": date_format(timezone.localtime(meeting.ends_at), "H:i"),
        "member": notification.about,
        "missed": 0,
    }
    answerable = not meeting.is_cancelled and meeting.ends_at > timezone.now()
    if answerable and notification.kind not in (Kind.ABSENCE_ALERT, Kind.VOTE_OPEN, Kind.VOTE_CLOSING):
        context["rsvp_yes_url"] = rsvp_url(meeting, notification.person, RsvpAnswer.YES)
        context["rsvp_no_url"] = rsvp_url(meeting, notification.person, RsvpAnswer.NO)
    if notification.kind in (Kind.VOTE_OPEN, Kind.VOTE_CLOSING):
        closes = timezone.localtime(meeting.vote_closes_at)
        context["vote_closes_date"] = date_format(closes, "l j F")
        context["vote_closes_time"] = date_format(closes, "H:i")
        context["votes_per_member"] = meeting.cohort.chapter.votes_per_member
    if notification.kind == Kind.ABSENCE_ALERT:
        alert = next(
            (a for a in absence_alerts(meeting.cohort) if a.person.pk == notification.about_id), None
        )
        context["missed"] = alert.missed if alert else 0
        context["absent"] = alert.absent if alert else 0
        context["absence_limit"] = meeting.cohort.chapter.absence_limit
        context["absence_window_months"] = meeting.cohort.chapter.absence_window_months
        context["cohort_meetings_url"] = settings.SITE_URL.rstrip("/") + reverse(
            "meetings:cohort_meetings", kwargs={"pk": meeting.cohort_id}
        )
    return context


def build_message(notification: Notification):
    """The notification's e-mail (HTML and text, in French, the .ics attached where useful)."""
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        context = _context(notification)
        subject = SUBJECTS[notification.kind](
            {
                "date": context["date"],
                "time": context["time"],
                "member": notification.about.get_full_name() if notification.about else "",
                "missed": context["missed"],
                "closes": context.get("vote_closes_date", ""),
            }
        )
        attachments = ()
        if notification.kind in WITH_CALENDAR:
            meeting = notification.meeting
            attachments = (ical.attachment("plato", meeting.starts_at, calendar_bytes([meeting])),)
    template = f"meetings/{notification.kind}"
    return NotificationHandler().email(
        notification, template, context, subject=subject, language=language, attachments=attachments
    )


class NotificationHandler(
    Handler,
    model=Notification,
    task_name="meetings.send_notification",
    message_kind="notification",
    related=("meeting__cohort__chapter", "person", "about"),
):
    def still_due(self, notification: Notification, now: datetime.datetime) -> bool:
        """Meetings' e-mails go through the outbox: what the planner decided may have
        changed since (a vote cast, a meeting moved): check again before sending."""
        meeting, person, kind = notification.meeting, notification.person, notification.kind
        if kind in DATE_KINDS and notification.revision != meeting.sequence:
            return False  # the meeting moved since: the new date gets its own reminders
        if kind in REMINDER_KINDS:
            if meeting.is_cancelled or meeting.starts_at <= now:
                return False
            participant = next(
                (
                    p
                    for p in participants([meeting.cohort_id]).get(meeting.cohort_id, [])
                    if p.person.pk == person.pk
                ),
                None,
            )
            if participant is None:
                return False
            answer = (
                Rsvp.objects.filter(meeting=meeting, person=person).values_list("answer", flat=True).first()
            )
            voted = BallotChoice.objects.filter(ballot__meeting=meeting, ballot__person=person).exists()
            if kind in (Kind.VOTE_OPEN, Kind.VOTE_CLOSING) and now >= meeting.vote_closes_at:
                return False
            return _is_for(kind, participant, answer=answer, voted=voted)
        if kind == Kind.ABSENCE_ALERT:
            # The attendance may have been corrected since: alert only while it still holds.
            return any(alert.person.pk == notification.about_id for alert in absence_alerts(meeting.cohort))
        if kind in (Kind.MEETING_ADDED, Kind.MEETING_MOVED, Kind.URGENT_TOPIC) and (
            meeting.is_cancelled or meeting.sequence != notification.revision
        ):
            return False  # a later move or a cancellation has its own notice: this one is out of date
        # The notices go to the meeting's participants: not to somebody who left the cohort since.
        return any(
            p.person.pk == person.pk for p in participants([meeting.cohort_id]).get(meeting.cohort_id, [])
        )

    def build(self, notification: Notification, now: datetime.datetime):
        return build_message(notification)


# The Celery task; called directly (tests, a shell), it sends at once and returns whether
# an e-mail left.
send_notification = NotificationHandler.task
