#!/usr/bin/env bash
# Offline validation of the deployment files:
#   1. kustomize renders deploy/base and deploy/overlays/dev (kubectl kustomize);
#   2. every rendered object validates against the Kubernetes OpenAPI schemas bundled
#      with kubernetes-validate (strict: unknown fields are errors);
#   3. cross-references hold: the ConfigMap/Secret keys the Deployments read exist;
#   4. docker-compose.yml validates against the Compose JSON schema plus this project's
#      rules (deploy/validate_compose.py, plus
#      `docker compose config -q` when the compose plugin is installed);
#   5. the Dockerfile's COPY sources exist;
#   6. security policy (deploy/validate_policy.py): each pod reads exactly the secrets its
#      process's settings declare, from its own Secret (no DATABASE_URL in the gateway),
#      deny-all NetworkPolicies, OCAPI_ENV unset in the base and development in the dev
#      overlay, GATEWAY_REPLICAS = the HPA's maxReplicas, images tagged with VERSION.
# Usage: deploy/validate.sh   (env: PYTHON, KUBECTL, K8S_VERSION)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-.venv/bin/python}"
KUBECTL="${KUBECTL:-kubectl}"
K8S_VERSION="${K8S_VERSION:-1.30.0}"

die() { echo "validate.sh: $*" >&2; exit 1; }

command -v "$KUBECTL" >/dev/null 2>&1 \
  || die "kubectl not found; install it (Debian package 'kubectl') or set KUBECTL=/path/to/kubectl"
"$PYTHON" -c 'import kubernetes_validate, yaml' 2>/dev/null \
  || die "$PYTHON cannot import kubernetes_validate and yaml; run: pip install -r requirements-dev.txt (or set PYTHON=...)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# kubernetes-validate exits 0 when it has no schema for a kind (it only prints WARN),
# so any WARN/ERROR/FATAL line counts as a failure here.
schema_check() {  # $1 = file of manifests
  local out rc=0
  out=$("$PYTHON" -m kubernetes_validate --strict --kubernetes-version "$K8S_VERSION" "$1") || rc=$?
  printf '%s\n' "$out"
  if [[ $rc -ne 0 ]] || grep -qE '^(WARN|ERROR|FATAL)' <<<"$out"; then
    die "schema validation failed for $1"
  fi
}

# Every configMapRef/secretKeyRef/configMapKeyRef a workload uses must resolve within the
# rendered set (or, for the base, against secret.example.yaml, since the real Secrets and
# auth's ConfigMap live elsewhere); an optional ref may be absent.
refs_check() {  # $1 = rendered manifests, $2 = file holding the Secret definitions
  "$PYTHON" - "$1" "$2" <<'PY'
import sys
import yaml

rendered, secret_file = sys.argv[1], sys.argv[2]
docs = [d for d in yaml.safe_load_all(open(rendered)) if d]
outside = [d for d in yaml.safe_load_all(open(secret_file)) if d] if rendered != secret_file else []
keys = {(d["kind"], d["metadata"]["name"]): set(d.get("data") or {}) | set(d.get("stringData") or {})
        for d in docs + outside if d["kind"] in ("ConfigMap", "Secret")}
problems = []
if outside and any(d["kind"] == "Secret" for d in docs):
    problems.append("the base must not contain a Secret (see secret.example.yaml)")
for d in docs:
    if d["kind"] != "Deployment":
        continue
    name = d["metadata"]["name"]
    for c in d["spec"]["template"]["spec"]["containers"]:
        for src in c.get("envFrom") or []:
            ref = (src.get("configMapRef") or {}).get("name")
            if ref and ("ConfigMap", ref) not in keys:
                problems.append(f"{name}: envFrom ConfigMap {ref!r} not rendered")
        for e in c.get("env") or []:
            for kind, field in (("Secret", "secretKeyRef"), ("ConfigMap", "configMapKeyRef")):
                ref = (e.get("valueFrom") or {}).get(field)
                if ref and not ref.get("optional") and ref["key"] not in keys.get((kind, ref["name"]), ()):
                    problems.append(f"{name}: {e['name']} reads missing {kind} key {ref['name']}/{ref['key']}")
for p in problems:
    print("ERROR", p)
if problems:
    sys.exit(1)
print(f"OK references resolve ({sum(d['kind'] == 'Deployment' for d in docs)} deployments)")
PY
}

echo "== kubernetes-validate $("$PYTHON" -m kubernetes_validate --version), schemas for Kubernetes $K8S_VERSION (strict)"

echo "== deploy/base"
"$KUBECTL" kustomize deploy/base >"$tmp/base.yaml"
schema_check "$tmp/base.yaml"
refs_check "$tmp/base.yaml" deploy/base/secret.example.yaml
"$PYTHON" deploy/validate_policy.py "$tmp/base.yaml" base VERSION deploy/base/secret.example.yaml || die "policy check failed for deploy/base"

echo "== deploy/base/secret.example.yaml"
schema_check deploy/base/secret.example.yaml

echo "== deploy/overlays/dev"
"$KUBECTL" kustomize deploy/overlays/dev >"$tmp/dev.yaml"
schema_check "$tmp/dev.yaml"
refs_check "$tmp/dev.yaml" "$tmp/dev.yaml"
"$PYTHON" deploy/validate_policy.py "$tmp/dev.yaml" dev VERSION "$tmp/dev.yaml" || die "policy check failed for deploy/overlays/dev"

echo "== docker-compose.yml"
"$PYTHON" deploy/validate_compose.py docker-compose.yml
if docker compose version >/dev/null 2>&1; then
  docker compose -f docker-compose.yml config -q
  echo "OK docker compose config -q"
else
  echo "SKIP docker compose config (compose plugin not installed)"
fi

echo "== Dockerfile"
missing=0
while read -r src; do
  [[ -e "$src" ]] || { echo "ERROR Dockerfile: COPY source $src does not exist"; missing=1; }
done < <(awk 'toupper($1) == "COPY" && $2 !~ /^--/ { for (i = 2; i < NF; i++) print $i }' Dockerfile)
[[ $missing -eq 0 ]] || die "Dockerfile references missing files"
echo "OK Dockerfile COPY sources exist"

echo "== all deployment checks passed"
