"""Running `ocapi-admin` as an operator does: a subprocess of this checkout, its exit status and output."""
import asyncio
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


async def admin_command(database_url: str, *args: str) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OCAPI_")}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "admin", *args, cwd=ROOT,
        env=env | {"DATABASE_URL": database_url, "PYTHONPATH": str(ROOT), "OCAPI_ENV": "development"},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 90)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()
