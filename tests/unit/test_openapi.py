"""/openapi.json lists what the gateway serves, in both formats it serves it (docs/xml.md)."""
from contracts.routes import ROUTES
from gateway.openapi import build_openapi


def _operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method != "parameters":
                yield path, method, op


def test_every_route_is_an_operation():
    spec = build_openapi()
    assert len(list(_operations(spec))) == sum(len(routes) for routes in ROUTES.values())


def test_every_body_is_described_as_json_and_xml():
    for path, method, op in _operations(build_openapi()):
        for status, response in op["responses"].items():
            if "content" in response:
                assert set(response["content"]) == {"application/json", "application/xml"}, \
                    (path, method, status)
                schemas = {str(c["schema"]) for c in response["content"].values()}
                assert len(schemas) == 1  # one document, two spellings
        if "requestBody" in op:
            assert set(op["requestBody"]["content"]) == {
                "application/json", "application/xml", "text/xml"}, (path, method)


def test_the_format_parameter_is_on_every_path():
    for path, item in build_openapi()["paths"].items():
        formats = [p for p in item["parameters"] if p["name"] == "format"]
        assert formats and formats[0]["schema"]["enum"] == ["json", "xml"], path
