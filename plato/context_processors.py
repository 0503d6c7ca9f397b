"""What every page needs: the navigation the signed-in user is entitled to (its items come
from the apps: plato/home.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from plato import home
from plato.home import NavItem


def _covers(section: str, current: str) -> bool:
    """ "members:company" covers members:company_list and members:company_detail;
    "groups" covers every groups: page; "home" only the home page."""
    if ":" not in section:
        return current == f":{section}" or current.startswith(f"{section}:")
    return current == section or current.startswith(f"{section}_")


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": None}
    roles = home.roles_of(user)
    items = [NavItem(_("Home"), reverse("home"), "home"), *home.navigation_items(user, roles)]
    match = getattr(request, "resolver_match", None)
    current = f"{match.namespace}:{match.url_name}" if match else ""
    items = [NavItem(item.label, item.url, item.section, _covers(item.section, current)) for item in items]
    return {
        "nav_items": items,
        "user_roles": roles,
        "user_role_labels": [role.label for role in roles.roles],
        "show_admin_link": roles.is_admin and user.is_staff,
    }
