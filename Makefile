# Two commands: `make book` builds both editions, `make test` runs the tests.
# Both set up .venv (Python 3.11+) on first use, and again whenever pyproject.toml or
# constraints.txt changes. Nothing here needs npm; the browser tests need Debian's Chromium.

PYTHON    ?= python3
VENV      := .venv
BIN       := $(VENV)/bin
STAMP     := $(VENV)/.installed
PROGRAMME ?= programme.yml
EDITION   ?= learner
PORT      ?= 8000

.PHONY: book test test-fast check learner instructor serve pdf handouts cartridge constraints clean

book: $(STAMP)
	$(BIN)/coursekit build --edition all --programme $(PROGRAMME)

learner instructor: $(STAMP)
	$(BIN)/coursekit build --edition $@ --programme $(PROGRAMME)

check: $(STAMP)
	$(BIN)/coursekit check --programme $(PROGRAMME)

test: $(STAMP)
	$(BIN)/python -m pytest

# Everything but the browser pass: under a minute.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser and not slow"

# Live preview for authors: rebuilds the edition when a source changes and reloads the browser.
serve: $(STAMP)
	$(BIN)/coursekit serve --edition $(EDITION) --port $(PORT) --programme $(PROGRAMME)

pdf: $(STAMP)
	$(BIN)/coursekit build --edition all --pdf --programme $(PROGRAMME)

handouts: $(STAMP)
	$(BIN)/coursekit handouts --programme $(PROGRAMME)

cartridge: $(STAMP)
	$(BIN)/coursekit export cc --edition all --programme $(PROGRAMME)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: set PYTHON=python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,dev]'
	touch $(STAMP)

# Re-resolve the dependencies in a scratch environment and write their exact versions.
constraints:
	rm -rf $(VENV)/constraints-env
	$(PYTHON) -m venv $(VENV)/constraints-env
	$(VENV)/constraints-env/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/constraints-env/bin/python -m pip install --quiet -e '.[test,dev]'
	{ sed -n '1,2p' constraints.txt; $(VENV)/constraints-env/bin/python -m pip freeze --exclude-editable | grep -v '^coursekit'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf $(VENV)/constraints-env

clean:
	rm -rf _build
