"""What every page needs: the navigation the signed-in user is entitled to."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from groups.roles import Role, roles_for


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    section: str  # "namespace:prefix" of the URL names this item covers
    active: bool = False


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
    roles = roles_for(user)
    items = [NavItem(_("Home"), reverse("home"), "home")]
    if roles.is_admin or roles.staff_chapter_ids:
        items += [
            NavItem(
                _("Chapters") if roles.is_admin or len(roles.staff_chapter_ids) > 1 else _("Chapter"),
                reverse("groups:chapter_list"),
                "groups:chapter",
            ),
            NavItem(_("Cohorts"), reverse("groups:cohort_list"), "groups:cohort"),
        ]
        if len(roles.coordinator_chapter_ids) == 1 and not roles.is_admin:
            items.append(
                NavItem(
                    _("Candidates"),
                    reverse("groups:candidate_list", kwargs={"code": _only_chapter_code(roles)}),
                    "groups:candidate",
                )
            )
        items += [
            NavItem(_("Companies"), reverse("members:company_list"), "members:company"),
            NavItem(_("People"), reverse("members:person_list"), "members:person"),
        ]
    if roles.is_admin or roles.staff_chapter_ids or roles.cohort_ids:
        items.append(NavItem(_("Plenaries"), reverse("plenaries:plenary_list"), "plenaries:plenary"))
        items.append(NavItem(_("Networks"), reverse("plenaries:network_list"), "plenaries:network"))
    match = getattr(request, "resolver_match", None)
    current = f"{match.namespace}:{match.url_name}" if match else ""
    items = [NavItem(item.label, item.url, item.section, _covers(item.section, current)) for item in items]
    return {
        "nav_items": items,
        "user_roles": roles,
        "user_role_labels": [Role(role).label for role in roles.roles],
        "show_admin_link": roles.is_admin and user.is_staff,
    }


def _only_chapter_code(roles) -> str:
    from groups.models import Chapter

    (chapter_id,) = roles.coordinator_chapter_ids
    return Chapter.objects.values_list("code", flat=True).get(pk=chapter_id)
