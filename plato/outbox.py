"""Send once: the one outbox every e-mail of Plato goes through.

An e-mail that becomes due is a row, written in the transaction that makes it due (a
meeting moved, a cohort closed, an invoice issued, a reminder's day come). Each kind of
message has its table — a concrete model of `OutboxMessage`, whose unique constraint is
the "once": one row per person and event — and its `Handler`, which says what the
e-mail is (subject, context, attachments: `build`) and whether it is still due when the
worker gets to it (`still_due`). Everything else is here, written once:

- `Handler.enqueue_on_commit(ids)`: the rows' e-mails handed to Celery once the
  transaction commits, as one message whatever their number (plato.tasks), so a change
  that rolled back announces nothing and no request waits on the broker;
- `Handler.send(pk)`, run by the handler's Celery task: lock the row (`skip_locked`: a
  second task for the same row returns at once), check it is still due, send, and stamp
  `sent_at` in the same transaction. A mail server's refusal counts an attempt, keeps the
  error on the row and is raised for the task to retry later;
- `Handler.sweep()`, run by beat for every handler (`sweep_all`): rows still unsent a while
  after they were written lost their task (a worker killed, the broker flushed, the mail
  server down through the retries) and are handed over again, until the handler gives
  up on them, said loudly in the log once.

So a worker killed in the middle of a batch, then resumed, sends every e-mail exactly
once. (The one window left is a worker killed between the mail server's acceptance and
the commit, a few milliseconds: the e-mail would go again with the same Message-ID, which
mail clients merge; see plato.emails.message_id.)

A new kind of e-mail is a model and a handler, never a copy of this machinery (the shape
of ephios' notification handlers; the after-commit enqueue of pretix's
`TransactionAwareTask`). Handlers register themselves by subclassing; their module must be
imported by the app's `tasks.py` so the worker knows their task.
"""

import datetime
import logging
import re
from typing import ClassVar

from celery import shared_task
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plato.dates import PlausibleDateTimeField
from plato.emails import build_email
from plato.tasks import enqueue_each, enqueue_each_on_commit

logger = logging.getLogger(__name__)

# Every handler, by its task's name (filled as the handler classes are defined).
HANDLERS: dict[str, "Handler"] = {}


class OutboxMessage(models.Model):
    """One e-mail to send at most once. A concrete table adds who and what it is about,
    and the unique constraint that makes it "once"."""

    created_at = PlausibleDateTimeField(auto_now_add=True)
    sent_at = PlausibleDateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        abstract = True


class NotDue:
    """What becomes of a row found no longer due when its turn comes."""

    DELETE = "delete"  # forgotten: the event may come back and be told then (a meeting moved back)
    CLOSE = "close"  # stamped `sent_at` without sending: it will never be due again


