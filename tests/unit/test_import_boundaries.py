"""Who may import whom, read from the source (ast), not from what happens to be loaded.

- the gateway never imports a service: it knows the public contracts only;
- a service never imports another service's package (they talk over HTTP and events);
- shared/ and contracts/ import neither the gateway nor a service.

No module lists every context's events by importing the services: the catalogue of extension
points is a table in ``contracts.hook_events``. Imports inside functions and
``importlib.import_module`` of a literal or f-string module name count too.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKED = ("gateway", "services", "shared", "contracts")


def _module_of(path: Path, root: Path) -> list[str]:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def imported_modules(path: Path, root: Path = ROOT) -> dict[str, int]:
    """Every module the file imports, as absolute dotted names, with the line importing it
    (``from a import b`` gives both ``a`` and ``a.b``: b may be a module)."""
    package = _module_of(path, root)[:-1] if path.name != "__init__.py" else _module_of(path, root)
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Call) and _is_dynamic_import(node.func) and node.args:
            name = _literal_prefix(node.args[0])
            names = [name] if name else []
        for name in names:
            found.setdefault(name, getattr(node, "lineno", 0))
    return found


def _is_dynamic_import(func: ast.expr) -> bool:
    return (isinstance(func, ast.Attribute) and func.attr == "import_module") or \
        (isinstance(func, ast.Name) and func.id in ("import_module", "__import__"))


def _literal_prefix(arg: ast.expr) -> str | None:
    # f"services.{name}.events" still names the services package.
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value
    if isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
        return str(arg.values[0].value).rstrip(".")
    return None


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def violations(root: Path = ROOT) -> list[str]:
    found: list[str] = []
    for top in CHECKED:
        for path in sorted((root / top).rglob("*.py")):
            parts = path.relative_to(root).parts
            broken: dict[int, str] = {}  # one finding per import statement
            for module, line in sorted(imported_modules(path, root).items()):
                rule = _broken_rule(parts, module)
                if rule:
                    broken.setdefault(line, f"{'/'.join(parts)}:{line} imports {module}: {rule}")
            found += broken.values()
    return found


def _broken_rule(parts: tuple[str, ...], module: str) -> str | None:
    top = parts[0]
    if top == "gateway" and _within(module, "services"):
        return "the gateway never imports a service"
    if top in ("shared", "contracts") and (_within(module, "services") or _within(module, "gateway")):
        return f"{top}/ imports neither the gateway nor a service"
    if top == "services" and len(parts) > 2 and module.startswith("services."):
        own, other = parts[1], module.split(".")[1]
        if other != own:
            return f"the {own} service never imports another service ({other})"
    return None


def test_the_gateway_services_shared_and_contracts_keep_their_boundaries():
    assert violations() == []


def test_every_package_is_read():
    files = {top: list((ROOT / top).rglob("*.py")) for top in CHECKED}
    assert all(len(paths) > 3 for paths in files.values()), {t: len(p) for t, p in files.items()}
    assert "contracts.routes" in imported_modules(ROOT / "gateway" / "route_table.py")


@pytest.mark.parametrize(("where", "source", "rule"), [
    ("gateway/x.py", "from services.customer.documents import Customer\n", "the gateway never"),
    ("gateway/x.py", "import services.order.documents\n", "the gateway never"),
    ("services/order/x.py", "from services.customer import faults\n", "the order service never"),
    ("services/order/x.py", "from ..customer import faults\n", "the order service never"),
    ("shared/x.py", "def f():\n    import services\n", "shared/ imports neither"),
    ("shared/x.py", "import importlib\nimportlib.import_module(f'services.{n}.events')\n",
     "shared/ imports neither"),
    ("contracts/x.py", "from gateway.versions import Version\n", "contracts/ imports neither"),
])
def test_each_forbidden_import_is_caught(tmp_path, where, source, rule):
    path = tmp_path / where
    path.parent.mkdir(parents=True)
    for top in CHECKED:
        (tmp_path / top).mkdir(exist_ok=True)
    path.write_text(source)
    assert len(found := violations(tmp_path)) == 1 and rule in found[0], found


def test_a_service_may_import_itself_shared_and_contracts(tmp_path):
    for top in CHECKED:
        (tmp_path / top).mkdir()
    (tmp_path / "services" / "order").mkdir()
    (tmp_path / "services" / "order" / "x.py").write_text(
        "from services.order import faults\nfrom . import documents\n"
        "from shared.http.faults import OcapiFault\nfrom contracts.documents.orders import Order\n")
    assert violations(tmp_path) == []
