"""RSVPs: whether a member, sponsor or facilitator comes to a meeting, and the e-mail's signed link.

One answer per person and meeting (a unique constraint): answering again updates it,
so a double click, a replayed link or two simultaneous requests leave one row.

The e-mail carries two links (yes, no) that need no password: each is signed with
SECRET_KEY for one meeting, one person and one answer, so it cannot be turned into
another person's or another meeting's answer. A link works until the meeting ends and
only while its person is still expected there (a member who left the cohort, a sponsor
whose sponsorship ended, a cancelled meeting: refused). Opening it records the answer
for the link's person; it never signs anybody in.
"""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.enums import MembershipState
from groups.models import Membership, Sponsorship
from meetings.enums import RsvpAnswer, RsvpChannel
from meetings.models import Meeting, Rsvp
from members.models import User

RSVP_SALT = "meetings.rsvp"
COMMENT_MAX_LENGTH = Rsvp._meta.get_field("comment").max_length


def is_expected(meeting: Meeting, person) -> bool:
    """The people a meeting waits for: the cohort's active members, current sponsors and facilitators."""
    if not getattr(person, "is_authenticated", False) or not person.is_active:
        return False
    cohort_id = meeting.cohort_id
    return (
        Membership.objects.filter(cohort_id=cohort_id, person=person, state=MembershipState.ACTIVE).exists()
        or Sponsorship.objects.filter(cohort_id=cohort_id, person=person, ended_on__isnull=True).exists()
        or meeting.cohort.facilitators.filter(pk=person.pk).exists()
    )


def answer_rsvp(
    meeting: Meeting,
    person,
    *,
    answer: str,
    comment: str | None = None,
    channel: str = RsvpChannel.APP,
) -> Rsvp:
    """Record `person`'s answer for `meeting` and return the row; answering again updates it.

    `comment=None` keeps the comment already given (the one-click link does that);
    a string, even empty, replaces it. Refused with a ValidationError when the meeting
    is cancelled or over, or when the person is not expected there. Sends nothing.
    """
    if answer not in RsvpAnswer.values:
        raise ValidationError(_("Answer yes or no."), code="invalid_answer")
    if comment is not None and len(comment.strip()) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            _("Keep the comment under %(limit)d characters.") % {"limit": COMMENT_MAX_LENGTH},
            code="comment_too_long",
        )
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled: there is no answer to give."), code="cancelled")
    if meeting.ends_at <= timezone.now():
        raise ValidationError(_("This meeting is over: answers are closed."), code="over")
    if not is_expected(meeting, person):
        raise ValidationError(
            _("Only the cohort's members, sponsors and facilitators answer for its meetings."),
            code="not_expected",
        )

    values = {"answer": answer, "channel": channel}
    if comment is not None:
        values["comment"] = comment.strip()
    # update_or_create locks the row and re-reads it when a simultaneous insert wins the
    # race; should the insert still collide, the second try finds the row (the unique
    # constraint is the judge, never the user).
    try:
        return _save_rsvp(meeting, person, values)
    except IntegrityError:
        return _save_rsvp(meeting, person, values)


def _save_rsvp(meeting: Meeting, person, values: dict) -> Rsvp:
    with transaction.atomic():
        rsvp, _created = Rsvp.objects.update_or_create(meeting=meeting, person=person, defaults=values)
    return rsvp


# The signed link ----------------------------------------------------------------------


class RsvpLinkError(Exception):
    """A link that cannot record an answer. `meeting` is known unless the link was tampered with."""

    status = 410
    reason = "refused"

    def __init__(self, message: str = "", *, meeting: Meeting | None = None, reason: str | None = None):
        super().__init__(message or self.reason)
        self.meeting = meeting
        if reason:
            self.reason = reason


class RsvpLinkTampered(RsvpLinkError):
    """Not a link we signed: altered, cut by a mail client, or signed for another purpose."""

    status = 400
    reason = "tampered"


class RsvpLinkExpired(RsvpLinkError):
    """The meeting is over."""

    reason = "expired"


class RsvpLinkRefused(RsvpLinkError):
    """A genuine link that no longer applies: reason "cancelled", "not_expected" or "gone"."""


def _signer() -> signing.Signer:
    return signing.Signer(salt=RSVP_SALT)


def rsvp_link_token(meeting: Meeting, person, answer: str) -> str:
    """A token like "42.7.yes:<signature>": meeting id, person id, answer, signed with SECRET_KEY."""
    if answer not in RsvpAnswer.values:
        raise ValueError(f"not an RSVP answer: {answer!r}")
    return _signer().sign(f"{meeting.pk}.{person.pk}.{answer}")


def read_rsvp_token(token: str) -> tuple[Meeting, User, str]:
    """The meeting, person and answer a token stands for, if it may still record that answer.

    Raises RsvpLinkTampered (bad signature or payload), RsvpLinkExpired (the meeting has
    ended, by `timezone.now()`), or RsvpLinkRefused (meeting cancelled or deleted, person
    gone or no longer expected at the meeting).
    """
    try:
        payload = _signer().unsign(token)
    except signing.BadSignature as error:
        raise RsvpLinkTampered from error
    try:
        meeting_id, person_id, answer = payload.split(".")
        meeting_id, person_id = int(meeting_id), int(person_id)
    except ValueError as error:  # signed by us but not a payload of ours
        raise RsvpLinkTampered from error
    if answer not in RsvpAnswer.values:
        raise RsvpLinkTampered

    meeting = Meeting.objects.select_related("cohort__chapter").filter(pk=meeting_id).first()
    if meeting is None:
        raise RsvpLinkRefused(reason="gone")
    if meeting.ends_at <= timezone.now():
        raise RsvpLinkExpired(meeting=meeting)
    if meeting.is_cancelled:
        raise RsvpLinkRefused(meeting=meeting, reason="cancelled")
    person = User.objects.filter(pk=person_id).first()
    if person is None or not is_expected(meeting, person):
        raise RsvpLinkRefused(meeting=meeting, reason="not_expected")
    return meeting, person, answer


def rsvp_url(meeting: Meeting, person, answer: str) -> str:
    """The absolute one-click link for e-mails (SITE_URL + the link's path)."""
    path = reverse("meetings:rsvp_link", kwargs={"token": rsvp_link_token(meeting, person, answer)})
    return settings.SITE_URL.rstrip("/") + path
