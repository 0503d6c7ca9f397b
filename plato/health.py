"""Health of what this instance depends on, for /healthz (docker-compose, monitoring)."""

from django.conf import settings
from django.db import connection


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return {"ok": False, "error": error.__class__.__name__}
    return {"ok": True, "engine": connection.vendor}


def check_redis() -> dict:
    if not settings.REDIS_URL:
        return {"ok": True, "configured": False}
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except redis.RedisError as error:
        return {"ok": False, "configured": True, "error": error.__class__.__name__}
    return {"ok": True, "configured": True}


def check_celery() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "configured": False, "mode": "inline"}
    from plato.celery import app

    try:
        replies = app.control.ping(timeout=1.0)
    except Exception as error:
        return {"ok": False, "configured": True, "workers": 0, "error": error.__class__.__name__}
    return {"ok": bool(replies), "configured": True, "workers": len(replies)}


def health_report() -> tuple[bool, dict]:
    checks = {"database": check_database(), "redis": check_redis()}
    # No point asking workers through a broker that is down.
    checks["celery"] = check_celery() if checks["redis"]["ok"] else {"ok": False, "configured": True}
    healthy = all(check["ok"] for check in checks.values())
    return healthy, {"status": "ok" if healthy else "error", "checks": checks}
