"""The agenda after the vote, an urgent topic, and the attendance and minutes after the
meeting (with the absence alerts they may raise)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.enums import MembershipState
from groups.models import Membership
from meetings import notifications, permissions
from meetings.enums import (
    AttendanceStatus,
    NotificationKind,
    TopicState,
)
from meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    Topic,
)
from meetings.selectors import absence_alerts, vote_is_closed

MAX_AGENDA_TOPICS = 2


@transaction.atomic
def confirm_agenda(meeting: Meeting, topics: list[Topic], *, actor) -> Meeting:
    """The facilitator puts 1 or 2 topics on the agenda, after the vote's close."""
    meeting = Meeting.objects.select_for_update().select_related("cohort__chapter").get(pk=meeting.pk)
    if not permissions.can_run_meeting(actor, meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator sets the agenda."))
    if not vote_is_closed(meeting):
        raise ValidationError(_("The agenda is set after the vote's close."))
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."))
    if not 1 <= len(topics) <= MAX_AGENDA_TOPICS:
        raise ValidationError(_("Choose one or two topics for the agenda."))
    if any(topic.cohort_id != meeting.cohort_id or topic.state != TopicState.OPEN for topic in topics):
        raise ValidationError(_("Choose topics of the cohort's backlog."))
    for item in meeting.agenda_items.select_related("topic"):
        Topic.objects.filter(pk=item.topic_id, state=TopicState.SCHEDULED).update(state=TopicState.OPEN)
    meeting.agenda_items.all().delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, topic=topic, position=position) for position, topic in enumerate(topics)
    )
    Topic.objects.filter(pk__in=[topic.pk for topic in topics]).update(state=TopicState.SCHEDULED)
    meeting.agenda_confirmed_at = timezone.now()
    meeting.urgent_reason = ""
    meeting.save(update_fields=["agenda_confirmed_at", "urgent_reason", "updated_at"])
    return meeting


@transaction.atomic
def set_urgent_topic(meeting: Meeting, *, reason: str, actor) -> Meeting:
    """A member's urgent problem takes the meeting: the agenda's topics go back to the
    backlog for the next votes, the reason is kept on the meeting, and everyone the
    meeting concerns is told by e-mail (after the commit)."""
    meeting = Meeting.objects.select_for_update().select_related("cohort__chapter").get(pk=meeting.pk)
    if not permissions.can_run_meeting(actor, meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator sets the agenda."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the urgent problem is about: the members are told.")})
    if meeting.ends_at <= timezone.now():
        raise ValidationError(_("This meeting is over."))
    topic_ids = list(meeting.agenda_items.values_list("topic_id", flat=True))
    Topic.objects.filter(pk__in=topic_ids, state=TopicState.SCHEDULED).update(state=TopicState.OPEN)
    meeting.agenda_items.all().delete()
    meeting.urgent_reason = reason.strip()
    meeting.agenda_confirmed_at = timezone.now()
    meeting.save(update_fields=["urgent_reason", "agenda_confirmed_at", "updated_at"])
    notifications.notify_participants(meeting, NotificationKind.URGENT_TOPIC, revision=meeting.sequence)
    return meeting


@transaction.atomic
def mark_agenda_treated(meeting: Meeting, *, actor) -> None:
    """After the meeting, its agenda's topics are done, with the meeting that treated them."""
    if not permissions.can_run_meeting(actor, meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator records the meeting."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("The meeting has not taken place yet."))
    Topic.objects.filter(agenda_items__meeting=meeting, state=TopicState.SCHEDULED).update(
        state=TopicState.DONE, meeting=meeting
    )


@transaction.atomic
def record_attendance(meeting: Meeting, statuses: dict[int, str], *, minutes: str, actor) -> Meeting:
    """After the meeting, the facilitator records who came (present, excused, absent) and the
    minutes; the agenda's topics are then treated. Recording again corrects the record.
    Members over the chapter's absence limit who missed this meeting are reported to
    the cohort's facilitators by e-mail, once per meeting."""
    meeting = Meeting.objects.select_for_update().select_related("cohort__chapter").get(pk=meeting.pk)
    if not permissions.can_run_meeting(actor, meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator records the meeting."))
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("The meeting has not taken place yet."))
    expected = set(
        Membership.objects.filter(cohort_id=meeting.cohort_id, state=MembershipState.ACTIVE).values_list(
            "person_id", flat=True
        )
    )
    if set(statuses) != expected:
        raise ValidationError(_("Record every member of the cohort, and only them."))
    valid = set(AttendanceStatus.values)
    if any(status not in valid for status in statuses.values()):
        raise ValidationError(_("Choose present, excused or absent for each member."))
    for person_id, status in statuses.items():
        Attendance.objects.update_or_create(meeting=meeting, person_id=person_id, defaults={"status": status})
    meeting.minutes = minutes.strip()
    meeting.attendance_taken_at = timezone.now()
    meeting.save(update_fields=["minutes", "attendance_taken_at", "updated_at"])
    mark_agenda_treated(meeting, actor=actor)
    notifications.notify_absences(meeting, absence_alerts(meeting.cohort))
    return meeting
