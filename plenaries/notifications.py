"""The e-mails plenaries send, each at most once to each person.

Same design as meetings.notifications. Two sources write `PlenaryNotification` rows
(unique per kind, plenary, person and revision):

- `plan_reminders()`, run by Celery beat every quarter of an hour: the invitation once
  registration opens, the closing reminder three days before the deadline to those who
  have not answered, and the reminders a week and a day before to those registered
  (their revision is the plenary's SEQUENCE, so a plenary moved reminds again);
- `notify()`, called by the services in the transaction of the change it announces: a
  place offered from the waiting list (revision: the registration's offer count) and a
  plenary cancelled (`notify_cancelled`).

The rows go through the one outbox (plato.outbox): enqueued once the transaction
commits, sent once by `PlenaryNotificationHandler`, which checks the e-mail is still due
(the offer may have lapsed or been confirmed, the plenary may be cancelled) and builds
it. Rows left unsent by a worker that died are enqueued again by the next planner run
and by the outbox's sweep (the handler's `stale_after`).
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import date as date_format
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from plato import ical
from plato.outbox import Handler
from plenaries.calendar import calendar_bytes, location, plenary_url
from plenaries.enums import ACTIVE, PlenaryNotificationKind, PlenaryState, RegistrationState
from plenaries.models import Plenary, PlenaryNotification, Registration
from plenaries.selectors import eligibility, invitees

logger = logging.getLogger(__name__)

Kind = PlenaryNotificationKind

# When each reminder is due, relative to the plenary's start or its registration deadline.
WEEK_BEFORE = datetime.timedelta(days=7)
DAY_BEFORE = datetime.timedelta(days=1)
CLOSING_BEFORE = datetime.timedelta(days=3)

REMINDER_KINDS = (Kind.INVITATION, Kind.CLOSING, Kind.WEEK, Kind.EVE)
# Reminders of the date: planned again for a new date (their revision is the SEQUENCE).
DATE_KINDS = (Kind.WEEK, Kind.EVE)
# The e-mails that carry the plenary as a calendar event (.ics).
WITH_CALENDAR = (Kind.INVITATION, Kind.WEEK, Kind.OFFER, Kind.CANCELLED)


# --- Writing rows and enqueueing their e-mails ---------------------------------------------------


def _create(plenary: Plenary, kind: str, person_ids: list[int], revision: int) -> list[int]:
    """Write the rows that do not exist yet; the ids of the unsent ones among those asked."""
    if not person_ids:
        return []
    PlenaryNotification.objects.bulk_create(
        [
            PlenaryNotification(kind=kind, plenary=plenary, person_id=person_id, revision=revision)
            for person_id in person_ids
        ],
        ignore_conflicts=True,
    )
    return list(
        PlenaryNotification.objects.filter(
            kind=kind, plenary=plenary, revision=revision, person_id__in=person_ids, sent_at__isnull=True
        ).values_list("pk", flat=True)
    )


def notify(plenary: Plenary, kind: str, person_ids, *, revision: int = 0) -> None:
    """Tell these people about `plenary` once (`kind` and `revision` make the "once").
    Call it inside the transaction of the change: nothing is told about a rollback."""
    PlenaryNotificationHandler().enqueue_on_commit(_create(plenary, kind, list(person_ids), revision))


def notify_cancelled(plenary: Plenary) -> None:
    """Tell everyone registered, offered a place or waiting that `plenary` is cancelled.
    Call it in the transaction that cancels it, after its state and SEQUENCE are saved."""
    people = (
        Registration.objects.filter(plenary=plenary, state__in=ACTIVE, person__is_active=True)
        .exclude(person__email="")
        .values_list("person_id", flat=True)
    )
    notify(plenary, Kind.CANCELLED, people, revision=plenary.sequence)


# --- The planner ---------------------------------------------------------------------------


def _due_kinds(plenary: Plenary, now: datetime.datetime) -> list[str]:
    kinds = []
    # The invitation until the closing reminder takes over: one or the other, never both
    # the same day (a late-opened plenary gets the closing reminder, which invites too).
    if plenary.registration_opens_at <= now < plenary.registration_closes_at - CLOSING_BEFORE:
        kinds.append(Kind.INVITATION)
    if (
        plenary.registration_opens_at <= now
        and plenary.registration_closes_at - CLOSING_BEFORE <= now < plenary.registration_closes_at
    ):
        kinds.append(Kind.CLOSING)
    if plenary.starts_at - WEEK_BEFORE <= now < plenary.starts_at - DAY_BEFORE:
        kinds.append(Kind.WEEK)
    if plenary.starts_at - DAY_BEFORE <= now < plenary.starts_at:
        kinds.append(Kind.EVE)
    return kinds


def _invited_ids(plenary: Plenary) -> list[int]:
    return [person.pk for person in invitees(plenary) if person.email]


def _registered_ids(plenary: Plenary) -> list[int]:
    return list(
        Registration.objects.filter(
            plenary=plenary, state=RegistrationState.REGISTERED, person__is_active=True
        )
        .exclude(person__email="")
        .values_list("person_id", flat=True)
    )


def due_reminders(now: datetime.datetime) -> list[tuple[Plenary, str, list[int], int]]:
    """The reminders due at `now`: (plenary, kind, person ids, revision)."""
    from django.db.models import Q

    plenaries = Plenary.objects.filter(state=PlenaryState.PLANNED, starts_at__gt=now).filter(
        Q(registration_opens_at__lte=now, registration_closes_at__gt=now)
        | Q(starts_at__lte=now + WEEK_BEFORE)
    )
    due = []
    for plenary in plenaries.order_by("starts_at", "pk"):
        kinds = _due_kinds(plenary, now)
        if Kind.INVITATION in kinds or Kind.CLOSING in kinds:
            # Who has answered in any way (even to cancel since) is neither invited nor chased.
            answered = set(Registration.objects.filter(plenary=plenary).values_list("person_id", flat=True))
            unanswered = [pk for pk in _invited_ids(plenary) if pk not in answered]
        for kind in kinds:
            if kind in DATE_KINDS:
                due.append((plenary, kind, _registered_ids(plenary), plenary.sequence))
            else:
                due.append((plenary, kind, unanswered, 0))
    return due


def plan_reminders(
    now: datetime.datetime | None = None, *, stale_after: datetime.timedelta | None = None
) -> int:
    """Write the reminders due now and enqueue their e-mails, with those left unsent by an
    earlier run. Returns how many e-mails were enqueued. Running it again sends nothing
    already sent."""
    started = timezone.now()  # the clock created_at is written with, even when `now` is given
    with transaction.atomic():
        written = [
            pk
            for plenary, kind, person_ids, revision in due_reminders(now or started)
            for pk in _create(plenary, kind, person_ids, revision)
        ]
        return len(PlenaryNotificationHandler().plan(written, started=started, stale_after=stale_after))


# --- Sending -----------------------------------------------------------------------------------

SUBJECTS = {
    Kind.INVITATION: lambda c: _("%(plenary)s on %(day)s: registration is open") % c,
    Kind.CLOSING: lambda c: _("%(plenary)s on %(day)s: registration closes on %(closes)s") % c,
    Kind.WEEK: lambda c: (
        (
            _("%(plenary)s on %(day)s: see you in a week")
            if c["days_left"] >= 6
            else _("%(plenary)s on %(day)s: see you there")
        )
        % c
    ),
    Kind.EVE: lambda c: (
        (_("%(plenary)s today at %(time)s") if c["days_left"] <= 0 else _("%(plenary)s tomorrow at %(time)s"))
        % c
    ),
    Kind.OFFER: lambda c: _("%(plenary)s on %(day)s: a place has become free for you") % c,
    Kind.CANCELLED: lambda c: _("%(plenary)s on %(day)s is cancelled") % c,
}


class PlenaryNotificationHandler(Handler, model=PlenaryNotification, message_kind="plenary-notification"):
    """Plenaries' e-mails through the outbox: whether each is still due, and what it says
    (`build_message`)."""

    task_name = "plenaries.send_notification"
    related = ("plenary__chapter", "plenary__region", "person")

    def still_due(self, notification: PlenaryNotification, now: datetime.datetime) -> bool:
        """What was decided when the row was written may have changed since (the offer
        lapsed, the plenary moved): check again."""
        plenary, person, kind = notification.plenary, notification.person, notification.kind
        if kind == Kind.CANCELLED:
            return plenary.is_cancelled and notification.revision == plenary.sequence
        if plenary.is_cancelled or plenary.starts_at <= now:
            return False
        registration = Registration.objects.filter(plenary=plenary, person=person).first()
        if kind == Kind.OFFER:
            # Confirmed, declined or lapsed since, or offered again (its own e-mail): not this one.
            return (
                registration is not None
                and registration.state == RegistrationState.OFFERED
                and registration.offers == notification.revision
                and registration.offer_expires_at > now
            )
        if kind in DATE_KINDS:
            return (
                notification.revision == plenary.sequence
                and registration is not None
                and registration.state == RegistrationState.REGISTERED
            )
        if kind in (Kind.INVITATION, Kind.CLOSING):
            return (
                registration is None
                and now < plenary.registration_closes_at
                and eligibility(plenary, person) is not None
            )
        return False

    def build(self, notification: PlenaryNotification, now: datetime.datetime):
        return build_message(notification, now)


def _label(plenary: Plenary) -> str:
    return _("Regional plenary") if plenary.is_regional else _("Departmental plenary")


def _context(notification: PlenaryNotification, now: datetime.datetime) -> dict:
    """What the e-mail's templates show; call it with the recipient's language active.
    `days_left` counts calendar days in local time (TIME_ZONE): a reminder sent late (a
    plenary planned or moved at short notice) says « on Thursday », not « in a week »,
    and one sent the same morning says « today », not « tomorrow »."""
    plenary = notification.plenary
    start = timezone.localtime(plenary.starts_at)
    closes = timezone.localtime(plenary.registration_closes_at)
    registration = Registration.objects.filter(plenary=plenary, person=notification.person).first()
    context = {
        "notification": notification,
        "kind": notification.kind,
        "person": notification.person,
        "plenary": plenary,
        "label": _label(plenary),
        "chapter": plenary.chapter,
        "region": plenary.region,
        "plenary_url": plenary_url(plenary),
        "location": location(plenary),
        "program": list(plenary.program.select_related("network")),
        "date": date_format(start, "l j F Y"),
        "day": date_format(start, "j F"),
        "time": date_format(start, "H:i"),
        "end_time": date_format(timezone.localtime(plenary.ends_at), "H:i"),
        "closes_date": date_format(closes, "l j F"),
        "closes_time": date_format(closes, "H:i"),
        "registration": registration,
        "plus_one": bool(registration and registration.plus_one),
        "expires_date": "",
        "expires_time": "",
        "confirmation_hours": plenary.confirmation_hours,
        "days_left": (start.date() - timezone.localtime(now).date()).days,
    }
    if registration is not None and registration.offer_expires_at:
        expires = timezone.localtime(registration.offer_expires_at)
        context["expires_date"] = date_format(expires, "l j F")
        context["expires_time"] = date_format(expires, "H:i")
    return context


def build_message(notification: PlenaryNotification, now: datetime.datetime | None = None):
    """The notification's e-mail (HTML and text, in French, the .ics attached where useful)."""
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        context = _context(notification, now or timezone.now())
        subject = SUBJECTS[notification.kind](
            {
                "plenary": context["label"],
                "day": context["day"],
                "time": context["time"],
                "closes": context["closes_date"],
                "days_left": context["days_left"],
            }
        )
        attachments = ()
        if notification.kind in WITH_CALENDAR:
            method = "CANCEL" if notification.kind == Kind.CANCELLED else "PUBLISH"
            plenary = notification.plenary
            ics = calendar_bytes([plenary], method=method)
            attachments = (ical.attachment("pleniere", plenary.starts_at, ics, method=method),)
    template = f"plenaries/{notification.kind}"
    return PlenaryNotificationHandler().email(
        notification, template, context, subject=subject, language=language, attachments=attachments
    )


# The Celery task; called directly (tests, a shell), it sends at once and returns whether
# an e-mail left.
send_notification = PlenaryNotificationHandler.task
