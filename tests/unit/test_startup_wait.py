"""A process started before its database or broker waits for it (one log line), instead of
dying with a traceback; a real error (a bad password) still fails at once."""
import asyncpg
import pytest

from shared import startup
from shared.startup import until_reachable, where


async def test_an_outage_is_waited_out_and_logged_once(monkeypatch, capsys):
    attempts = []

    async def attempt():
        attempts.append(1)
        if len(attempts) < 3:
            raise ConnectionRefusedError(111, "Connect call failed")
        return "connected"
    assert await until_reachable("postgres", "postgresql://u:secret@db:5432/x", attempt,
                                 retry_seconds=0.01) == "connected"
    assert len(attempts) == 3
    out = capsys.readouterr().out
    assert out.count("waiting_for_dependency") == 1
    assert "db:5432" in out and "secret" not in out


async def test_a_real_error_is_not_retried():
    async def attempt():
        raise asyncpg.InvalidPasswordError("password authentication failed")
    with pytest.raises(asyncpg.InvalidPasswordError):
        await until_reachable("postgres", "postgresql://db/x", attempt, retry_seconds=0.01)


def test_where_names_host_and_port_only():
    assert where("amqp://guest:guest@mq:5672/") == "mq:5672"
    assert where("postgresql://postgres@127.0.0.1/ocapi") == "127.0.0.1"
    assert startup.LOG_EVERY > 1
