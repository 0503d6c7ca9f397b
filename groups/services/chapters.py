"""Writes about a chapter: its creation (network administrators, in the admin) and its settings."""

from django.db import transaction

from groups.models import Chapter
from groups.signals import chapter_created


@transaction.atomic
def create_chapter(chapter: Chapter, *, actor) -> Chapter:
    """Save a new chapter (validated by the admin's form) and send `chapter_created` in the
    transaction: the apps built on groups give it what a chapter starts with (meetings: the
    usual catalogue of themes, meetings/receivers.py)."""
    chapter.save()
    chapter_created.send(sender=Chapter, chapter=chapter, actor=actor)
    return chapter


@transaction.atomic
def update_chapter_settings(chapter: Chapter, *, actor) -> Chapter:
    """Validate every setting and the chapter's constraints, then save."""
    chapter.full_clean()
    chapter.save()
    return chapter
