"""The AsyncAPI 3 document of every extension point, built from the code's catalogue.

Notifications are channels on ``ocapi.hooks``; decision hooks are request/reply
channels on ``ocapi.decisions`` (direct reply-to). Each point's ``data`` schema is the JSON
schema of its model in ``contracts.hook_events``; the OCAPI documents it carries are shared
components.
"""
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from shared.messaging.envelope import Envelope
from shared.messaging.hook_catalogue import DECISION, DOMAIN, ExtensionPoint, load_all
from shared.messaging.hook_config import DEFAULT_TIMEOUT_MS
from shared.messaging.hooks import DECISIONS_EXCHANGE, REPLY_TO, HookReply

VERSION = "3.0.0"   # bump the minor for additions, the major for breaking changes
REF = "#/components/schemas/{model}"
EXCHANGES = {"notification": "ocapi.hooks", "decision": DECISIONS_EXCHANGE, "domain": "ocapi.domain"}


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """A data model's schema as the payload's ``data``: its properties (untitled) and which are
    required; the documents inside stay references to the components."""
    properties = {key: {k: v for k, v in spec.items() if k != "title"}
                  for key, spec in schema.get("properties", {}).items()}
    data: dict[str, Any] = {"type": "object", "properties": properties}
    if schema.get("required"):
        data["required"] = schema["required"]
    return data


def _schemas(points: dict[str, ExtensionPoint]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(component schemas: the documents, the envelope and the reply; the ``data`` schema of each
    point)."""
    data_models: list[type[BaseModel]] = list(dict.fromkeys(point.model for point in points.values()))
    models: list[type[BaseModel]] = [*data_models, Envelope, HookReply]
    refs, defs = models_json_schema([(m, "validation") for m in models], ref_template=REF)
    components = defs.get("$defs", {})
    names = {model: refs[(model, "validation")]["$ref"].rsplit("/", 1)[-1] for model in data_models}
    inlined = {model: _inline(components[name]) for model, name in names.items()}
    for name in set(names.values()):
        components.pop(name, None)
    data = {point.name: inlined[point.model] for point in points.values()}
    return dict(sorted(components.items())), data


def _message_name(point: str, suffix: str = "") -> str:
    return point.replace(".", "_") + suffix


def _payload(point: ExtensionPoint, data: dict[str, Any]) -> dict[str, Any]:
    return {"allOf": [{"$ref": REF.format(model="Envelope")},
                      {"type": "object", "properties": {"extension_point": {"const": point.name},
                                                        "data": data[point.name]}}]}


def _channel(point: ExtensionPoint, kind: str, message: str) -> dict[str, Any]:
    return {"address": point.name, "title": point.name, "description": point.when,
            "messages": {message: {"$ref": f"#/components/messages/{message}"}},
            "bindings": {"amqp": {"is": "routingKey", "bindingVersion": "0.3.0", "exchange": {
                "name": EXCHANGES[kind], "type": "topic", "durable": True, "autoDelete": False,
                "vhost": "/"}}}}


def _message(point: ExtensionPoint, data: dict[str, Any], kind: str) -> dict[str, Any]:
    return {"name": point.name, "title": f"{point.name} ({kind})", "summary": point.when,
            "contentType": "application/json", "payload": _payload(point, data),
            "correlationId": {"location": "$message.header#/correlation_id"},
            "x-emitted-by": point.emitted_by, "x-resource": point.resource, "x-api": point.api,
            "x-decision-point": point.kind == DECISION,
            "bindings": {"amqp": {"deliveryMode": 2 if kind != "decision" else 1,
                                  "bindingVersion": "0.3.0"}}}


def build() -> dict[str, Any]:
    points = load_all()
    schemas, data = _schemas(points)
    channels, operations, messages = {}, {}, {}
    for point in points.values():
        kinds = []
        if point.kind == DECISION and point.asked:
            kinds.append("decision")
        if point.notified:
            kinds.append("domain" if point.kind == DOMAIN else "notification")
        for kind in kinds:
            name = _message_name(point.name, ".decision" if kind == "decision" else "")
            channel_id = f"{kind}.{point.name}"
            messages[name] = _message(point, data, kind)
            channels[channel_id] = _channel(point, kind, name)
            operation = {"action": "send", "channel": {"$ref": f"#/channels/{channel_id}"},
                         "summary": point.when, "x-kind": kind,
                         "messages": [{"$ref": f"#/channels/{channel_id}/messages/{name}"}]}
            if kind == "decision":
                operation["reply"] = {"address": {"location": "$message.header#/reply_to",
                                                  "description": f"RabbitMQ direct reply-to ({REPLY_TO})"},
                                      "messages": [{"$ref": "#/components/messages/HookReply"}]}
            operations[f"on.{channel_id}"] = operation
    messages["HookReply"] = {"name": "HookReply", "contentType": "application/json",
                             "summary": "A subscriber's decision, sent to reply_to with the request's correlation_id.",
                             "payload": {"$ref": REF.format(model="HookReply")}}
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "OCAPI hook events", "version": VERSION,
                 "description": "Extension points of the platform: notifications (after*, published"
                 " through the transactional outbox, at least once) and decision hooks (before*,"
                 " modify*Response, validate*, authorize*: RPC with a per-hook time budget, default"
                 f" {DEFAULT_TIMEOUT_MS} ms). Generated by python -m scripts.gen_hooks_doc."},
        "defaultContentType": "application/json",
        "servers": {"local": {"host": "127.0.0.1:5672", "protocol": "amqp", "protocolVersion": "0.9.1",
                              "description": "make run"}},
        "channels": channels, "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }
