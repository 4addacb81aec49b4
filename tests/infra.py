"""Real Postgres and RabbitMQ for the tests: a fresh database per run, loud failures.

With a Docker engine, testcontainers starts both; otherwise DATABASE_URL / AMQP_URL
or the local default ports are used. A server that can't be reached fails the run
with a clear message; nothing is skipped.
"""
import os
import shutil
import subprocess
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit, urlunsplit

import aio_pika
import asyncpg
import pytest

from shared.db import connect

LOCAL_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
LOCAL_AMQP = "amqp://guest:guest@127.0.0.1:5672/"


def docker_engine_available() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True, check=False).returncode == 0


def container_urls():
    """Start Postgres and RabbitMQ containers (only called when an engine exists)."""
    from testcontainers.postgres import PostgresContainer
    from testcontainers.rabbitmq import RabbitMqContainer

    pg = PostgresContainer("postgres:15").start()
    mq = RabbitMqContainer("rabbitmq:3").start()
    pg_url = pg.get_connection_url().replace("postgresql+psycopg2", "postgresql")
    params = mq.get_connection_params()
    amqp = f"amqp://guest:guest@{params.host}:{params.port}/"
    return pg_url, amqp, (pg, mq)


def server_urls():
    if os.environ.get("DATABASE_URL") or os.environ.get("AMQP_URL") or not docker_engine_available():
        return (os.environ.get("DATABASE_URL") or LOCAL_PG, os.environ.get("AMQP_URL") or LOCAL_AMQP, ())
    return container_urls()


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


async def create_fresh_database(server_url: str) -> str:
    name = f"ocapi_test_{uuid.uuid4().hex[:10]}"
    admin = with_database(server_url, "postgres")
    try:
        conn = await asyncpg.connect(admin, timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        pytest.fail(f"PostgreSQL is not reachable at {urlsplit(admin).netloc}: {exc!r}. "
                    "Start it or set DATABASE_URL.", pytrace=False)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return with_database(server_url, name)


async def drop_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    conn = await asyncpg.connect(with_database(url, "postgres"), timeout=5)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@asynccontextmanager
async def fresh_connection(server_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection to a database of its own, dropped on exit: for a planner whose statistics
    are only those of the rows a test makes."""
    url = await create_fresh_database(server_url)
    try:
        conn = await connect(url)
        try:
            yield conn
        finally:
            await conn.close()
    finally:
        await drop_database(url)


async def check_broker(url: str) -> None:
    try:
        connection = await aio_pika.connect(url, timeout=5)
    except Exception as exc:  # noqa: BLE001 (whatever the cause, the broker is not usable)
        pytest.fail(f"RabbitMQ is not reachable at {urlsplit(url).hostname}:{urlsplit(url).port}: "
                    f"{exc!r}. Start it or set AMQP_URL.", pytrace=False)
    await connection.close()
