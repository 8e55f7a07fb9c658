# Two commands set everything up: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
PYTEST_ARGS ?=
# The suite runs in parallel (pytest-xdist): one worker per CPU, at least 2; `make pytest PYTEST_WORKERS=0`
# runs it in this process. Each worker has its own database (tests/conftest.py).
PYTEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ "$$n" -ge 2 ] 2>/dev/null || n=2; echo $$n)

.PHONY: install run test lint format typecheck pytest test-pg bench clean messages translations

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

LOCALES  := bot/locales
CATALOGS := $(patsubst %.po,%.mo,$(wildcard $(LOCALES)/*/LC_MESSAGES/messages.po))
BABEL_KEYWORDS := -k _ -k N_ -k ngettext:1,2 -k pgettext:1c,2 -k npgettext:1c,2,3

$(LOCALES)/%/LC_MESSAGES/messages.mo: $(LOCALES)/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/python -m bot.i18n

## translations: compile the gettext catalogs (.po -> .mo); `make install` does it
translations: $(CATALOGS)

install: $(STAMP) $(CATALOGS)

## messages: extract every marked string into messages.pot and add the new ones to each language's .po
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-default-keywords $(BABEL_KEYWORDS) --no-location --sort-output \
		--add-comments=TRANSLATORS: --project=workout-bot --copyright-holder="workout-bot" \
		-o $(LOCALES)/messages.pot bot
	$(BIN)/pybabel update -i $(LOCALES)/messages.pot -d $(LOCALES) -D messages --no-fuzzy-matching \
		--ignore-obsolete

## run: migrate, seed and start the bot; without TELEGRAM_BOT_TOKEN, the local playground
run: install
	$(BIN)/python -m bot start

## test: lint, type-check and run the whole suite (SQLite; PostgreSQL too when TEST_DATABASE_URL is set)
test: install lint typecheck pytest

lint: install
	$(BIN)/ruff check bot tests migrations bench
	$(BIN)/ruff format --check bot tests migrations bench

format: install
	$(BIN)/ruff check --fix bot tests migrations bench
	$(BIN)/ruff format bot tests migrations bench

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

## test-pg: the suite on PostgreSQL; TEST_DATABASE_URL defaults to the local server's workout_bot_test
## database (create it once: createdb -h 127.0.0.1 -U postgres workout_bot_test); each worker uses (and creates
## when missing) workout_bot_test_gw0, _gw1, ... beside it; their schemas are rebuilt
TEST_DATABASE_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/workout_bot_test
test-pg: install
	TEST_DATABASE_URL='$(TEST_DATABASE_URL)' $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
