"""What meetings shows on the home pages of members and sponsors (plato/home.py;
registered in apps.py): their next meetings, and a member's open actions."""

from groups.roles import Role
from meetings import selectors


def home_section(user, role, context: dict) -> None:
    if role == Role.MEMBER:
        context["open_actions"] = selectors.open_action_count(user)
        context["next_meetings"] = selectors.next_meetings_for(user)
    elif role == Role.SPONSOR:
        context["next_meetings"] = selectors.next_meetings_for(user)
