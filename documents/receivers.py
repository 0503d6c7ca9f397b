"""What documents does when something happens in groups (groups/signals.py)."""

from django.dispatch import receiver

from documents.services import plan_certificate_emails
from groups.signals import cohort_closed


@receiver(cohort_closed)
def _send_the_certificates(sender, cohort, alumni_ids, **kwargs):
    # Planned in the closing transaction, sent after its commit (each alumni once).
    plan_certificate_emails(alumni_ids)
