"""An OpenAPI 3.1 description of the public API, generated from ``contracts.routes``.

Every resource reads and writes JSON and XML (docs/xml.md): each body is listed under the
three media types OCAPI takes, with the same schema, since the XML mapping is one rule for
every document (root element named after the document type).
"""
from typing import Any

from contracts.endpoints import Endpoint
from contracts.routes import ROUTES
from gateway.versions import NEWEST, OLDEST

FAULT = {"type": "object", "required": ["_v", "fault"], "properties": {
    "_v": {"type": "string"},
    "fault": {"type": "object", "required": ["type", "message"], "properties": {
        "type": {"type": "string"}, "message": {"type": "string"},
        "arguments": {"type": "object"}}}}}


# Bodies a client may send; responses come as JSON or, with ?format=xml or an XML body, XML.
REQUEST_TYPES = ("application/json", "application/xml", "text/xml")
RESPONSE_TYPES = ("application/json", "application/xml")


def _content(schema: dict[str, Any], media_types: tuple[str, ...]) -> dict[str, Any]:
    return {media_type: {"schema": schema} for media_type in media_types}


def _ref(model, schemas: dict[str, Any]) -> dict[str, str]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(schema.pop("$defs", {}))
    schemas[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _operation(route: Endpoint, schemas: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": route.operation,
        "summary": route.summary,
        "description": f"Available since v{route.since[0]}_{route.since[1]}.",
        "tags": [route.path.strip("/").split("/")[0]],
        "parameters": [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                       for name in route.pattern.groupindex]
                      + [{"name": name, "in": "query", "required": False, "schema": {"type": kind}}
                         for name, kind in route.query],
        "responses": {"default": {"description": "Fault document", "content": _content(
            {"$ref": "#/components/schemas/Fault"}, RESPONSE_TYPES)}},
    }
    ok: dict[str, Any] = {"description": "Success"}
    if route.response is not None:
        ok["content"] = _content(_ref(route.response, schemas), RESPONSE_TYPES)
    op["responses"][str(route.status)] = ok
    if route.request is not None:
        op["requestBody"] = {"required": True,
                             "content": _content(_ref(route.request, schemas), REQUEST_TYPES)}
    if route.auth == "bearer":
        op["security"] = [{"bearer": []}]
    return op


def build_openapi() -> dict[str, Any]:
    schemas: dict[str, Any] = {"Fault": FAULT}
    paths: dict[str, Any] = {}
    for api, routes in ROUTES.items():
        prefix = "/s/{site_id}/dw/shop/{version}" if api == "shop" else "/s/-/dw/data/{version}"
        for route in routes:
            item = paths.setdefault(prefix + route.path, {"parameters": _common(api)})
            item[route.method.lower()] = _operation(route, schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": "OCAPI-compatible commerce backend", "version": "1.0",
                 "description": f"Accepts versions v{OLDEST[0]}_{OLDEST[1]} to "
                                f"v{NEWEST[0]}_{NEWEST[1]}; `_v` echoes the requested one."},
        "servers": [{"url": "http://127.0.0.1:8080"}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
    }


def _common(api: str) -> list[dict[str, Any]]:
    params = [{"name": "version", "in": "path", "required": True,
               "schema": {"type": "string", "pattern": r"^v\d{2}_\d{1,2}$"}},
              {"name": "client_id", "in": "query", "required": False, "schema": {"type": "string"}},
              {"name": "format", "in": "query", "required": False,
               "description": "The response format; a request body's Content-Type takes precedence.",
               "schema": {"type": "string", "enum": ["json", "xml"], "default": "json"}}]
    if api == "shop":
        params.insert(0, {"name": "site_id", "in": "path", "required": True,
                          "schema": {"type": "string"}})
    return params
