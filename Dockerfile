# syntax=docker/dockerfile:1
#
# Plato production image: one image for every role (web, worker, beat, migrate);
# docker-compose.yml picks the command. See docs/deployment.md.
#
#   docker build -t plato .
#
FROM python:3.12-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# WeasyPrint renders PDFs with Pango (+ HarfBuzz subsetting to embed small fonts);
# DejaVu Sans is the one font every PDF uses (the same pages on every machine: the
# Makefile and .ci/run install it too); gettext provides msgfmt for compilemessages below.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        gettext \
    && rm -rf /var/lib/apt/lists/*

# The app runs as an unprivileged user. Its home is writable (fontconfig cache);
# the code under /app stays owned by root, so the running app cannot modify it.
RUN groupadd --system --gid 10001 plato \
    && useradd --system --uid 10001 --gid plato --create-home --home-dir /home/plato \
        --shell /usr/sbin/nologin plato

# Dependencies first, so that a code change does not reinstall them.
# --require-hashes: every file pip downloads must match the hash in the lock.
# --only-binary: the image has no compiler; every pinned package ships a wheel.
COPY requirements.lock /tmp/requirements.lock
RUN python -m venv "$VIRTUAL_ENV" \
    && pip install --require-hashes --only-binary=:all: -r /tmp/requirements.lock \
    && rm /tmp/requirements.lock

WORKDIR /app
COPY . /app

# Build-time steps need the production settings: PLATO_ENV=production selects
# whitenoise's CompressedManifestStaticFilesStorage (hashed, pre-compressed files and
# staticfiles.json, which the running app needs), and production settings refuse to
# load without a SECRET_KEY of at least 50 characters. Nothing is signed here, so a
# throwaway key is enough. It is set for this RUN only (not ENV), so it is not in the
# image's environment; it is visible in the image history, which is why it must never
# be a real key: the real one comes from .env at run time.
# compilemessages is not strictly needed (the .mo files are committed next to the
# .po files in locale/fr/LC_MESSAGES) but rebuilding them guarantees the image never
# ships a catalogue older than its .po file. It is skipped when there is no .po file,
# because compilemessages fails when it finds no locale directory at all.
RUN export PLATO_ENV=production \
        SECRET_KEY=build-only-not-secret-used-for-collectstatic-and-compilemessages-only \
    && if find . -path '*/LC_MESSAGES/*.po' -print -quit | grep -q .; then \
           python manage.py compilemessages --ignore 'var/*'; \
       fi \
    && python manage.py collectstatic --noinput \
    && python -m compileall -q -j 0 /app \
    && mkdir -p /data/media /data/beat \
    && chown plato:plato /data/media /data/beat

# Uploaded and generated files (invoice PDFs) live in a volume mounted on /data/media;
# the Celery beat schedule in a volume on /data/beat. Both directories are created
# above, owned by plato, so new named volumes inherit that ownership.
ENV MEDIA_ROOT=/data/media \
    WEB_CONCURRENCY=3

USER plato
EXPOSE 8000

# Workers: $WEB_CONCURRENCY (gunicorn reads it from the environment), 3 by default.
# HTTPS is terminated by the reverse proxy in front; Django learns the scheme from
# X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER), so gunicorn's forwarded_allow_ips is
# left at its default (it would also let the proxy's peers set SCRIPT_NAME).
# --max-requests: recycle workers now and then (WeasyPrint and Pillow can hold memory).
CMD ["gunicorn", "plato.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--worker-tmp-dir", "/dev/shm", \
     "--timeout", "60", \
     "--graceful-timeout", "30", \
     "--max-requests", "1000", \
     "--max-requests-jitter", "100", \
     "--access-logfile", "-", \
     "--error-logfile", "-"]
