from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from billing import home

        # Celery's autodiscovery imports billing.tasks only: workers learn the export
        # tasks here.
        from billing.exports import tasks  # noqa: F401
        from plato import home as plato_home

        plato_home.register_home(home.home_section)
