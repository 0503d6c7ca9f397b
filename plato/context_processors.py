"""What every page needs: the navigation the signed-in user is entitled to."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from plato.roles import Role, roles_for


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    section: str  # matched against the current URL's namespace to highlight the item


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": None}
    roles = roles_for(user)
    items = [NavItem(_("Home"), reverse("home"), "home")]
    if roles.is_admin or roles.staff_chapter_ids:
        items += [
            NavItem(
                _("Chapters") if roles.is_admin or len(roles.staff_chapter_ids) > 1 else _("Chapter"),
                reverse("groups:chapter_list"),
                "groups",
            ),
            NavItem(_("Companies"), reverse("members:company_list"), "members:company"),
            NavItem(_("People"), reverse("members:person_list"), "members:person"),
        ]
    match = getattr(request, "resolver_match", None)
    current = f"{match.namespace}:{match.url_name}" if match else ""
    return {
        "nav_items": items,
        "nav_current": current,
        "user_roles": roles,
        "user_role_labels": [Role(role).label for role in roles.roles],
        "show_admin_link": roles.is_admin and user.is_staff,
    }
