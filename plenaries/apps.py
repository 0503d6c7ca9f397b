from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlenariesConfig(AppConfig):
    name = "plenaries"
    verbose_name = _("Plenaries")

    def ready(self) -> None:
        from plato import home as plato_home
        from plenaries import home

        plato_home.register_navigation(home.navigation)
        plato_home.register_home(home.home_section)
