"""What follows a meeting: its documents and the members' roadmap (action items)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import permissions
from meetings.models import (
    ActionItem,
    Meeting,
    MeetingDocument,
)


@transaction.atomic
def add_document(meeting: Meeting, *, title: str, file, actor) -> MeetingDocument:
    """A file for the meeting's participants (its type and size are checked by the model's
    validators); the title defaults to the file's name."""
    meeting = Meeting.objects.select_related("cohort__chapter").get(pk=meeting.pk)
    if not permissions.can_run_meeting(actor, meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator shares documents."))
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."))
    title = title.strip() or file.name.rsplit("/", 1)[-1].rsplit(".", 1)[0][:150]
    document = MeetingDocument(meeting=meeting, title=title, file=file, uploaded_by=actor)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def delete_document(document: MeetingDocument, *, actor) -> None:
    """The row goes now; the file goes once the deletion is committed."""
    if not permissions.can_run_meeting(actor, document.meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator removes documents."))
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def add_action_item(meeting: Meeting, *, person, text: str, actor) -> ActionItem:
    """After a meeting, the facilitator writes down a step a member committed to."""
    if not permissions.can_run_meeting(actor, meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator records the roadmap."))
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("The meeting has not taken place yet."))
    if not permissions.is_active_member(person, meeting.cohort_id):
        raise ValidationError({"person": _("Choose a member of the cohort.")})
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": _("Write the action down.")})
    item = ActionItem(meeting=meeting, person=person, text=text)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def add_action_items(meeting: Meeting, *, person, texts: list[str], actor) -> list[ActionItem]:
    """Several actions for one member at once (one line each): all of them, or none."""
    return [add_action_item(meeting, person=person, text=text, actor=actor) for text in texts]


def set_action_item_done(item: ActionItem, *, done: bool, actor) -> ActionItem:
    """The member ticks their action (or unticks it); the cohort's staff may too."""
    if item.person_id != actor.pk and not permissions.can_run_meeting(actor, item.meeting):
        raise ValidationError(_("Only the member or the cohort's facilitator ticks an action."))
    item.done = done
    item.save(update_fields=["done"])
    return item


def delete_action_item(item: ActionItem, *, actor) -> None:
    if not permissions.can_run_meeting(actor, item.meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator records the roadmap."))
    item.delete()
