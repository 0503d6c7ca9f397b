from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from billing import receivers  # noqa: F401 (connects the receivers)

        # Celery's autodiscovery imports billing.tasks only: workers learn the export
        # tasks here.
        from billing.exports import tasks  # noqa: F401
