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
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "make: Python 3.11 or newer is needed (this is " + sys.version.split()[0] + "): install python3.11 and run: make PYTHON=python3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "make: could not create .venv with $(PYTHON): on Debian or Ubuntu run 'sudo apt-get install python3-venv', then make again" >&2; exit 1; }
	@echo "make: installing the course's dependencies into .venv (first run only, about a minute)"
	@$(BIN)/python -m pip install --quiet --upgrade 'pip>=23' || { \
	  echo "make: could not reach PyPI to update pip in .venv: check the network or proxy, then make again" >&2; exit 1; }
	@$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,dev]' || { \
	  echo "make: installing the pinned dependencies failed (pip's reason is above): check that PyPI is reachable, then 'rm -rf .venv' and make again; if it persists, report it with the output of '$(BIN)/python --version'" >&2; exit 1; }
	@touch $(STAMP)

# Re-resolve the dependencies in a scratch environment and write their exact versions. Resolve with
# the oldest Python the course accepts (Debian 12's own), so that the pins install on every newer one.
CONSTRAINTS_PYTHON ?= /usr/bin/python3
constraints:
	rm -rf $(VENV)/constraints-env
	$(CONSTRAINTS_PYTHON) -m venv $(VENV)/constraints-env
	$(VENV)/constraints-env/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/constraints-env/bin/python -m pip install --quiet -e '.[test,dev]'
	{ sed -n '1,4p' constraints.txt; $(VENV)/constraints-env/bin/python -m pip freeze --exclude-editable | grep -v '^coursekit'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf $(VENV)/constraints-env

clean:
	rm -rf _build
