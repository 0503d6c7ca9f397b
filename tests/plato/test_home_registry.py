"""plato/home.py: the apps fill the home pages and the navigation bar, plato knows none."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from groups.roles import roles_for
from plato import home

# The bar of each role, in order: the apps' items come in the order of INSTALLED_APPS.
NAVIGATION = {
    "admin": [
        "home",
        "groups:chapter",
        "groups:cohort",
        "members:company",
        "members:person",
        "plenaries:plenary",
        "plenaries:network",
    ],
    "coordinator": [
        "home",
        "groups:chapter",
        "groups:cohort",
        "groups:candidate",
        "members:company",
        "members:person",
        "plenaries:plenary",
        "plenaries:network",
    ],
    "facilitator": [
        "home",
        "groups:chapter",
        "groups:cohort",
        "members:company",
        "members:person",
        "plenaries:plenary",
        "plenaries:network",
    ],
    "member": ["home", "plenaries:plenary", "plenaries:network"],
    "sponsor": ["home", "plenaries:plenary", "plenaries:network"],
    "alumni": ["home", "plenaries:plenary", "plenaries:network"],
    "outsider": ["home"],
}


@pytest.mark.parametrize("role", list(NAVIGATION))
def test_navigation_lists_each_apps_items_in_order(role, users, login):
    response = login(users[role]).get(reverse("home"))

    assert [item.section for item in response.context["nav_items"]] == NAVIGATION[role]
    assert [item.section for item in response.context["nav_items"] if item.active] == ["home"]


def test_the_coordinators_candidates_link_opens_their_chapters_list(coordinator, chapter, login):
    response = login(coordinator).get(reverse("home"))

    urls = {item.section: item.url for item in response.context["nav_items"]}
    assert urls["groups:candidate"] == reverse("groups:candidate_list", kwargs={"code": chapter.code})


def test_roles_come_from_the_one_provider_groups_registered(member):
    assert home.roles_of(member) is roles_for(member)


def test_a_second_roles_provider_is_refused(monkeypatch):
    monkeypatch.setattr(home, "_roles", list(home._roles))

    home.register_roles(roles_for)  # the same one again: nothing changes
    with pytest.raises(ImproperlyConfigured, match="Two apps say who a user is"):
        home.register_roles(lambda user: None)


def test_without_a_roles_provider_plato_says_what_is_missing(monkeypatch, member):
    monkeypatch.setattr(home, "_roles", [])

    with pytest.raises(ImproperlyConfigured, match="register_roles"):
        home.roles_of(member)


def test_a_section_registered_twice_runs_once(monkeypatch, member):
    monkeypatch.setattr(home, "_home_sections", [])
    calls = []

    def section(user, role, context):
        calls.append(role)
        context["seen"] = context.get("seen", 0) + 1

    home.register_home(section)
    home.register_home(section)
    context = {}
    home.fill_home(member, "member", context)

    assert calls == ["member"]
    assert context == {"seen": 1}
