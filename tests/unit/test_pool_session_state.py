"""What the pool's cheap reset relies on (shared/db.py): no code gives a pooled connection
session state. The reset no longer unlocks, unlistens or resets settings, so a session
advisory lock, a LISTEN or a session-level SET on a pooled connection would outlive its
request and reach the next one. Such statements may only run on a connection of their own,
in the modules listed here."""
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("gateway", "services", "shared", "contracts")
# SQL that leaves state on the session (transaction-scoped forms end with their transaction).
SESSION_SQL = {
    "session advisory lock": re.compile(r"pg_(try_)?advisory_lock(_shared)?\s*\("),
    "LISTEN": re.compile(r"(^|;)\s*LISTEN\s"),
    "SET without LOCAL": re.compile(r"(^|;)\s*SET\s+(?!LOCAL\b)"),
    "set_config": re.compile(r"set_config\s*\("),
    "temporary table": re.compile(r"CREATE\s+(TEMP|TEMPORARY)\b"),
    "cursor kept across transactions": re.compile(r"WITH\s+HOLD\b"),
    "SQL-level PREPARE": re.compile(r"(^|;)\s*PREPARE\s"),
}
SESSION_CALLS = {"add_listener", "add_log_listener"}
# Module -> what it may do, and why that is safe.
ALLOWED = {
    # The relay's LISTEN runs on a dedicated connection (OutboxRelay._listen).
    "shared/messaging/relay.py": {"add_listener"},
    # Migrations run on a connection of their own (shared/http/web.py database(),
    # services/auth/cli.py), closed afterwards.
    "shared/migrations.py": {"session advisory lock"},
}


def sql_texts(tree: ast.AST) -> list[str]:
    """Every string in the module, with an f-string's placeholders as ``{}``."""
    texts = []
    parts = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in parts:
            texts.append(node.value)
        elif isinstance(node, ast.JoinedStr):
            texts.append("".join(str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values))
    return texts


def session_state_uses(source: str) -> set[str]:
    tree = ast.parse(source)
    found = {name for text in sql_texts(tree) for name, pattern in SESSION_SQL.items()
             if pattern.search(text)}
    found |= {node.func.attr for node in ast.walk(tree)
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in SESSION_CALLS}
    return found


def test_no_pooled_connection_is_given_session_state():
    offenders = {}
    for package in SCANNED:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            uses = session_state_uses(path.read_text()) - ALLOWED.get(name, set())
            if uses:
                offenders[name] = sorted(uses)
    assert offenders == {}, (
        "session state outlives a pooled connection's request (its reset no longer clears it): "
        "run it on a connection of its own (shared.db.connect) and list the module in ALLOWED")


def test_the_allowed_modules_still_need_their_exception():
    for name, allowed in ALLOWED.items():
        assert session_state_uses((ROOT / name).read_text()) & allowed, f"{name}: drop it from ALLOWED"


def test_the_scan_sees_each_kind_of_session_state():
    cases = {
        'await conn.execute("SELECT pg_advisory_lock($1)", key)': "session advisory lock",
        'await conn.fetchval("SELECT pg_try_advisory_lock(1)")': "session advisory lock",
        'await conn.execute(f"LISTEN {channel}")': "LISTEN",
        'await conn.execute("SET statement_timeout = 0")': "SET without LOCAL",
        'await conn.execute("SET SESSION search_path TO x")': "SET without LOCAL",
        'await conn.execute("BEGIN; SET ROLE app")': "SET without LOCAL",
        'await conn.execute("SELECT set_config(\'a.b\', \'1\', false)")': "set_config",
        'await conn.execute("CREATE TEMP TABLE t (a int)")': "temporary table",
        'await conn.execute("DECLARE c CURSOR WITH HOLD FOR SELECT 1")': "cursor kept across transactions",
        'await conn.execute("PREPARE q AS SELECT 1")': "SQL-level PREPARE",
        "await conn.add_listener('c', callback)": "add_listener",
    }
    for source, kind in cases.items():
        assert session_state_uses(source) == {kind}, source


def test_what_ends_with_its_transaction_passes():
    for source in ('await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", key)',
                   'await conn.execute("SET LOCAL statement_timeout = 0")',
                   'await conn.execute("UPDATE t SET a = 1 WHERE b = $1", b)',
                   'await conn.execute(f"UPDATE {t} SET a = 1"\n " WHERE b = 2")',
                   '"""Set the given columns and bump the version."""',
                   "stmt = await conn.prepare('SELECT 1')"):
        assert session_state_uses(source) == set(), source
