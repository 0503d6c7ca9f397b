"""The schedule of a cohort and its changes: themes, the generated meetings, a meeting
added, moved, changed or cancelled (the only writes of its date, place and state: the
calendars and e-mails that must follow hang on them)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from groups.enums import CohortState
from groups.models import Chapter, Cohort
from meetings import notifications, permissions
from meetings.enums import (
    DEFAULT_THEMES,
    MeetingState,
    NotificationKind,
    TopicState,
    VenueKind,
)
from meetings.models import (
    ChapterTheme,
    Meeting,
    Topic,
)
from meetings.schedule import local, meeting_days, vote_window


def ensure_default_themes(chapter: Chapter) -> None:
    """A new chapter starts with the usual catalogue of themes."""
    for position, name in enumerate(DEFAULT_THEMES):
        ChapterTheme.objects.get_or_create(chapter=chapter, name=name, defaults={"position": position})


@transaction.atomic
def generate_schedule(cohort: Cohort, *, actor=None) -> list[Meeting]:
    """The cohort's meetings for its two years, from the chapter's settings. Idempotent:
    a cohort that already has meetings keeps them."""
    if cohort.start_date is None or cohort.end_date is None:
        raise ValidationError(_("Set the cohort's start date before generating its meetings."))
    if cohort.meetings.exists():
        return list(cohort.meetings.all())
    chapter = Chapter.objects.get(pk=cohort.chapter_id)  # its settings as stored, not as an object in memory
    meetings, previous_end = [], None
    for day in meeting_days(chapter, cohort.start_date, cohort.end_date):
        starts_at = local(day, chapter.meeting_start_time)
        ends_at = local(day, chapter.meeting_end_time)
        opens_at, closes_at = vote_window(chapter, starts_at, previous_end)
        meetings.append(
            Meeting(
                cohort=cohort,
                starts_at=starts_at,
                ends_at=ends_at,
                venue_kind=VenueKind.CCI,
                venue_name=chapter.cci_name,
                venue_address=chapter.issuer_address,
                venue_postcode=chapter.issuer_postcode,
                venue_town=chapter.issuer_town,
                vote_opens_at=opens_at,
                vote_closes_at=closes_at,
            )
        )
        previous_end = ends_at
    return Meeting.objects.bulk_create(meetings)


def _refuse_if_started(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."))
    if meeting.starts_at <= timezone.now():
        raise ValidationError(_("This meeting has started: it can no longer be changed or cancelled."))


def _check_times(
    cohort_id: int, starts_at: datetime.datetime, ends_at: datetime.datetime, *, exclude_pk=None
) -> None:
    """A meeting ends after it starts, in the future, and not during another of the cohort's."""
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("A meeting ends after it starts.")})
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Choose a date and time in the future.")})
    overlapping = (
        Meeting.objects.filter(
            cohort_id=cohort_id,
            state=MeetingState.SCHEDULED,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        )
        .exclude(pk=exclude_pk)
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "starts_at": _("The cohort already has a meeting at that time, on %(date)s.")
                % {"date": date_format(timezone.localtime(overlapping.starts_at), "j F Y")}
            }
        )


def _previous_end(cohort_id: int, starts_at: datetime.datetime, *, exclude_pk=None):
    previous = (
        Meeting.objects.filter(cohort_id=cohort_id, starts_at__lt=starts_at, state=MeetingState.SCHEDULED)
        .exclude(pk=exclude_pk)
        .order_by("-starts_at")
        .first()
    )
    return previous.ends_at if previous else None


def _follow_on(meeting: Meeting) -> None:
    """The next meeting's vote opens when this one ends: a vote opening earlier is recomputed
    (a vote already closed is left alone: its agenda may be set)."""
    following = (
        Meeting.objects.select_for_update()
        .filter(cohort_id=meeting.cohort_id, state=MeetingState.SCHEDULED, starts_at__gt=meeting.starts_at)
        .exclude(pk=meeting.pk)
        .order_by("starts_at")
        .first()
    )
    if following is None or following.vote_opens_at >= meeting.ends_at:
        return
    if following.vote_closes_at <= timezone.now():
        return
    following.vote_opens_at, following.vote_closes_at = vote_window(
        meeting.cohort.chapter, following.starts_at, meeting.ends_at
    )
    following.save(update_fields=["vote_opens_at", "vote_closes_at", "updated_at"])


@transaction.atomic
def add_meeting(
    cohort: Cohort,
    *,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    venue_kind: str,
    venue_name: str = "",
    venue_address: str = "",
    venue_postcode: str = "",
    venue_town: str = "",
    speaker_name: str = "",
    speaker_organisation: str = "",
    speaker_subject: str = "",
    actor,
) -> Meeting:
    """One more meeting in a forming or active cohort's schedule. Its vote opens when the
    previous meeting ends; the next meeting's vote then opens when this one ends. Everyone
    the cohort's meetings concern gets it by e-mail with its .ics (after the commit)."""
    cohort = Cohort.objects.select_for_update().select_related("chapter").get(pk=cohort.pk)
    if not permissions.can_run_meetings_of(actor, cohort):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator changes its meetings."))
    if cohort.state not in (CohortState.FORMING, CohortState.ACTIVE):
        raise ValidationError(_("This cohort is closed: no meeting can be added."))
    _check_times(cohort.pk, starts_at, ends_at)
    opens_at, closes_at = vote_window(cohort.chapter, starts_at, _previous_end(cohort.pk, starts_at))
    meeting = Meeting(
        cohort=cohort,
        starts_at=starts_at,
        ends_at=ends_at,
        venue_kind=venue_kind,
        venue_name=venue_name.strip(),
        venue_address=venue_address.strip(),
        venue_postcode=venue_postcode.strip(),
        venue_town=venue_town.strip(),
        speaker_name=speaker_name.strip(),
        speaker_organisation=speaker_organisation.strip(),
        speaker_subject=speaker_subject.strip(),
        vote_opens_at=opens_at,
        vote_closes_at=closes_at,
    )
    meeting.full_clean()
    meeting.save()
    _follow_on(meeting)
    notifications.notify_participants(meeting, NotificationKind.MEETING_ADDED, revision=meeting.sequence)
    return meeting


