"""What plenaries shows on the home pages and in the navigation bar (plato/home.py;
registered in apps.py): the next plenaries and, near the end of the two years, the local
networks."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.roles import Role
from plato.home import NavItem
from plenaries import permissions, selectors
from plenaries.models import LocalNetwork, Plenary

# Members see the local networks in the last months of their two years (alumni always).
NETWORKS_BEFORE_END = datetime.timedelta(days=183)
HOME_NETWORKS = 3


def navigation(user, roles) -> list[NavItem]:
    if not permissions.can_see_plenaries_and_networks(user):
        return []
    return [
        NavItem(_("Plenaries"), reverse("plenaries:plenary_list"), "plenaries:plenary"),
        NavItem(_("Networks"), reverse("plenaries:network_list"), "plenaries:network"),
    ]


def home_section(user, role, context: dict) -> None:
    if role in (Role.MEMBER, Role.SPONSOR, Role.ALUMNI):
        context["plenaries"] = list(
            selectors.with_places_held(
                Plenary.objects.visible_to(user).upcoming().with_registration_of(user)
            )[:3]
        )
    # groups' section, which runs first, put the user's cohorts in the context.
    if role == Role.ALUMNI or (role == Role.MEMBER and _in_last_months(context["cohorts"])):
        networks = LocalNetwork.objects.visible_to(user).filter(is_listed=True).with_presentations()
        context["networks"] = list(networks.order_by("name")[:HOME_NETWORKS])


def _in_last_months(cohorts) -> bool:
    horizon = timezone.localdate() + NETWORKS_BEFORE_END
    return any(cohort.end_date and cohort.end_date <= horizon for cohort in cohorts)
