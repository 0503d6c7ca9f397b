# Plato — the two commands: `make run` (serve the demo) and `make test` (the whole suite).
# Both set everything up from a fresh clone; repeating them is safe and fast.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.lock 2>/dev/null | cut -c1-16)
HOST ?= 127.0.0.1
PORT ?= 8000

# The first Python >= 3.12 found: on PATH, then under pyenv. Django 6 refuses 3.11.
PYTHON_CANDIDATES := python3.13 python3.12 python3 \
	$(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3) \
	$(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3) \
	$(wildcard /root/.pyenv/versions/3.13*/bin/python3) \
	$(wildcard /root/.pyenv/versions/3.12*/bin/python3)
find_python = for candidate in $(PYTHON_CANDIDATES); do \
	  path=$$(command -v $$candidate 2>/dev/null) || continue; \
	  if $$path -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo $$path; break; fi; \
	done

# Debian packages the app and its tests need: WeasyPrint's Pango, Chromium for the
# browser tests, gettext for the catalogue check, poppler for PDF text.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core chromium poppler-utils gettext

.PHONY: help run test install system-deps lint format messages check-deploy clean bench

help:
	@echo "make run    set up and serve the demo on http://$(HOST):$(PORT) (SQLite, tasks inline, e-mail to console)"
	@echo "make test   set up and run the whole suite (honours DATABASE_URL and REDIS_URL)"
	@echo "make lint   ruff, migrations check, import contracts      make messages   refresh the French catalogue"

$(STAMP): requirements.lock
	@python=$$($(find_python)); \
	if [ -z "$$python" ]; then \
	  echo "Plato needs Python 3.12 or newer, and none was found (python3 here is $$(python3 --version 2>&1))."; \
	  echo "Install one, then run make again, for example:"; \
	  echo "  pyenv install 3.12        (https://github.com/pyenv/pyenv)"; \
	  echo "  or: uv python install 3.12 && export PATH=\$$HOME/.local/bin:\$$PATH"; \
	  echo "  or, on Debian 13 / Ubuntu 24.04: apt-get install python3 python3-venv"; \
	  exit 1; \
	fi; \
	if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then rm -rf $(VENV); fi; \
	[ -x $(PY) ] || { echo "Creating $(VENV) with $$python ($$($$python --version))"; $$python -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

system-deps:
	@missing=""; \
	for pkg in $(SYSTEM_PACKAGES); do dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "ok installed" || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages:$$missing"; echo "Install them with: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

run: install
	@unset DATABASE_URL REDIS_URL EMAIL_URL; \
	$(PY) manage.py migrate --noinput -v 0; \
	$(PY) manage.py seed_demo; \
	echo; echo "Plato is served on http://$(HOST):$(PORT)  (Ctrl-C to stop)"; echo; \
	exec $(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports

test: install system-deps lint
	@$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure, not a pass."; fi; \
	exit $$status

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install
	$(PY) manage.py makemessages --locale fr --no-location --ignore '.venv/*' --ignore 'var/*'
	$(PY) manage.py compilemessages --locale fr --ignore '.venv/*'

check-deploy: install
	PLATO_ENV=production DEBUG=false ALLOWED_HOSTS=plato.example.org EMAIL_URL=smtp+tls://plato@smtp.example.org:587 \
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
	$(PY) manage.py check --deploy --fail-level WARNING

bench: install
	@ls bench/*.py >/dev/null 2>&1 || { echo "No benchmark in bench/ yet."; exit 0; }; \
	for script in bench/*.py; do \
	  grep -q '__main__' $$script || continue; \
	  echo "== $$script"; $(PY) $$script || exit 1; \
	done

clean:
	rm -rf $(VENV) var
