from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from documents import home, receivers  # noqa: F401 (receivers: connects them)
        from plato import home as plato_home

        plato_home.register_home(home.home_section)
