"""Celery tasks of groups: thin, by id."""

import logging

from celery import shared_task
from django.core.exceptions import ValidationError
from django.utils import timezone

from groups.enums import CohortState
from groups.models import Cohort
from groups.services import candidates, cohorts

logger = logging.getLogger(__name__)


@shared_task(
    name="groups.acknowledge_application",
    autoretry_for=(OSError,),  # the mail server refused or was unreachable: try again later
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=5,
)
def acknowledge_application(candidate_id: int) -> bool:
    return candidates.acknowledge_application(candidate_id)


@shared_task(name="groups.sweep_acknowledgements")
def sweep_acknowledgements() -> int:
    """Run by Celery beat: acknowledgements of applications left unsent go back to their task."""
    return candidates.sweep_acknowledgements()


@shared_task(name="groups.close_ended_cohorts")
def close_ended_cohorts() -> int:
    """Run daily by Celery beat: active cohorts whose end date has passed are closed, as of
    their end date, by no one (`actor` None), each in its own transaction so that one
    failing leaves the others closed. A cohort closed meanwhile (by a coordinator, or by
    another run) is left as it is. Returns how many were closed."""
    today = timezone.localdate()
    ids = list(
        Cohort.objects.filter(state=CohortState.ACTIVE, end_date__lt=today)
        .order_by("end_date", "pk")
        .values_list("pk", flat=True)
    )
    closed = 0
    for pk in ids:
        cohort = Cohort.objects.filter(pk=pk).first()
        if cohort is None:
            continue
        try:
            cohorts.close_cohort(cohort, actor=None, closed_on=cohort.end_date)  # atomic on its own
        except ValidationError:
            continue  # no longer active: closed meanwhile
        except Exception:
            logger.exception("Cohort %s could not be closed; the next run tries again", pk)
            continue
        closed += 1
    if closed:
        logger.info("%s cohort(s) closed at the end of their programme", closed)
    return closed
