# The two commands of the README: `make run` and `make test`. Everything else is a step of those.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# axe-core for the browser tests' accessibility checks (package.json; node_modules/ is ignored).
NODE_STAMP := node_modules/.installed-stamp

# The first Python >= 3.12 on the PATH (Django 6 needs it).
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { echo $$p; break; }; done)

# The port `make run` serves the demo on: make run PORT=8001.
PORT ?= 8000

.PHONY: run test install node-install migrate demo lint format migrations-check messages bench clean

$(STAMP): pyproject.toml constraints.txt
	@if [ -z "$(PYTHON)" ]; then echo "Klantgericht needs Python 3.12 or newer; none was found on the PATH." >&2; exit 1; fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

# Reinstalled when package-lock.json changes. Without npm there is no axe-core: the browser
# tests are then skipped, or fail where KLANTGERICHT_REQUIRE_BROWSER=1 (CI).
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --silent --no-audit --no-fund && touch $(NODE_STAMP); \
	else echo "npm not found: the browser tests will be skipped (they need node_modules/axe-core)." >&2; fi

node-install: $(NODE_STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo --port $(PORT)

run: demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The whole suite, browser tests included (they need /usr/bin/chromium: apt-get install chromium).
# In parallel, one pytest-xdist worker per CPU, each with its own test database:
# make test TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: install node-install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

# Needs GNU gettext; the compiled catalogues are committed so that nobody else does.
messages: install
	$(BIN)/python manage.py makemessages -l nl --no-obsolete --no-location -i '.venv/*' -i 'static/vendor/*'
	$(BIN)/python manage.py compilemessages -l nl

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles node_modules test-artifacts
