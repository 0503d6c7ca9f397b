"""Production settings pass `check --deploy` and refuse to start when unsafe."""

import os
import secrets
import subprocess
import sys
import warnings

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from members.models import Company
from tests.conftest import BASE_DIR

PRODUCTION_ENV = {
    "PLATO_ENV": "production",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "plato.example.org",
    "SECRET_KEY": secrets.token_urlsafe(48)[:64],
    "EMAIL_URL": "smtp+tls://plato:secret@smtp.example.org:587",
}


def manage(*args: str, **env_overrides: str | None) -> subprocess.CompletedProcess:
    # Nothing of the test process's own set-up leaks in (the browser tests' async flag
    # would make `check --deploy` fail, rightly).
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    for key, value in env_overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    assert len(PRODUCTION_ENV["SECRET_KEY"]) == 64

    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_refuses_to_start_with_debug_on():
    result = manage("check", **(PRODUCTION_ENV | {"DEBUG": "true"}))

    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_production_refuses_to_start_without_secret_key():
    result = manage("check", **(PRODUCTION_ENV | {"SECRET_KEY": None}))

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_with_a_short_secret_key():
    result = manage("check", **(PRODUCTION_ENV | {"SECRET_KEY": "too-short"}))

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_unknown_plato_env_refuses_to_start():
    result = manage("check", PLATO_ENV="staging")

    assert result.returncode != 0
    assert "PLATO_ENV" in result.stderr


@pytest.mark.django_db
def test_sign_in_page_carries_a_content_security_policy(client):
    response = client.get(reverse("account_login"))

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_sign_in_page_forbids_framing_and_sniffing(client):
    response = client.get(reverse("account_login"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_migrations_match_the_models():
    """`makemigrations --check --dry-run` finds nothing to write."""
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)  # SystemExit(1) if not


@pytest.mark.django_db
def test_naive_datetime_is_an_error():
    """pyproject's `error::RuntimeWarning` turns Django's naive-datetime warning into an error."""
    naive = timezone.datetime(2026, 1, 1, 9, 0)

    with pytest.raises(RuntimeWarning, match="naive datetime"):
        list(Company.objects.filter(created_at__gte=naive))


def test_runtime_warnings_are_errors_in_the_suite():
    with pytest.raises(RuntimeWarning):
        warnings.warn("any runtime warning", RuntimeWarning, stacklevel=1)


def test_email_url_configures_the_smtp_mailer():
    code = (
        "import django; django.setup(); from django.core import mail; m = mail.mailers.default; "
        "print(type(m).__name__, m.host, m.port, m.username, m.use_tls, m.timeout)"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env |= {"DJANGO_SETTINGS_MODULE": "plato.settings", "EMAIL_URL": "smtp+tls://relay:s3cret@127.0.0.1:2525"}
    result = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["EmailBackend", "127.0.0.1", "2525", "relay", "True", "10"]


def test_email_without_url_goes_to_the_console(settings):
    assert settings.MAILERS["default"]["BACKEND"] == "django.core.mail.backends.console.EmailBackend" or (
        # pytest-django swaps in the locmem mailer during tests
        "locmem" in settings.MAILERS["default"]["BACKEND"]
    )


def test_production_without_email_url_fails_check_deploy():
    result = manage("check", "--deploy", **(PRODUCTION_ENV | {"EMAIL_URL": None}))

    assert result.returncode != 0
    assert "mail.E001" in result.stdout + result.stderr
