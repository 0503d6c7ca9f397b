from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        # Celery's autodiscovery imports billing.tasks only: workers learn the export
        # tasks here.
        from billing.exports import tasks  # noqa: F401
