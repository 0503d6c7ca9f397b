"""What groups shows on each role's home page and in the navigation bar (plato/home.py;
registered in apps.py): the chapters, the cohorts, and the chapter's companies and people."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from groups import permissions, selectors
from groups.models import Chapter
from groups.roles import Role, roles_for
from members import selectors as member_selectors
from plato.home import NavItem


def navigation(user, roles) -> list[NavItem]:
    if not permissions.is_any_staff(user):
        return []
    items = [
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
    return [
        *items,
        NavItem(_("Companies"), reverse("members:company_list"), "members:company"),
        NavItem(_("People"), reverse("members:person_list"), "members:person"),
    ]


def _only_chapter_code(roles) -> str:
    (chapter_id,) = roles.coordinator_chapter_ids
    return Chapter.objects.values_list("code", flat=True).get(pk=chapter_id)


def home_section(user, role, context: dict) -> None:
    roles = roles_for(user)
    if role in (Role.ADMIN, Role.COORDINATOR):
        context["chapters"] = selectors.chapters_with_stats(user)
        context["recent_companies"] = member_selectors.recent_companies(user, limit=6)
    elif role == Role.FACILITATOR:
        context["chapters"] = selectors.chapters_with_stats(user)
        context["cohorts"] = selectors.cohorts_facilitated_by(user)
    elif role == Role.MEMBER:
        context["cohorts"] = selectors.cohorts_by_ids(roles.member_cohort_ids)
    elif role == Role.SPONSOR:
        context["cohorts"] = selectors.cohorts_by_ids(roles.sponsor_cohort_ids)
    elif role == Role.ALUMNI:
        context["cohorts"] = selectors.cohorts_by_ids(roles.alumni_cohort_ids)
