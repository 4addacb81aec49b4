# The two commands that matter: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: install run test test-unit test-integration test-api validate-deploy bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

## run: the whole platform on this machine (gateway on http://127.0.0.1:8080)
run: install
	@bash scripts/run.sh

## test: every tier against real Postgres and RabbitMQ (integration and api in parallel)
test: install
	@bash deploy/validate.sh
	$(PY) -m pytest tests/unit -q
	@bash scripts/test_parallel.sh

test-unit: install
	$(PY) -m pytest tests/unit -q

test-integration: install
	$(PY) -m pytest tests/integration -q

test-api: install
	$(PY) -m pytest tests/api -q

validate-deploy: install
	bash deploy/validate.sh

## bench: a load run through the gateway against a running platform (make run)
bench: install
	$(PY) scripts/bench.py

clean:
	rm -rf $(VENV) .pytest_cache
