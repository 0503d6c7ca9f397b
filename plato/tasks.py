"""Handing work to Celery without ever making a request wait on the broker.

Every enqueue of the app goes through these functions (tests/plato/test_tasks.py fails on
a `.delay(` or `.apply_async(` anywhere else):

- `enqueue_on_commit(task, *args)`: one task, sent once the transaction commits (nothing
  is sent for a change that rolled back);
- `enqueue_each_on_commit(task, ids)`: a fan-out (an e-mail per person, a PDF per
  invoice) sent as ONE message, whatever the number of rows: the worker's `plato.fan_out`
  then hands each id to `task`. The request pays for one publish, never for fourteen;
- `enqueue(task, *args)` and `enqueue_each(task, ids)`: the same at once, for beat's
  sweeps and for tasks, which run outside any request.

None of them raises, and none waits long. The broker's timeouts are short and its publish
is retried once (settings: CELERY_BROKER_TRANSPORT_OPTIONS, CELERY_TASK_PUBLISH_RETRY_POLICY);
there is no result backend to subscribe to. A broker that does not take the message is
logged and the request goes on: what the task would have done is still due in its rows
(they are the outbox, written in the transaction that made them due), and the beat sweep
of that kind of row hands it over again once the broker is back (see the sweeps in
docs/architecture.md, "Background work").

In embedded mode (no REDIS_URL, tasks run inline) an exception of the task itself (a mail
server refusing) is logged and swallowed the same way: its row stays due for the sweep,
and the change that was committed is never answered with an error page.
"""

import logging
from collections.abc import Iterable
from functools import partial

from celery import current_app, shared_task
from django.db import transaction

logger = logging.getLogger(__name__)


def _task(task):
    """A task, or a task's name: a service enqueues by name the tasks of its own app (their
    module imports the service, so the service may not import it: tasks are leaves)."""
    return current_app.tasks[task] if isinstance(task, str) else task


def enqueue(task, *args) -> bool:
    """Hand `task(*args)` (a task or its name) to the broker now. False (and a warning in
    the log) when the broker did not take it, or, inline, when the task failed."""
    task = _task(task)
    try:
        task.apply_async(args=args)
    except Exception:
        logger.warning(
            "Task %s(%s) not handed over (broker unreachable, or inline run failed); "
            "the rows it would handle stay due for their sweep",
            task.name,
            ", ".join(map(repr, args)),
            exc_info=True,
        )
        return False
    return True


def enqueue_each(task, ids: Iterable[int]) -> bool:
    """`task(id)` for each id, sent as one message (a single id is sent as itself)."""
    ids = list(ids)
    if not ids:
        return True
    task = _task(task)
    if len(ids) == 1:
        return enqueue(task, ids[0])
    return enqueue(fan_out, task.name, ids)


def enqueue_on_commit(task, *args) -> None:
    """`enqueue(task, *args)` once the current transaction commits."""
    transaction.on_commit(partial(enqueue, task, *args), robust=True)


def enqueue_each_on_commit(task, ids: Iterable[int]) -> None:
    """`enqueue_each(task, ids)` once the current transaction commits."""
    ids = list(ids)
    if ids:
        transaction.on_commit(partial(enqueue_each, task, ids), robust=True)


@shared_task(name="plato.fan_out")
def fan_out(task_name: str, ids: list[int]) -> int:
    """In the worker: one message per id for `task_name`, so that each row is sent, retried
    and acknowledged on its own (and by several workers at once). Returns how many were
    handed over; one the broker refuses stays due for its sweep."""
    task = current_app.tasks[task_name]
    return sum(enqueue(task, pk) for pk in ids)
