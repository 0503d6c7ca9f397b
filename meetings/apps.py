from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from meetings import home, receivers  # noqa: F401 (receivers: connects them)
        from plato import home as plato_home

        plato_home.register_home(home.home_section)
