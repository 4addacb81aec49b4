#!/usr/bin/env bash
# Runs the integration and api tiers at once (each has its own fresh database),
# prints both logs, and fails if either failed.
set -uo pipefail
PY=${PY:-.venv/bin/python}
logs=$(mktemp -d)
"$PY" -m pytest tests/integration -q -p no:cacheprovider > "$logs/integration.log" 2>&1 &
integration=$!
"$PY" -m pytest tests/api -q -p no:cacheprovider > "$logs/api.log" 2>&1 &
api=$!
wait $integration; integration_rc=$?
wait $api; api_rc=$?
echo "=== integration tier (exit $integration_rc)"; cat "$logs/integration.log"
echo "=== api tier (exit $api_rc)"; cat "$logs/api.log"
[ $integration_rc -eq 0 ] && [ $api_rc -eq 0 ]
