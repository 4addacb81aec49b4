#!/usr/bin/env bash
# One broker user per process, with the narrowest permissions (docs/security.md, "The broker
# boundary"): imports definitions.json (users, permissions, topic permissions on vhost "/"),
# then sets each user's password from the environment, read on stdin so it never shows in ps:
#   AMQP_PASSWORD_OCAPI_GATEWAY, AMQP_PASSWORD_OCAPI_AUTH, AMQP_PASSWORD_OCAPI_CUSTOMER,
#   AMQP_PASSWORD_OCAPI_ORDER, AMQP_PASSWORD_OCAPI_CUSTOMER_LIST,
#   AMQP_PASSWORD_OCAPI_EXAMPLE_SUBSCRIBERS
# Run it where rabbitmqctl reaches the node (e.g. kubectl exec into the broker pod). The file's
# users have no password until this sets one (an empty hash never authenticates).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
users=$(python3 -c 'import json, sys; print(" ".join(u["name"] for u in json.load(open(sys.argv[1]))["users"]))' \
        "$here/definitions.json")
for user in $users; do          # check them all before changing anything
  var="AMQP_PASSWORD_$(echo "$user" | tr 'a-z-' 'A-Z_')"
  [ -n "${!var:-}" ] || { echo "set $var" >&2; exit 2; }
done
rabbitmqctl import_definitions "$here/definitions.json"
for user in $users; do
  var="AMQP_PASSWORD_$(echo "$user" | tr 'a-z-' 'A-Z_')"
  printf '%s' "${!var}" | rabbitmqctl change_password "$user" >/dev/null
done
echo "broker users: $users"
