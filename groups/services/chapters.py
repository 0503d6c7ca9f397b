"""Writes about a chapter: its settings."""

from django.db import transaction

from groups.models import Chapter


@transaction.atomic
def update_chapter_settings(chapter: Chapter, *, actor) -> Chapter:
    """Validate every setting and the chapter's constraints, then save."""
    chapter.full_clean()
    chapter.save()
    return chapter
