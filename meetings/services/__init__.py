"""Writes about meetings, by subject: the schedule and its changes (`planning`), topics
and votes (`votes`), the agenda and the attendance (`agenda`), documents and the members'
roadmap (`follow_up`). Reads (the vote's state and results, absence alerts) are in
meetings.selectors; the schedule's arithmetic in meetings.schedule; RSVPs in meetings.rsvp.

The vote of a meeting opens when the previous meeting ends and closes a set number of
days before it (chapter settings). Results exist only after the close: every function
that reveals them checks the clock itself, so no page can show them early.
"""

from meetings.services.agenda import (
    MAX_AGENDA_TOPICS,
    confirm_agenda,
    mark_agenda_treated,
    record_attendance,
    set_urgent_topic,
)
from meetings.services.follow_up import (
    add_action_item,
    add_action_items,
    add_document,
    delete_action_item,
    delete_document,
    set_action_item_done,
)
from meetings.services.planning import (
    PLACE_FIELDS,
    SPEAKER_FIELDS,
    add_meeting,
    cancel_meeting,
    change_meeting,
    ensure_default_themes,
    generate_schedule,
    move_meeting,
    update_speaker,
)
from meetings.services.votes import cast_votes, propose_topic, toggle_vote

__all__ = [
    "MAX_AGENDA_TOPICS",
    "PLACE_FIELDS",
    "SPEAKER_FIELDS",
    "add_action_item",
    "add_action_items",
    "add_document",
    "add_meeting",
    "cancel_meeting",
    "cast_votes",
    "change_meeting",
    "confirm_agenda",
    "delete_action_item",
    "delete_document",
    "ensure_default_themes",
    "generate_schedule",
    "mark_agenda_treated",
    "move_meeting",
    "propose_topic",
    "record_attendance",
    "set_action_item_done",
    "set_urgent_topic",
    "toggle_vote",
    "update_speaker",
]
