"""Every process's start-up (shared.http.web.serve) runs its app on uvloop."""
import asyncio

import pytest
import uvloop
from aiohttp import web

from shared.http.web import serve


class Started(Exception):
    pass


def test_serve_runs_the_app_on_uvloop():
    seen: list[asyncio.AbstractEventLoop] = []

    async def on_startup(app: web.Application) -> None:
        seen.append(asyncio.get_running_loop())
        raise Started()  # ends serve before it listens

    app = web.Application()
    app.on_startup.append(on_startup)
    with pytest.raises(Started):
        serve(app, "127.0.0.1", 0)
    assert isinstance(seen[0], uvloop.Loop)
