# The two commands: `make run` and `make test`. Every install step lives here or in scripts/.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export SHANGLIANG_DEBUG ?= 1

.PHONY: run test lint test-postgres venv test-deps assets fonts system-deps migrate seed messages clean

# Where `make run` serves: `make run PORT=8010`, `make run HOST=0.0.0.0` to reach it from a phone on the LAN.
HOST ?= 127.0.0.1
PORT ?= 8000

run: venv assets fonts migrate seed
	$(PY) manage.py runserver $(HOST):$(PORT)

test: system-deps test-deps assets lint
	$(VENV)/bin/pytest -q

# PostgreSQL and Redis servers on loopback; the Celery worker tests run only here.
test-postgres: system-deps test-deps assets
	scripts/with-test-postgres scripts/with-test-redis $(VENV)/bin/pytest -q

lint: test-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.test-installed: requirements/base.txt requirements/test.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements/test.txt
	touch $@ $(VENV)/.base-installed

venv: $(VENV)/.base-installed

test-deps: $(VENV)/.test-installed

# Front-end libraries come from the npm registry at setup time and are served by the app.
node_modules/.installed: package.json
	command -v npm >/dev/null || scripts/apt-install nodejs npm
	npm install --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed

# CJK fonts: the annual report draws its charts with Noto CJK, and screenshots show Chinese with it;
# every PDF embeds AR PL UMing (TrueType outlines, which ReportLab can embed; core/documents/pdf.py).
fonts:
	@fc-list 2>/dev/null | grep -qi "cjk" || scripts/apt-install fonts-noto-cjk
	@test -f /usr/share/fonts/truetype/arphic/uming.ttc || scripts/apt-install fonts-arphic-uming

# Debian packages the tests need: Chromium for the browser tests, PostgreSQL for the second
# database run, Redis for the Celery worker tests, and the CJK fonts.
system-deps: fonts
	@command -v chromium >/dev/null || scripts/apt-install chromium
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || scripts/apt-install postgresql
	@command -v redis-server >/dev/null || scripts/apt-install redis-server

migrate: venv
	$(PY) manage.py migrate --noinput

seed: venv
	$(PY) manage.py seed_demo

messages: venv
	$(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=node_modules
	$(PY) manage.py compilemessages -l en -l zh_Hans --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) node_modules var staticfiles
