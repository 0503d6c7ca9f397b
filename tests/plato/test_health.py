"""/healthz: what it reports in embedded mode, and 503 when something it needs is down.

Anonymous callers get the status only; the checks' details (engine, worker count, which
check failed) need the HEALTHZ_TOKEN setting, sent as the X-Healthz-Token header or the
`token` query parameter."""

import json
import os
import subprocess
import sys
from unittest import mock

import pytest
from django.db import OperationalError, connection, connections
from django.urls import reverse

from tests.conftest import BASE_DIR

TOKEN = "s3cr3t-health-token-for-the-monitor"


@pytest.fixture
def embedded(settings):
    """Embedded mode whatever the environment says: no Redis, tasks inline."""
    settings.REDIS_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture(autouse=True)
def health_token(settings):
    settings.HEALTHZ_TOKEN = TOKEN


def detailed(client):
    """The monitor's call: with the token, the checks' details."""
    client.defaults["HTTP_X_HEALTHZ_TOKEN"] = TOKEN
    return client


@pytest.mark.django_db
def test_healthz_embedded_reports_database_ok_and_nothing_else_configured(client, embedded):
    response = detailed(client).get(reverse("healthz"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    report = response.json()
    assert report["status"] == "ok"
    assert report["checks"]["database"]["ok"] is True
    assert report["checks"]["database"]["engine"] == connection.vendor
    assert report["checks"]["redis"] == {"ok": True, "configured": False}
    assert report["checks"]["celery"]["configured"] is False
    assert report["checks"]["celery"]["ok"] is True


@pytest.mark.django_db
def test_healthz_is_not_cached(client, embedded):
    response = client.get(reverse("healthz"))

    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_database_down_answers_503(client, embedded):
    """The database is the outside world here: its cursor fails as a dead server would."""
    broken = mock.MagicMock(side_effect=OperationalError("server closed the connection unexpectedly"))

    with mock.patch.object(connections["default"], "cursor", broken):
        response = detailed(client).get(reverse("healthz"))

    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "error"
    assert report["checks"]["database"] == {"ok": False, "error": "OperationalError"}


@pytest.mark.django_db
def test_healthz_redis_unreachable_answers_503(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing listens
    settings.CELERY_TASK_ALWAYS_EAGER = False

    response = detailed(client).get(reverse("healthz"))

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["redis"]["ok"] is False
    assert checks["redis"]["configured"] is True
    assert checks["celery"]["ok"] is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "credentials",
    [{}, {"HTTP_X_HEALTHZ_TOKEN": "wrong"}, {"QUERY_STRING": "token=wrong"}, {"HTTP_X_HEALTHZ_TOKEN": ""}],
    ids=["none", "wrong-header", "wrong-query", "empty"],
)
def test_healthz_tells_anyone_else_the_status_only(client, embedded, credentials):
    response = client.get(reverse("healthz"), **credentials)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_down_tells_anyone_else_the_status_only(client, embedded):
    broken = mock.MagicMock(side_effect=OperationalError("server closed the connection unexpectedly"))

    with mock.patch.object(connections["default"], "cursor", broken):
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "error"}


@pytest.mark.django_db
def test_healthz_token_as_a_query_parameter_gives_the_details(client, embedded):
    response = client.get(reverse("healthz"), {"token": TOKEN})

    assert response.json()["checks"]["database"]["engine"] == connection.vendor


@pytest.mark.django_db
def test_healthz_without_a_token_setting_never_gives_details(client, embedded, settings):
    settings.HEALTHZ_TOKEN = ""

    response = client.get(reverse("healthz"), {"token": ""}, HTTP_X_HEALTHZ_TOKEN="")

    assert response.json() == {"status": "ok"}


def test_healthz_refuses_post(client):
    response = client.post(reverse("healthz"))

    assert response.status_code == 405


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is unset (embedded mode)")
def test_healthz_with_redis_but_no_worker_answers_503(tmp_path):
    """A Redis database no worker listens on: Redis answers, no worker does.

    Run in a subprocess so that its Celery app talks to that database only; Celery's
    Redis broadcasts are per database number, so the session's worker (if any) on
    REDIS_URL does not answer.
    """
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        f"response = Client().get('/healthz', headers={{'X-Healthz-Token': '{TOKEN}'}});"
        "print(json.dumps({'status': response.status_code, 'body': response.json()}))"
    )
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "plato.settings",
        "PLATO_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'health.sqlite3'}",
        "REDIS_URL": _redis_url_with_db(os.environ["REDIS_URL"], 13),
        "HEALTHZ_TOKEN": TOKEN,
    }

    result = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["status"] == 503
    assert outcome["body"]["checks"]["redis"]["ok"] is True
    assert outcome["body"]["checks"]["celery"] == {"ok": False, "configured": True, "workers": 0}


def _redis_url_with_db(url: str, db: int) -> str:
    base, _, last = url.rstrip("/").rpartition("/")
    return f"{base}/{db}" if last.isdigit() else f"{url.rstrip('/')}/{db}"
