"""wrk runs: the load generator is compiled C with LuaJIT scripts (lua/), so it takes little of
the CPU it measures. `make bench` installs the Debian package when it is missing."""
import asyncio
import os
import shutil
import subprocess
from pathlib import Path

from scripts.bench.results import parse_wrk

LUA = Path(__file__).parent / "lua"


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing the Debian package")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    return shutil.which("wrk") or "wrk"


async def wrk(url: str, script: str, *, seconds: float, connections: int, threads: int = 2,
              env: dict[str, str] | None = None) -> dict:
    """One run of lua/<script>; the summary its done() prints. ``url`` is scheme://host:port."""
    variables = os.environ | {"BENCH_LUA_DIR": str(LUA)} | (env or {})
    proc = await asyncio.create_subprocess_exec(
        "wrk", f"-t{min(threads, connections)}", f"-c{connections}", f"-d{seconds:g}s",
        "--timeout", "10s", "-s", str(LUA / script), url, env=variables,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"wrk exited {proc.returncode}:\n{out.decode()}")
    return parse_wrk(out.decode())


def static(method: str, path: str, body: str = "", headers: dict[str, str] | None = None) -> dict:
    """lua/static.lua's environment for one fixed request."""
    env = {"BENCH_METHOD": method, "BENCH_PATH": path, "BENCH_BODY": body}
    for n, (name, value) in enumerate((headers or {}).items(), start=1):
        env[f"BENCH_HEADER_{n}"] = f"{name}: {value}"
    return env
