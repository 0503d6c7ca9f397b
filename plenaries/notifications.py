"""The e-mails plenaries send, each at most once to each person.

Same design as meetings.notifications: a `PlenaryNotification` row (unique per kind,
plenary, person and revision) is written in the transaction of what makes it due; its
`send_notification` task is enqueued after the commit, locks the row, checks the e-mail
is still due, sends it and stamps `sent_at`. Rows left unsent by a dead worker are
enqueued again by the next planner run.
"""

import logging

from django.db import transaction

from plenaries.models import Plenary, PlenaryNotification

logger = logging.getLogger(__name__)


def _enqueue(ids: list[int]) -> None:
    """Hand each e-mail to Celery; a broker that cannot take one leaves the row for the
    next planner run, never an error page for the change that was committed."""
    from plenaries.tasks import send_notification

    for pk in ids:
        try:
            send_notification.delay(pk)
        except Exception:
            logger.warning(
                "Plenary notification %s not enqueued; the next planner run retries it", pk, exc_info=True
            )


def _on_commit_enqueue(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(lambda: _enqueue(ids), robust=True)


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
    _on_commit_enqueue(_create(plenary, kind, list(person_ids), revision))
