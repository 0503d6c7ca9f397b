"""Celery tasks of groups: thin, by id."""

from celery import shared_task

from groups import services


@shared_task(
    name="groups.acknowledge_application",
    autoretry_for=(OSError,),  # the mail server refused or was unreachable: try again later
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=5,
)
def acknowledge_application(candidate_id: int) -> bool:
    return services.acknowledge_application(candidate_id)
