"""The AsyncAPI 3 document of every extension point, built from the code's catalogue.

Notifications are channels on ``ocapi.hooks``; decision hooks are request/reply
channels on ``ocapi.decisions`` (direct reply-to). Payload schemas come from the
pydantic types declared with ``shared.messaging.hook_catalogue.document_type``.
"""
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import models_json_schema

from services.extension_points import load_all
from shared.messaging.envelope import Envelope
from shared.messaging.hook_catalogue import DECISION, DOCUMENT_TYPES, DOMAIN, ExtensionPoint
from shared.messaging.hook_config import DEFAULT_TIMEOUT_MS
from shared.messaging.hooks import DECISIONS_EXCHANGE, REPLY_TO, HookReply

VERSION = "3.0.0"   # bump the minor for additions, the major for breaking changes
REF = "#/components/schemas/{model}"
EXCHANGES = {"notification": "ocapi.hooks", "decision": DECISIONS_EXCHANGE, "domain": "ocapi.domain"}


def _schemas() -> tuple[dict[str, Any], dict[str, Any]]:
    """(component schemas, the schema of each data key)."""
    models = [t for t in DOCUMENT_TYPES.values() if isinstance(t, type) and issubclass(t, BaseModel)]
    models += [Envelope, HookReply]
    refs, defs = models_json_schema([(m, "validation") for m in models], ref_template=REF)
    keys = {}
    for key, type_ in DOCUMENT_TYPES.items():
        if (type_, "validation") in refs:
            keys[key] = refs[(type_, "validation")]
        else:
            keys[key] = TypeAdapter(type_).json_schema(ref_template=REF)
    return dict(sorted(defs.get("$defs", {}).items())), keys


def _message_name(point: str, suffix: str = "") -> str:
    return point.replace(".", "_") + suffix


def _payload(point: ExtensionPoint, keys: dict[str, Any]) -> dict[str, Any]:
    data = {"type": "object", "properties": {k: keys.get(k, {}) for k in point.data}}
    return {"allOf": [{"$ref": REF.format(model="Envelope")},
                      {"type": "object", "properties": {"extension_point": {"const": point.name},
                                                        "data": data}}]}


def _channel(point: ExtensionPoint, kind: str, message: str) -> dict[str, Any]:
    return {"address": point.name, "title": point.name, "description": point.when,
            "messages": {message: {"$ref": f"#/components/messages/{message}"}},
            "bindings": {"amqp": {"is": "routingKey", "bindingVersion": "0.3.0", "exchange": {
                "name": EXCHANGES[kind], "type": "topic", "durable": True, "autoDelete": False,
                "vhost": "/"}}}}


def _message(point: ExtensionPoint, keys, kind: str) -> dict[str, Any]:
    return {"name": point.name, "title": f"{point.name} ({kind})", "summary": point.when,
            "contentType": "application/json", "payload": _payload(point, keys),
            "correlationId": {"location": "$message.header#/correlation_id"},
            "x-emitted-by": point.emitted_by, "x-resource": point.resource, "x-api": point.api,
            "x-decision-point": point.kind == DECISION,
            "bindings": {"amqp": {"deliveryMode": 2 if kind != "decision" else 1,
                                  "bindingVersion": "0.3.0"}}}


def build() -> dict[str, Any]:
    points = load_all()
    schemas, keys = _schemas()
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
            messages[name] = _message(point, keys, kind)
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
