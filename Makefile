# The two commands that matter: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: install lock run lint typecheck test test-unit test-integration test-api validate-deploy browser bench profile \
        bench-fixture bench-scale soak clean node test-npm

# Tests and `make run` accept the demo secrets; production (OCAPI_ENV unset) refuses them.
export OCAPI_ENV := development

# Every package, pinned and checked against the lock's hashes (requirements*.txt).
$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

## lock: re-pin requirements*.txt (with hashes) after editing requirements*.in
lock:
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet 'pip-tools>=7.4'
	CUSTOM_COMPILE_COMMAND="make lock" .lock-venv/bin/pip-compile --quiet --generate-hashes \
	  --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.txt requirements.in
	CUSTOM_COMPILE_COMMAND="make lock" .lock-venv/bin/pip-compile --quiet --generate-hashes \
	  --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o requirements-dev.txt requirements-dev.in
	rm -rf .lock-venv

## run: the whole platform on this machine (gateway on http://127.0.0.1:8080)
run: install
	@bash scripts/run.sh

## lint: ruff over all Python (rules in pyproject.toml); `ruff check --fix` repairs most findings
lint: install
	$(VENV)/bin/ruff check .

## typecheck: mypy over the code and the tests (pydantic plugin, check_untyped_defs)
typecheck: install
	$(VENV)/bin/mypy

## test: style and types first, then every tier against real Postgres and RabbitMQ
test: install lint typecheck
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

## browser: Debian's chromium, which the API tier opens /docs and /docs/hooks in (root: apt-get)
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

## node: Debian's nodejs and npm, which the optional npm tier runs (root: apt-get)
node:
	@command -v node >/dev/null && command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq nodejs npm; }

## test-npm: the optional npm tier (not in `make test`: it needs node and the npm registry): a storefront
##           checkout with the payment on the basket through the mobify commercecloud-ocapi-client
##           (tests/npm, pinned in its package-lock.json) against a platform the API tier's fixtures start
test-npm: install node
	cd tests/npm && npm ci --no-audit --no-fund
	OCAPI_NPM_TIER=1 $(PY) -m pytest tests/api/test_npm_client.py -q -p no:cacheprovider

## bench: load through the gateway of a running `make run`, beside bare baselines (docs/performance.md);
##        BENCH_ARGS="--seconds 30 --only get,checkout" picks the length and the scenarios
bench: install
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(PY) -m scripts.bench $(BENCH_ARGS)

## profile: py-spy profiles of every platform process under one bench scenario (SCENARIO=get|guest|...)
profile: install
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(PY) -m scripts.bench.profile --scenario $(or $(SCENARIO),get) $(PROFILE_ARGS)

## bench-fixture: COPY many customers into one list (FIXTURE_ARGS="--count 1000000 --dsn ..."; default
##                the platform's database): profiles, credentials (password Scale!pass1), search rows
bench-fixture: install
	$(PY) -m scripts.bench.fixture $(FIXTURE_ARGS)

## bench-scale: customer_search p50/p99 and plans at 1,000,000 customers, in a database of its own
##              (ocapi_scale; SCALE_ARGS="--customers 1000000 --runs 200")
bench-scale: install
	$(PY) -m scripts.bench.scale $(SCALE_ARGS)

## soak: against a running `make run`, a mixed load at 80 % of its maximum for 10 minutes,
##       RSS of every process every 10 s (SOAK_ARGS="--minutes 10 --fraction 0.8"); not in `make test`
soak: install
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(PY) -m scripts.bench.soak $(SOAK_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
