from django.apps import AppConfig


class PlatoConfig(AppConfig):
    name = "plato"
    verbose_name = "Plato"

    def ready(self) -> None:
        # Every app's tasks are known in every process (web, commands, worker), not only in
        # the worker where Celery's autodiscovery runs: services enqueue their app's tasks
        # by name (tasks are leaves, plato.tasks), and the name must resolve where the
        # service runs.
        from plato.celery import app

        app.autodiscover_tasks(force=True)
