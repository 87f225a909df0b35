# Two commands do all set-up on a fresh machine:  `make up` (main job)  and  `make test` (the test suite).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup up test test-fast clean

$(STAMP): pyproject.toml scripts/setup.sh
	bash scripts/setup.sh
	touch $(STAMP)

setup: $(STAMP)

up: $(STAMP)
	$(BIN)/shopagent up

test: $(STAMP)
	$(BIN)/python -m pytest -m "not integration" -q
	$(BIN)/python -m pytest -m integration -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not integration" -q

clean:
	rm -rf $(VENV)
