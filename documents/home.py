"""What documents shows on the home page of alumni (plato/home.py; registered in apps.py):
their end-of-programme certificates."""

from groups import selectors as group_selectors
from groups.roles import Role


def home_section(user, role, context: dict) -> None:
    if role == Role.ALUMNI:
        context["certificates"] = group_selectors.alumni_memberships_of(user)
