# Two commands: `make book` builds both editions, `make test` runs the tests.
# Each sets up .venv (Python 3.11+, and axe-core from npm for the accessibility tests) on first
# use and whenever pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: book test check learner instructor clean

book: $(STAMP)
	$(BIN)/coursekit build --edition all

learner instructor: $(STAMP)
	$(BIN)/coursekit build --edition $@

check: $(STAMP)
	$(BIN)/coursekit check

test: $(STAMP)
	$(BIN)/python -m pytest

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: set PYTHON=python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --silent --no-audit --no-fund --prefix $(VENV)/axe 'axe-core@>=4.10 <5'; \
	else echo "npm not found: the accessibility tests will be skipped (apt-get install -y npm)"; fi
	touch $(STAMP)

clean:
	rm -rf _build
