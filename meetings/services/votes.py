"""Topics and votes: a member proposes topics and votes for them while the vote is open."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from groups.enums import CohortState
from groups.models import Cohort
from meetings import permissions
from meetings.models import (
    Ballot,
    BallotChoice,
    ChapterTheme,
    Meeting,
    Topic,
)
from meetings.selectors import votable_topics, vote_is_closed, vote_is_open


@transaction.atomic
def propose_topic(cohort: Cohort, *, person, title: str, description: str, theme: ChapterTheme) -> Topic:
    """A member adds a topic to the cohort's backlog."""
    if cohort.state != CohortState.ACTIVE:
        raise ValidationError(_("Topics are proposed in an active cohort."))
    if not permissions.is_active_member(person, cohort.pk):
        raise ValidationError(_("Only the cohort's members propose topics."))
    if theme.chapter_id != cohort.chapter_id:
        raise ValidationError({"theme": _("Choose a theme of the list.")})
    topic = Topic(
        cohort=cohort, proposed_by=person, title=title.strip(), description=description.strip(), theme=theme
    )
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def cast_votes(meeting: Meeting, person, topics: list[Topic]) -> Ballot:
    """Replace the member's ballot for the meeting by `topics` (distinct, within the budget).

    One ballot per member and meeting whatever happens: the unique constraint decides a
    race between two first ballots, and the ballot row is locked while its choices change.
    """
    meeting = Meeting.objects.select_related("cohort__chapter").get(pk=meeting.pk)
    if not permissions.can_vote(person, meeting):
        raise ValidationError(_("Only the cohort's members vote; sponsors and facilitators do not."))
    if not vote_is_open(meeting):
        if vote_is_closed(meeting):
            raise ValidationError(_("The vote is closed."))
        raise ValidationError(_("The vote for this meeting is not open yet."))
    budget = meeting.cohort.chapter.votes_per_member
    ids = [topic.pk for topic in topics]
    if len(set(ids)) != len(ids):
        raise ValidationError(_("Each vote goes to a different topic."))
    if len(ids) > budget:
        raise ValidationError(
            ngettext("You have %(budget)d vote.", "You have %(budget)d votes.", budget) % {"budget": budget}
            + " "
            + _("Remove a vote before giving another.")
        )
    allowed = set(votable_topics(meeting).filter(pk__in=ids).values_list("pk", flat=True))
    if allowed != set(ids):
        raise ValidationError(_("A topic is no longer open to the vote: reload the page."))
    ballot = _locked_ballot(meeting, person)
    ballot.choices.all().delete()
    BallotChoice.objects.bulk_create(BallotChoice(ballot=ballot, topic_id=pk) for pk in ids)
    ballot.save(update_fields=["updated_at"])
    return ballot


def _locked_ballot(meeting: Meeting, person) -> Ballot:
    """The member's ballot for the meeting, created if need be, locked until the transaction ends.

    The unique constraint decides a race between two first ballots; the row lock then
    queues whoever changes its choices."""
    try:
        with transaction.atomic():
            ballot, _created = Ballot.objects.get_or_create(meeting=meeting, person=person)
    except IntegrityError:
        ballot = Ballot.objects.get(meeting=meeting, person=person)
    return Ballot.objects.select_for_update().get(pk=ballot.pk)


@transaction.atomic
def toggle_vote(meeting: Meeting, person, topic: Topic) -> Ballot:
    """Add the topic to the member's ballot, or take it off (the phone's one-tap vote).

    The ballot is read under its lock: three taps at once are three changes one after
    the other, never three reads of the same ballot each writing back one choice. A
    refusal (budget, closed vote, not a member) rolls back the ballot created here."""
    ballot = _locked_ballot(meeting, person)
    current = list(ballot.choices.values_list("topic_id", flat=True))
    chosen = [pk for pk in current if pk != topic.pk] if topic.pk in current else [*current, topic.pk]
    return cast_votes(meeting, person, list(Topic.objects.filter(pk__in=chosen)))
