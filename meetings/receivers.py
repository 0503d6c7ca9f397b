"""What meetings does when something happens in groups (groups/signals.py): groups builds
nothing above it, so a chapter's themes and a cohort's schedule are set up here."""

from django.dispatch import receiver

from groups.signals import chapter_created, cohort_started
from meetings.services import ensure_default_themes, generate_schedule


@receiver(chapter_created)
def _give_the_usual_themes(sender, chapter, **kwargs):
    ensure_default_themes(chapter)


@receiver(cohort_started)
def _schedule_the_meetings(sender, cohort, actor, **kwargs):
    # In the starting transaction: a schedule that cannot be generated refuses the start.
    generate_schedule(cohort, actor=actor)