@transaction.atomic
def move_meeting(
    meeting: Meeting,
    *,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    venue_kind: str,
    venue_name: str,
    venue_address: str,
    venue_postcode: str,
    venue_town: str,
    actor,
) -> Meeting:
    """A new date or place for a meeting that has not started: its vote window follows (and
    the next meeting's if this one now ends after it opens), its calendar SEQUENCE rises,
    and everyone it concerns gets the new date by e-mail with the updated .ics. A new day
    clears the answers given for the old one."""
    # The cohort's row first, as add_meeting does: two changes at once cannot both pass
    # the overlap check.
    Cohort.objects.select_for_update().filter(pk=meeting.cohort_id).first()
    meeting = Meeting.objects.select_for_update().select_related("cohort__chapter").get(pk=meeting.pk)
    if not permissions.can_run_meeting(actor, meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator changes a meeting."))
    _refuse_if_started(meeting)
    _check_times(meeting.cohort_id, starts_at, ends_at, exclude_pk=meeting.pk)
    if timezone.localdate(starts_at) != timezone.localdate(meeting.starts_at):
        # Who comes on the old day says nothing of the new one: the notice asks again.
        meeting.rsvps.all().delete()
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.vote_opens_at, meeting.vote_closes_at = vote_window(
        meeting.cohort.chapter, starts_at, _previous_end(meeting.cohort_id, starts_at, exclude_pk=meeting.pk)
    )
    meeting.venue_kind, meeting.venue_name = venue_kind, venue_name.strip()
    meeting.venue_address, meeting.venue_postcode = venue_address.strip(), venue_postcode.strip()
    meeting.venue_town = venue_town.strip()
    meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    _follow_on(meeting)
    notifications.notify_participants(meeting, NotificationKind.MEETING_MOVED, revision=meeting.sequence)
    return meeting


@transaction.atomic
def update_speaker(
    meeting: Meeting, *, speaker_name: str, speaker_organisation: str, speaker_subject: str, actor
) -> Meeting:
    """The meeting's external speaker (empty: none). Calendars do not carry the speaker, so
    the SEQUENCE stays as it is."""
    meeting = Meeting.objects.select_for_update().select_related("cohort__chapter").get(pk=meeting.pk)
    if not permissions.can_run_meeting(actor, meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator changes a meeting."))
    _refuse_if_started(meeting)
    meeting.speaker_name = speaker_name.strip()
    meeting.speaker_organisation = speaker_organisation.strip()
    meeting.speaker_subject = speaker_subject.strip()
    meeting.full_clean()
    meeting.save(update_fields=["speaker_name", "speaker_organisation", "speaker_subject", "updated_at"])
    return meeting


PLACE_FIELDS = ("venue_kind", "venue_name", "venue_address", "venue_postcode", "venue_town")


SPEAKER_FIELDS = ("speaker_name", "speaker_organisation", "speaker_subject")


@transaction.atomic
def change_meeting(meeting: Meeting, *, actor, **values) -> Meeting:
    """The edit page's one call: `move_meeting` when the date or place changed, `update_speaker`
    when the speaker did, nothing when nothing did. `values`: starts_at, ends_at, the
    PLACE_FIELDS and the SPEAKER_FIELDS."""
    meeting = Meeting.objects.select_related("cohort__chapter").get(pk=meeting.pk)
    if not permissions.can_run_meeting(actor, meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator changes a meeting."))
    _refuse_if_started(meeting)
    when_and_where = ("starts_at", "ends_at", *PLACE_FIELDS)
    if any(_cleaned(values[name]) != getattr(meeting, name) for name in when_and_where):
        meeting = move_meeting(meeting, actor=actor, **{name: values[name] for name in when_and_where})
    if any(_cleaned(values[name]) != getattr(meeting, name) for name in SPEAKER_FIELDS):
        meeting = update_speaker(meeting, actor=actor, **{name: values[name] for name in SPEAKER_FIELDS})
    return meeting


def _cleaned(value):
    return value.strip() if isinstance(value, str) else value


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, reason: str, actor) -> Meeting:
    """The meeting will not take place; its agenda's topics go back to the backlog and
    everyone it concerns is told, with the .ics that removes it from their calendar."""
    meeting = Meeting.objects.select_for_update().select_related("cohort__chapter").get(pk=meeting.pk)
    if not permissions.can_run_meeting(actor, meeting):
        raise ValidationError(_("Only the cohort's facilitator or a coordinator changes a meeting."))
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is already cancelled."))
    _refuse_if_started(meeting)
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Say why the meeting is cancelled: it is shown on the meeting page.")}
        )
    Topic.objects.filter(agenda_items__meeting=meeting, state=TopicState.SCHEDULED).update(
        state=TopicState.OPEN
    )
    meeting.agenda_items.all().delete()
    meeting.state = MeetingState.CANCELLED
    meeting.cancel_reason = reason.strip()
    meeting.sequence += 1
    meeting.save(update_fields=["state", "cancel_reason", "sequence", "updated_at"])
    notifications.notify_participants(meeting, NotificationKind.MEETING_CANCELLED, revision=meeting.sequence)
    return meeting
