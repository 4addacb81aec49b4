#!/usr/bin/env python3
"""Offline structural check of docker-compose.yml (used when `docker compose` is absent).

Not a full Compose-spec validator: it checks what this stack relies on. Every service
has an image or a build, the five app processes have the right command, bind 0.0.0.0
on their port, are health-checked on /ready without curl, depend only on services that
exist (and have a healthcheck when waited on as service_healthy), port mappings parse,
and named volumes are declared.

Usage: validate_compose.py [path/to/docker-compose.yml]   (exit 1 on any problem)
"""
import re
import sys
from pathlib import Path

import yaml

# service -> (module, env prefix, port)
APPS = {
    "gateway": ("gateway", "GATEWAY", 8080),
    "auth": ("services.auth", "AUTH", 8081),
    "customer": ("services.customer", "CUSTOMER", 8082),
    "order": ("services.order", "ORDER", 8083),
    "customer_list": ("services.customer_list", "CUSTOMER_LIST", 8084),
}
PEER_URLS = {"AUTH_URL": "auth", "CUSTOMER_URL": "customer", "ORDER_URL": "order",
             "CUSTOMER_LIST_URL": "customer_list"}
SHARED_ENV = ("OCAPI_ENV", "DATABASE_URL", "AMQP_URL", "INTERNAL_SECRET",
              "OCAPI_SETTINGS_FILE", *PEER_URLS)
VERSION = (Path(__file__).resolve().parents[1] / "VERSION").read_text().strip()
TOP_LEVEL = {"version", "name", "services", "networks", "volumes", "configs", "secrets", "include"}
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
DURATION = re.compile(r"^(\d+(\.\d+)?(us|ms|s|m|h))+$")
PORT = re.compile(r"^(?:(?:[\d.]+|\[[0-9a-fA-F:]+\]):)?(?:(\d+)(?:-\d+)?:)?(\d+)(?:-\d+)?(?:/(tcp|udp))?$")


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys, as Compose does (merge keys allowed)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def as_env(value) -> dict:
    if value is None:
        return {}
    if isinstance(value, dict):
        return {str(k): None if v is None else str(v) for k, v in value.items()}
    if isinstance(value, list):
        out = {}
        for item in value:
            key, sep, val = str(item).partition("=")
            out[key] = val if sep else None
        return out
    raise TypeError("environment must be a mapping or a list")


def as_depends(value) -> dict:
    if value is None:
        return {}
    if isinstance(value, list):
        return {str(name): {"condition": "service_started"} for name in value}
    if isinstance(value, dict):
        return {str(k): (v or {"condition": "service_started"}) for k, v in value.items()}
    raise TypeError("depends_on must be a mapping or a list")


