"""The Celery application. Without REDIS_URL, settings make every task run inline."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plato.settings")

app = Celery("plato")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="plato.ping")
def ping() -> str:
    """A round trip through the broker and a worker (the CI smoke test; /healthz pings the
    workers through the broker's control channel instead). Its result is not stored."""
    return "pong"
