# Mreža: `make run` sets up and serves; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
SR_CYRILLIC := board/translations/sr/LC_MESSAGES/messages.po board/translations/sr/LC_MESSAGES/wtforms.po
CATALOGUES := $(patsubst %.po,%.mo,$(sort $(wildcard board/translations/*/LC_MESSAGES/*.po) $(SR_CYRILLIC)))

.PHONY: all install run test test-fast lint format translations check-translations extract-messages bench clean

all: install

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(DEVSTAMP): requirements-dev.txt requirements.txt $(STAMP)
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

board/translations/%.mo: board/translations/%.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ -f

# Serbian Cyrillic is derived from Serbian Latin (board/catalogues.py), never edited by hand.
$(SR_CYRILLIC) &: board/translations/sr_Latn/LC_MESSAGES/messages.po board/translations/sr_Latn/LC_MESSAGES/wtforms.po board/catalogues.py board/text/script.py $(wildcard board/text/data/*.txt) $(STAMP)
	$(BIN)/python -m board.catalogues derive

## translations: derive sr from sr_Latn, compile every catalogue; check-translations lists gaps
translations: $(CATALOGUES)

check-translations: $(STAMP)
	@$(BIN)/python -m board.catalogues check

## install: virtualenv, dependencies, catalogues, database schema, founding categories
install: $(STAMP) translations
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) board seed
	$(FLASK) board places load

## run: install, make sure there is an admin, serve on http://127.0.0.1:5000
run: install
	$(FLASK) board first-admin
	$(BIN)/python -m board.serve --host 127.0.0.1 --port 5000

## test: the whole suite (set BOARD_TEST_DATABASE_URL to run it on PostgreSQL)
test: $(DEVSTAMP) translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

## test-fast: the edit–test loop: lint, then every test not marked slow or browser, stop at the first failure
test-fast: $(DEVSTAMP) translations
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -x -m "not slow and not browser"

lint: $(DEVSTAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEVSTAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## extract-messages: refresh the catalogues from the code and templates
extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -o board/translations/messages.pot .
	$(BIN)/pybabel update -i board/translations/messages.pot -d board/translations --no-fuzzy-matching

bench: $(DEVSTAMP) translations
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
