from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = _("Network")

    def ready(self) -> None:
        from groups import home, roles
        from plato import home as plato_home

        plato_home.register_roles(roles.roles_for)
        plato_home.register_navigation(home.navigation)
        plato_home.register_home(home.home_section)