class Handler:
    """One kind of e-mail. Subclasses set `model` and `task_name` and write `build`; they
    may write `still_due` and `after_send`, and tune the timings.

    Defining a subclass with a `task_name` registers it and makes its Celery task (the
    name is what beat and queued messages use: keep it stable).
    """

    model: ClassVar[type[OutboxMessage]]
    task_name: ClassVar[str]
    # The kind in the e-mails' Message-ID (`<kind>-<row id>.<created>@site`): keep it stable.
    message_kind: ClassVar[str]
    # select_related of the row when it is sent.
    related: ClassVar[tuple[str, ...]] = ()
    not_due: ClassVar[str] = NotDue.DELETE
    # A row unsent this long after it was written lost its task: the sweep hands it over again…
    stale_after: ClassVar[datetime.timedelta] = datetime.timedelta(minutes=10)
    # …until it is this old, or was tried this many times; then it is given up, said in the log.
    give_up_after: ClassVar[datetime.timedelta] = datetime.timedelta(days=2)
    max_attempts: ClassVar[int | None] = None
    # The task's retries after a mail server's refusal (OSError), with a growing delay.
    task_retries: ClassVar[int] = 5

    task = None  # the Celery task, made when the subclass is defined

    def __init_subclass__(cls, **declared):
        # The class statement may declare the handler's attributes as keywords:
        # `class NoticeHandler(Handler, model=Notice, task_name="app.send_notice", …)`.
        for name in [name for name in declared if hasattr(Handler, name) or name in Handler.__annotations__]:
            setattr(cls, name, declared.pop(name))
        super().__init_subclass__(**declared)
        if getattr(cls, "task_name", None) and cls.task_name not in HANDLERS:
            handler = cls()
            HANDLERS[cls.task_name] = handler
            cls.task = _make_task(handler)

    # --- What each kind of e-mail says ---------------------------------------------------------

    def ready(self, message: OutboxMessage) -> bool:
        """Whether the e-mail can be built now (an attachment it needs may not exist yet:
        it is left as it is, for later)."""
        return True

    def recipient(self, message: OutboxMessage):
        """The person the e-mail is for, when it is a person of Plato (`message.person`):
        one who left (inactive) or has no address any more is no longer written to."""
        return getattr(message, "person", None)

    def still_due(self, message: OutboxMessage, now: datetime.datetime) -> bool:
        """Whether the e-mail should still go: what made it due may have changed since."""
        return True

    def _due(self, message: OutboxMessage, now: datetime.datetime) -> bool:
        person = self.recipient(message)
        if person is not None and (not person.is_active or not person.email):
            return False
        return self.still_due(message, now)

    def build(self, message: OutboxMessage, now: datetime.datetime) -> EmailMessage:
        """The e-mail (plato.emails.build_email), with the row's Message-ID."""
        raise NotImplementedError

    def email(
        self, message: OutboxMessage, template: str, context: dict, *, subject: str, to=None, **options
    ):
        """`plato.emails.build_email` for this row: its Message-ID made of `message_kind` and
        the row; to `to` (addresses), by default to the recipient."""
        to = to or [self.recipient(message).email]
        return build_email(
            template, context, subject=subject, to=to, message_of=(self.message_kind, message), **options
        )

    def after_send(self, message: OutboxMessage, email: EmailMessage) -> None:
        """In the transaction that stamps `sent_at`, once the mail server took the e-mail."""

    # --- Enqueueing ----------------------------------------------------------------------------

    def enqueue_on_commit(self, ids) -> None:
        """Hand these rows' e-mails to the worker once the transaction commits."""
        enqueue_each_on_commit(self.task, ids)

    @property
    def label(self) -> str:
        """The row's kind in the log, in English: `PlenaryNotification` → « Plenary notification »."""
        return re.sub(r"(?<!^)(?=[A-Z])", " ", self.model.__name__).capitalize()

    def unsent(self):
        return self.model.objects.filter(sent_at__isnull=True)

    def stale_ids(
        self, started: datetime.datetime, stale_after: datetime.timedelta | None = None
    ) -> set[int]:
        """Rows unsent since before `started - stale_after` that are not given up yet."""
        stale_after = self.stale_after if stale_after is None else stale_after
        rows = self.unsent().filter(
            created_at__lte=started - stale_after, created_at__gt=started - self.give_up_after
        )
        if self.max_attempts is not None:
            rows = rows.filter(attempts__lt=self.max_attempts)
        return set(rows.values_list("pk", flat=True))

    def report_given_up(self, started: datetime.datetime) -> None:
        """Rows given up on since the last sweeps: said loudly, once (their `created_at`
        leaves this window by the next sweep)."""
        for pk, error in (
            self.unsent()
            .filter(
                created_at__lte=started - self.give_up_after,
                created_at__gt=started - self.give_up_after - datetime.timedelta(minutes=15),
            )
            .values_list("pk", "last_error")
        ):
            logger.error(
                "%s %s could not be sent in %s; given up (%s)",
                self.label,
                pk,
                self.give_up_after,
                error or "no error recorded",
            )

    def plan(
        self, ids, *, started: datetime.datetime, stale_after: datetime.timedelta | None = None
    ) -> list[int]:
        """For a planner, inside its transaction: the rows it just wrote (`ids`) and those a
        dead worker left since before `started - stale_after`, enqueued after the commit;
        rows given up on are reported. Returns the ids enqueued."""
        ids = sorted(set(ids) | self.stale_ids(started, stale_after))
        self.enqueue_on_commit(ids)
        self.report_given_up(started)
        return ids

    def sweep(self, *, stale_after: datetime.timedelta | None = None) -> int:
        """Hand over again the e-mails a dead worker or a lost message left unsent.
        Returns how many were handed over."""
        started = timezone.now()
        ids = sorted(self.stale_ids(started, stale_after))
        enqueue_each(self.task, ids)
        self.report_given_up(started)
        return len(ids)

    # --- Sending -------------------------------------------------------------------------------

    def send(self, pk: int) -> bool:
        """Send the row's e-mail unless it was sent already, another worker holds it, or it
        is no longer due. Returns whether an e-mail left.

        The row stays locked while the mail server takes the e-mail and `sent_at` is
        stamped in the same transaction: a second task for the same row finds it sent.
        """
        now = timezone.now()
        failure = None
        with transaction.atomic():
            rows = self.model.objects.select_for_update(skip_locked=True, of=("self",))
            if self.related:
                rows = rows.select_related(*self.related)
            message = rows.filter(pk=pk, sent_at__isnull=True).first()
            if message is None or not self.ready(message):
                return False
            if not self._due(message, now):
                logger.info("%s %s is no longer due: dropped", self.label, pk)
                if self.not_due == NotDue.DELETE:
                    message.delete()
                else:
                    message.sent_at = timezone.now()
                    message.save(update_fields=["sent_at"])
                return False
            message.attempts += 1
            try:
                email = self.build(message, now)
                email.send()
            except Exception as error:  # the mail server (OSError, SMTPException) or a bug: counted, raised
                failure = error
                message.last_error = f"{type(error).__name__}: {error}"[:2000]
                message.save(update_fields=["attempts", "last_error"])
            else:
                message.sent_at = timezone.now()
                message.last_error = ""
                message.save(update_fields=["attempts", "sent_at", "last_error"])
                self.after_send(message, email)
        if failure is not None:
            logger.warning(
                "%s %s not sent (attempt %s): %s",
                self.label,
                pk,
                message.attempts,
                message.last_error,
            )
            raise failure
        return True


def _make_task(handler: Handler):
    def send(pk: int) -> bool:
        return handler.send(pk)

    send.__name__ = send.__qualname__ = handler.task_name.rpartition(".")[2]
    send.__module__ = type(handler).__module__
    send.__doc__ = f"Send one {handler.model.__name__}'s e-mail once (plato.outbox)."
    return shared_task(
        name=handler.task_name,
        autoretry_for=(OSError,),  # the mail server refused or was unreachable: try again later
        retry_backoff=60,
        retry_backoff_max=3600,
        retry_jitter=True,
        max_retries=handler.task_retries,
    )(send)


def sweep_all() -> int:
    """Every handler's sweep (beat, every five minutes). Returns how many were handed over."""
    return sum(handler.sweep() for handler in HANDLERS.values())


@shared_task(name="plato.sweep_outbox")
def sweep_outbox() -> int:
    return sweep_all()
