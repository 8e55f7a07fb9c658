# Two commands set everything up: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
PYTEST_ARGS ?=

.PHONY: install run test lint format typecheck pytest test-pg bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

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
	$(BIN)/pytest $(PYTEST_ARGS)

## test-pg: the suite on PostgreSQL; TEST_DATABASE_URL defaults to the local server's workout_bot_test
## database (create it once: createdb -h 127.0.0.1 -U postgres workout_bot_test); its schema is rebuilt
TEST_DATABASE_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/workout_bot_test
test-pg: install
	TEST_DATABASE_URL='$(TEST_DATABASE_URL)' $(BIN)/pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
