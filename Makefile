# Yizhan: `make run` serves the demo, `make test` runs the whole suite. Both start from a fresh clone.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# make backup: database and stored files, consistent (docs/operations.md); BACKUP_DIR chooses where.
backup: $(VENV)/.synced
	$(MANAGE) backup $${BACKUP_DIR:+--target $$BACKUP_DIR}

.PHONY: demo-opening backup lint-imports messages-update help install system-deps browser-deps run demo test test-sqlite test-postgres bench lint audit messages assets up clean

help:
	@echo "make run    install, migrate SQLite, load the demo, serve on http://$(HOST):$(PORT)"
	@echo "make test   install and run the whole suite (SQLite; again on PostgreSQL+Redis when DATABASE_URL and REDIS_URL are set)"
	@echo "make bench  benchmarks (ratios against a baseline in the same run)"
	@echo "make lint   ruff and mypy"
	@echo "make audit  pip-audit and npm audit of the locked dependencies (needs network)"
	@echo "make up     the production-like stack (PostgreSQL, Redis, Daphne, Celery worker and beat) via honcho"

$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Python packages exactly as uv.lock says; the project itself is installed editable (yizhan-client).
$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --quiet
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed
	npm run --silent build

messages: $(VENV)/.synced
	$(VENV)/bin/django-admin compilemessages -v0 --ignore=.venv --ignore=.tools --ignore=node_modules

# Debian packages: gettext (msgfmt compiles the translations), CJK fonts and Pango (WeasyPrint's
# PDFs) for everything; Chromium only for the browser tests. Installed only when missing.
define apt_ensure
	@missing=""; for check in $(1); do pkg=$${check%%:*}; test=$${check#*:}; sh -c "$$test" >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef
BASE_DEBS := "gettext:command -v msgfmt" "fonts-noto-cjk:fc-list | grep -qi 'Noto Sans CJK'" \
	"libpango-1.0-0:ldconfig -p | grep -q libpango-1.0" "libpangoft2-1.0-0:ldconfig -p | grep -q libpangoft2-1.0" \
	"poppler-utils:command -v pdftoppm"
system-deps:
	$(call apt_ensure,$(BASE_DEBS))

browser-deps:
	$(call apt_ensure,"chromium:test -x /usr/bin/chromium")

install: system-deps $(VENV)/.synced assets messages

run: install
	$(MANAGE) migrate --noinput -v0
	@$(MANAGE) load_demo
	@echo
	@echo "Yizhan is serving on http://$(HOST):$(PORT)/  (HTTP and WebSocket, Daphne; Ctrl-C stops it)"
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) config.asgi:application

# Two passes: the embedded default (SQLite, in-memory layer, eager Celery), then the production
# components when DATABASE_URL and REDIS_URL are set (PostgreSQL, Redis channel layer).
PYTEST := $(VENV)/bin/pytest -p no:cacheprovider -n $${PYTEST_WORKERS:-2} --dist loadgroup
# A demo tender closing in DEMO_MINUTES (default 5) with three sealed bids, and the steps to open it
# in three browser windows (docs/ceremony.md "Demo opening"); run beside `make run`.
demo-opening: $(VENV)/.synced
	$(MANAGE) demo_opening --minutes $${DEMO_MINUTES:-5}

test: install browser-deps lint-imports
	env -u DATABASE_URL -u REDIS_URL $(PYTEST) $(PYTEST_ARGS)
	@if [ -n "$$DATABASE_URL" ] && [ -n "$$REDIS_URL" ]; then \
	  echo "== second pass: PostgreSQL and Redis =="; \
	  $(PYTEST) $(PYTEST_ARGS); \
	else echo "DATABASE_URL and REDIS_URL not both set: PostgreSQL/Redis pass not run"; fi

bench: install
	$(PY) -m bench

# The layers of DESIGN.md as import-linter contracts (pyproject.toml [tool.importlinter]).
lint-imports: $(VENV)/.synced
	$(VENV)/bin/lint-imports

lint: $(VENV)/.synced lint-imports
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

# Known vulnerabilities in the locked Python and npm dependencies (needs the vulnerability databases:
# PyPI's JSON API or OSV, and the npm registry's advisory endpoint). --strict: a dependency that
# could not be checked fails the run instead of passing silently. Findings are answered in
# docs/security.md ("Dependencies").
audit: $(VENV)/.synced
	mkdir -p var
	$(UV) export --frozen --all-groups --no-hashes --no-emit-project > var/requirements-audit.txt
	$(UV) tool run pip-audit==2.10.1 --strict --no-deps --disable-pip -r var/requirements-audit.txt
	npm audit

up: install
	$(MANAGE) migrate --noinput
	$(VENV)/bin/honcho start -f Procfile

clean:
	rm -rf $(VENV) $(TOOLS) node_modules static/dist static/govuk var

# Refresh every .po file from the sources (each app's own, and config/ for the project templates).
messages-update: $(VENV)/.synced
	@for d in config $(patsubst %/locale,%,$(wildcard */locale)); do \
	  (cd $$d && $(CURDIR)/$(VENV)/bin/django-admin makemessages -l zh_Hans --no-obsolete -v0 --ignore=locale) || exit 1; done
	(cd frontend && $(CURDIR)/$(VENV)/bin/django-admin makemessages -d djangojs -l zh_Hans -v0 --ignore=node_modules) || true
