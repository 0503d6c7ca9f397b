"""The pages no single app owns, each role's home page and the navigation bar, filled by
the apps so that plato (the core) imports none of them.

Each app adds its part from its AppConfig.ready(), as pretix's apps fill its navigation
and dashboard through signals:

- `register_roles(roles_for)`: who a user is. One app says it (groups, whose rows the
  roles are). The answer has `primary` (a role whose `value` names the home template
  `plato/home_<value>.html`, None for the welcome page), `roles` (whose `label`s show
  under the user's name) and `is_admin`; templates read the whole of it as `user_roles`.
- `register_navigation(items)`: `items(user, roles)` returns the `NavItem`s the app adds
  to the bar.
- `register_home(section)`: `section(user, role, context)` puts in the context of the
  home page of `role` (the user's primary role, or None) what the app shows there.

The apps' ready() run in the order of INSTALLED_APPS, lower apps first: the bar lists
their items in that order, and a section may read what the apps below it put in the
context (plenaries reads groups' `cohorts`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    section: str  # "namespace:prefix" of the URL names this item covers
    active: bool = False


_roles: list[Callable] = []
_navigation: list[Callable] = []
_home_sections: list[Callable] = []


def register_roles(roles_for: Callable) -> None:
    if _roles and _roles[0] is not roles_for:
        raise ImproperlyConfigured(f"Two apps say who a user is: {_roles[0]} and {roles_for}.")
    _roles[:] = [roles_for]


def register_navigation(items: Callable) -> None:
    _add(_navigation, items)


def register_home(section: Callable) -> None:
    _add(_home_sections, section)


def _add(registry: list[Callable], function: Callable) -> None:
    # Once each, should an app's ready() run again.
    if function not in registry:
        registry.append(function)


def roles_of(user):
    if not _roles:
        raise ImproperlyConfigured(
            "No app says who a user is: call plato.home.register_roles in its ready()."
        )
    return _roles[0](user)


def navigation_items(user, roles) -> list[NavItem]:
    return [item for items in _navigation for item in items(user, roles)]


def fill_home(user, role, context: dict) -> None:
    for section in _home_sections:
        section(user, role, context)
