"""Plato settings: one module, read from the environment.

Embedded by default (SQLite file, Celery tasks run inline, e-mail printed to the
console) so that `make run` needs nothing else. Production is `PLATO_ENV=production`:
it refuses to start with DEBUG on or without SECRET_KEY, and turns on every
hardening that `manage.py check --deploy` asks for.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

PLATO_ENV = env.str("PLATO_ENV", default="development")
if PLATO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"PLATO_ENV must be 'development' or 'production', not {PLATO_ENV!r}.")
PRODUCTION = PLATO_ENV == "production"

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = env.str("SECRET_KEY", default="")

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("Refusing to start: DEBUG is on in production.")
    if not SECRET_KEY:
        raise ImproperlyConfigured("Refusing to start: SECRET_KEY is not set in production.")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("Refusing to start: SECRET_KEY must be at least 50 random characters.")
elif not SECRET_KEY:
    # Development only: a fixed key so that sessions survive a restart of `make run`.
    SECRET_KEY = "django-insecure-plato-development-key-never-use-in-production"

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "bootstrap",  # Bootstrap 5 CSS/JS shipped by django-bootstrap-static
    "localflavor",
    "plato",
    "members",
    "groups",
    "meetings",
    "plenaries",
    "billing",
    "documents",
    "demo",  # seed_demo: at the top, it may use every app and no app uses it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "plato.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "groups.middleware.StaffMfaMiddleware",
]

ROOT_URLCONF = "plato.urls"
WSGI_APPLICATION = "plato.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "plato.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'plato.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0)
# A PostgreSQL restart must not cost one 500 per worker.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_MIN_LENGTH = 12
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Plato] "
ACCOUNT_PRESERVE_USERNAME_CASING = False
# Five wrong passwords for one account lock it for five minutes, whatever the
# client's IP; an IP that hammers many accounts is slowed down too.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    # The public application form (groups.views.candidates): a person applies once or
    # twice; a script posting in a loop is stopped.
    "plato_application": "10/h/ip",
    # PDFs rendered in the request (certificates, directories, attendee lists, badges):
    # a person clicking through a cohort's documents never meets it; a loop does.
    "plato_pdf": "20/m/user,200/h/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Plato"
# Admins and coordinators must set up TOTP before using the app (production default).
PLATO_REQUIRE_STAFF_MFA = env.bool("PLATO_REQUIRE_STAFF_MFA", default=PRODUCTION)

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
# whitenoise warns on every request when the directory is missing (before collectstatic).
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
CRISPY_FAIL_SILENTLY = not DEBUG

# --- E-mail -----------------------------------------------------------------------------
# Django 6.1's MAILERS. EMAIL_URL (django-environ syntax: smtp+tls://user:password@host:587)
# selects SMTP; without it, e-mail is printed to the console.
if "EMAIL_URL" in env:
    _email = env.email_url("EMAIL_URL")
    MAILERS = {
        "default": {
            "BACKEND": _email["EMAIL_BACKEND"],
            "OPTIONS": {
                "host": _email.get("EMAIL_HOST", "localhost"),
                "port": _email.get("EMAIL_PORT", 25),
                "username": _email.get("EMAIL_HOST_USER", ""),
                "password": _email.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": _email.get("EMAIL_USE_TLS", False),
                "use_ssl": _email.get("EMAIL_USE_SSL", False),
                # allauth sends mail inside the request: an SMTP outage must not hang workers.
                "timeout": env.int("EMAIL_TIMEOUT", default=10),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Plato <noreply@plato.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Cache ---------------------------------------------------------------------------------
# What the cache holds are allauth's rate limits (sign-in, password reset) and the public
# application form's: counters that must be there whenever signing in is possible, i.e.
# whenever the database is. So they live in the database, never in Redis: a Redis outage
# delays e-mails and PDFs, it never stops anyone signing in. The table is created by the
# migration plato/0001_cache_table (so `migrate` makes it for `make run`, tests, CI and
# docker-compose alike). MAX_ENTRIES well above the counters an hour of traffic leaves,
# so that culling never forgets a live counter.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "plato_cache",
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    }
}

# --- Redis and Celery ---------------------------------------------------------------------
# Redis is the broker and nothing else. No request ever waits on it (plato/tasks.py): every
# task is handed over through `plato.tasks.enqueue*`, after the commit, with the short
# timeouts below, and a refusal is logged and swallowed; the rows the task would have
# handled stay due and the beat sweeps hand them over again.
REDIS_URL = env.str("REDIS_URL", default="")
# /healthz tells anonymous callers ok or error only; the checks' details (which one
# failed, the database engine, the number of workers) go to whoever sends this token
# (X-Healthz-Token header or ?token=). Empty: details for nobody.
HEALTHZ_TOKEN = env.str("HEALTHZ_TOKEN", default="")
# No result backend: no code reads a task's result, and with one every enqueue subscribed
# to a result channel (retried 20 times, ~20 s, when Redis was down).
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # Embedded mode: tasks run inline in the calling process.
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Seconds a task taken by a worker may stay unacknowledged before Redis hands it to
    # another worker. Deliberately longer than any task runs AND than the longest retry
    # countdown (retry_backoff_max = 3600 s: a retrying task waits in its worker,
    # unacknowledged, until its ETA); shorter, a waiting retry would be delivered again
    # and run twice. A task whose worker died is not left to this delay: the sweeps
    # (beat) hand its rows over again within minutes, and the export sweep restarts a
    # build whose heartbeat stopped (documents). See docs/architecture.md.
    "visibility_timeout": 2 * 3600,
    # A broker that is down or unreachable answers fast: the web request does not wait.
    "socket_connect_timeout": 1,
    # A Redis that accepts the connection but does not answer (hung, half-open connection)
    # holds a publish this long at most. Longer than kombu's BRPOP wait (1 s), so that an
    # idle worker never times out its own poll.
    "socket_timeout": 2,
}
# One quick retry (a pooled connection Redis closed since: reconnect), then give up.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
# A members' list (documents) being built stamps a heartbeat this often; one silent
# for PLATO_EXPORT_STALE_SECONDS lost its worker: the page says so and beat's sweep (every
# minute) starts it over. Settings so that the worker tests can shorten them.
PLATO_EXPORT_HEARTBEAT_SECONDS = env.float("PLATO_EXPORT_HEARTBEAT_SECONDS", default=10)
PLATO_EXPORT_STALE_SECONDS = env.float("PLATO_EXPORT_STALE_SECONDS", default=60)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic tasks, run by the single `beat` service (docker-compose.yml). Each is idempotent:
# a run missed or repeated sends nothing twice.
CELERY_BEAT_SCHEDULE = {
    # Every e-mail is an outbox row (plato.outbox): those a dead worker or a lost message
    # left unsent are handed over again.
    "outbox-sweep": {"task": "plato.sweep_outbox", "schedule": crontab(minute="*/5")},
    "meetings-reminders": {"task": "meetings.plan_reminders", "schedule": crontab(minute="*/15")},
    "billing-pending-documents": {
        "task": "billing.sweep_pending_documents",
        "schedule": crontab(minute="*/15"),
    },
    # Every minute: a members' list whose worker died is started over within a minute of
    # being noticed (PLATO_EXPORT_STALE_SECONDS), and one never handed over is sent again.
    "billing-exports": {"task": "billing.sweep_exports", "schedule": crontab(minute="*")},
    # Acknowledgements of applications from the public form that the broker did not take.
    "groups-acknowledgements": {"task": "groups.sweep_acknowledgements", "schedule": crontab(minute="*/15")},
    "plenaries-reminders": {"task": "plenaries.plan_reminders", "schedule": crontab(minute="*/15")},
    # A place offered from the waiting list passes on within five minutes of its deadline.
    "plenaries-expire-offers": {"task": "plenaries.expire_offers", "schedule": crontab(minute="*/5")},
    "billing-overdue-reminders": {
        "task": "billing.plan_overdue_reminders",
        "schedule": crontab(hour=9, minute=0, day_of_week="mon-fri"),
    },
    "groups-close-ended-cohorts": {
        "task": "groups.close_ended_cohorts",
        "schedule": crontab(hour=2, minute=30),
    },
}

# --- Security -------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # docker-compose and monitoring probe /healthz over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # Behind the reverse proxy, rate limits must see the client's address, not the proxy's.
    ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=1)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs each step of each render at INFO: only its warnings matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
