"""The reference pages' rendering and start-up, without a browser (the pages themselves are
opened in Chromium by tests/api/test_reference_pages.py)."""
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiohttp import web

from gateway.reference import pages
from gateway.reference.hooks_html import render

HOSTILE = '<script>alert("x")</script>'


def catalogue() -> dict[str, Any]:
    return orjson.loads((Path(__file__).resolve().parents[2] / "docs" / "asyncapi.json").read_bytes())


def test_every_value_from_the_catalogue_is_escaped():
    doc = catalogue()
    channel = next(iter(doc["channels"].values()))
    channel["description"] = HOSTILE
    message = doc["components"]["messages"][next(iter(channel["messages"]))]
    message["x-resource"] = HOSTILE
    message["payload"]["allOf"][1]["properties"]["data"]["properties"][HOSTILE] = {"type": HOSTILE}
    doc["info"]["title"] = HOSTILE
    html = render(doc)
    assert "<script" not in html
    assert html.count("&lt;script&gt;") >= 5


def test_a_decision_point_not_asked_yet_says_so():
    doc = catalogue()
    # Drop one decision channel whose point is also notified: it becomes notification only.
    channel_id, channel = next((i, c) for i, c in doc["channels"].items() if i.startswith("decision.")
                               and f"notification.{c['address']}" in doc["channels"])
    del doc["channels"][channel_id]
    html = render(doc)
    entry = html.split(f'id="point-{channel["address"]}"', 1)[1].split("</article>", 1)[0]
    assert "yes, not asked yet (notification only)" in entry
    assert "decision (request/reply)" not in entry


def test_a_gateway_without_the_catalogue_file_does_not_start(monkeypatch, tmp_path):
    monkeypatch.setattr(pages, "ASYNCAPI", tmp_path / "asyncapi.json")
    pages._hooks_html.cache_clear()
    try:
        with pytest.raises(FileNotFoundError):
            pages.add_routes(web.Application())
    finally:
        pages._hooks_html.cache_clear()