def check(path: Path) -> list[str]:
    errors: list[str] = []
    err = errors.append
    try:
        doc = yaml.load(path.read_text(), Loader=StrictLoader)
    except (OSError, yaml.YAMLError) as exc:
        return [f"cannot load {path}: {exc}"]
    if not isinstance(doc, dict):
        return [f"{path}: top level is not a mapping"]

    for key in doc:
        if key not in TOP_LEVEL and not str(key).startswith("x-"):
            err(f"unknown top-level key {key!r}")
    services = doc.get("services")
    if not isinstance(services, dict) or not services:
        return errors + ["no services defined"]
    declared_volumes = set((doc.get("volumes") or {}).keys())

    for name, image in (("postgres", "postgres:15"), ("rabbitmq", "rabbitmq:3-management")):
        svc = services.get(name)
        if not isinstance(svc, dict):
            err(f"missing infrastructure service {name!r}")
        elif not str(svc.get("image", "")).startswith(image):
            err(f"{name}: image should be {image}, got {svc.get('image')!r}")
    for app in APPS:
        if app not in services:
            err(f"missing app service {app!r}")

    host_ports: dict[str, str] = {}
    for name, svc in services.items():
        where = f"services.{name}"
        if not isinstance(svc, dict):
            err(f"{where}: not a mapping")
            continue
        if "image" not in svc and "build" not in svc:
            err(f"{where}: needs image or build")
        build = svc.get("build")
        if build is not None:
            context = build if isinstance(build, str) else build.get("context", ".")
            dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
            ctx_dir = (path.parent / context).resolve()
            if not ctx_dir.is_dir():
                err(f"{where}: build context {context!r} does not exist")
            elif not (ctx_dir / dockerfile).is_file():
                err(f"{where}: {dockerfile!r} not found in build context {context!r}")

        try:
            env = as_env(svc.get("environment"))
        except TypeError as exc:
            err(f"{where}: {exc}")
            env = {}

        hc = svc.get("healthcheck")
        if hc is not None:
            if not isinstance(hc, dict) or "test" not in hc:
                err(f"{where}: healthcheck needs a test")
            else:
                test = hc["test"]
                if isinstance(test, list) and (not test or test[0] not in ("CMD", "CMD-SHELL", "NONE")):
                    err(f"{where}: healthcheck test list must start with CMD, CMD-SHELL or NONE")
                for key in ("interval", "timeout", "start_period", "start_interval"):
                    if key in hc and not DURATION.match(str(hc[key])):
                        err(f"{where}: healthcheck {key} {hc[key]!r} is not a duration")
                if "retries" in hc and not isinstance(hc["retries"], int):
                    err(f"{where}: healthcheck retries must be an integer")

        try:
            deps = as_depends(svc.get("depends_on"))
        except TypeError as exc:
            err(f"{where}: {exc}")
            deps = {}
        for target, spec in deps.items():
            if target not in services:
                err(f"{where}: depends_on unknown service {target!r}")
                continue
            if target == name:
                err(f"{where}: depends on itself")
            condition = spec.get("condition", "service_started") if isinstance(spec, dict) else None
            if condition not in CONDITIONS:
                err(f"{where}: depends_on {target}: bad condition {condition!r}")
            if condition == "service_healthy" and not (services[target] or {}).get("healthcheck"):
                err(f"{where}: waits for {target} to be healthy but {target} has no healthcheck")

        for entry in svc.get("ports") or []:
            if isinstance(entry, dict):
                if "target" not in entry:
                    err(f"{where}: long-syntax port without target")
                    continue
                published = entry.get("published")
            else:
                m = PORT.match(str(entry))
                if not m:
                    err(f"{where}: cannot parse port {entry!r}")
                    continue
                published = m.group(1)
            if published is not None:
                key = str(published)
                if key in host_ports:
                    err(f"{where}: host port {key} already published by {host_ports[key]}")
                host_ports[key] = name

        for vol in svc.get("volumes") or []:
            if isinstance(vol, dict):
                source = vol.get("source") if vol.get("type", "volume") == "volume" else None
            else:
                source = str(vol).split(":", 1)[0] if ":" in str(vol) else None
            if source and not source.startswith((".", "/", "~", "$")) and source not in declared_volumes:
                err(f"{where}: named volume {source!r} is not declared at top level")

        if name not in APPS:
            continue
        module, prefix, port = APPS[name]
        command = svc.get("command")
        argv = command.split() if isinstance(command, str) else command
        if argv != ["python", "-m", module]:
            err(f"{where}: command should be python -m {module}, got {command!r}")
        if env.get(f"{prefix}_HOST") != "0.0.0.0":
            err(f"{where}: {prefix}_HOST must be 0.0.0.0")
        if env.get(f"{prefix}_PORT") != str(port):
            err(f"{where}: {prefix}_PORT must be {port}")
        for key in SHARED_ENV:
            if not env.get(key):
                err(f"{where}: environment lacks {key}")
        if env.get("OCAPI_ENV") != "development":
            err(f"{where}: OCAPI_ENV must be development (compose ships demo secrets)")
        if str(svc.get("image", "")).rsplit(":", 1)[-1] != VERSION:
            err(f"{where}: image {svc.get('image')!r} should be tagged with VERSION ({VERSION})")
        if env.get("DATABASE_URL") and not env["DATABASE_URL"].startswith(("postgresql://", "postgres://")):
            err(f"{where}: DATABASE_URL is not a postgresql:// URL")
        if env.get("AMQP_URL") and not env["AMQP_URL"].startswith(("amqp://", "amqps://")):
            err(f"{where}: AMQP_URL is not an amqp:// URL")
        for key, peer in PEER_URLS.items():
            want = f"http://{peer}:{APPS[peer][2]}"
            if env.get(key) and env[key].rstrip("/") != want:
                err(f"{where}: {key} should be {want}, got {env[key]!r}")
        test = (hc or {}).get("test") if isinstance(hc, dict) else None
        test_text = " ".join(test) if isinstance(test, list) else str(test or "")
        if not test:
            err(f"{where}: app services need a healthcheck")
        elif f":{port}/ready" not in test_text:
            err(f"{where}: healthcheck should hit :{port}/ready")
        elif re.search(r"\b(curl|wget)\b", test_text):
            err(f"{where}: healthcheck uses curl/wget, which python:3.11-slim lacks")
        for infra in ("postgres", "rabbitmq"):
            if (deps.get(infra) or {}).get("condition") != "service_healthy":
                err(f"{where}: should wait for {infra} with condition service_healthy")

    gw = services.get("gateway") or {}
    if "8080:8080" not in [str(p) for p in gw.get("ports") or []]:
        err("services.gateway: must publish 8080:8080")
    for name in APPS:
        if name != "gateway" and (services.get(name) or {}).get("ports"):
            err(f"services.{name}: internal service should not publish ports")

    # depends_on must be acyclic or compose refuses to start.
    graph = {n: set(as_depends((s or {}).get("depends_on")) if isinstance(s, dict) else ())
             for n, s in services.items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                err("depends_on cycle: " + " -> ".join(trail + [node, nxt]))
            elif nxt in graph and not state.get(nxt):
                visit(nxt, trail + [node])
        state[node] = 2

    for node in graph:
        if not state.get(node):
            visit(node, [])
    return errors


def main(argv: list[str]) -> int:
    path = Path(argv[1] if len(argv) > 1 else "docker-compose.yml")
    errors = check(path)
    for line in errors:
        print(f"ERROR {path}: {line}")
    if errors:
        return 1
    print(f"OK {path}: {len(yaml.load(path.read_text(), Loader=StrictLoader)['services'])} services")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
