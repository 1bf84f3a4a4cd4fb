"""Meta's webhook POST bodies: signature check and parsing into plain events."""

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime, timezone

MEDIA_KINDS = ("image", "audio", "video", "document", "sticker")
TEMPLATE_FIELDS = ("message_template_status_update", "message_template_quality_update",
                   "template_category_update")


class WebhookFormatError(ValueError):
    """The body is not the shape Meta sends."""


def compute_signature(app_secret, body):
    secret = app_secret.encode() if isinstance(app_secret, str) else app_secret
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify_signature(app_secret, body, header):
    """Constant-time check of ``X-Hub-Signature-256`` over the raw body."""
    if not app_secret or not header or not header.startswith("sha256="):
        return False
    return hmac.compare_digest(compute_signature(app_secret, body).encode(), header.encode())


@dataclass(frozen=True)
class InboundMessage:
    waba_id: str
    phone_number_id: str
    display_phone_number: str
    message_id: str
    wa_id: str
    profile_name: str
    timestamp: datetime
    type: str
    text: str = ""
    payload: str | None = None
    media: dict | None = None
    context_id: str | None = None
    reaction_to: str | None = None
    location: dict | None = None
    errors: list = field(default_factory=list)
    raw: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class StatusUpdate:
    waba_id: str
    phone_number_id: str
    message_id: str
    status: str
    timestamp: datetime
    recipient_id: str
    errors: list = field(default_factory=list)
    conversation_id: str | None = None
    pricing_category: str | None = None
    raw: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class TemplateUpdate:
    waba_id: str
    field: str
    event: str | None
    template_id: str | None
    template_name: str | None
    language: str | None
    reason: str | None
    category: str | None = None
    new_category: str | None = None
    quality_score: str | None = None
    raw: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class OtherChange:
    waba_id: str
    field: str
    raw: dict = field(default_factory=dict, compare=False)


def _timestamp(value):
    try:
        return datetime.fromtimestamp(int(value), tz=timezone.utc)
    except (TypeError, ValueError) as error:
        raise WebhookFormatError(f"bad timestamp {value!r}") from error


def _errors(items):
    result = []
    for item in items or []:
        data = item.get("error_data") or {}
        result.append({"code": item.get("code"), "title": item.get("title"),
                       "message": item.get("message"), "details": data.get("details")})
    return result


def _text_and_payload(msg):
    """The human-readable content and the machine payload of an inbound message."""
    kind = msg.get("type")
    content = msg.get(kind) if isinstance(msg.get(kind), dict) else {}
    if kind == "text":
        return content.get("body", ""), None
    if kind in MEDIA_KINDS:
        return content.get("caption", ""), None
    if kind == "button":
        return content.get("text", ""), content.get("payload")
    if kind == "interactive":
        reply = content.get("button_reply") or content.get("list_reply") or {}
        return reply.get("title", ""), reply.get("id")
    if kind == "reaction":
        return content.get("emoji", ""), None
    if kind == "location":
        parts = [content.get("name"), content.get("address")]
        return ", ".join(p for p in parts if p), None
    if kind == "contacts":
        names = [c.get("name", {}).get("formatted_name", "") for c in msg.get("contacts", [])]
        return ", ".join(n for n in names if n), None
    if kind == "order":
        return content.get("text", ""), None
    if kind == "system":
        return content.get("body", ""), None
    return "", None


def _inbound(waba_id, value, msg):
    metadata = value.get("metadata") or {}
    if not isinstance(msg, dict) or not msg.get("id") or not msg.get("from"):
        raise WebhookFormatError("a message without id or sender")
    names = {c.get("wa_id"): (c.get("profile") or {}).get("name", "")
             for c in value.get("contacts") or [] if isinstance(c, dict)}
    kind = msg.get("type", "unknown")
    text, payload = _text_and_payload(msg)
    media = None
    if kind in MEDIA_KINDS and isinstance(msg.get(kind), dict):
        content = msg[kind]
        media = {"id": content.get("id"), "mime_type": content.get("mime_type"),
                 "sha256": content.get("sha256"), "filename": content.get("filename"),
                 "caption": content.get("caption"), "kind": kind}
    context = msg.get("context") or {}
    return InboundMessage(
        waba_id=waba_id,
        phone_number_id=metadata.get("phone_number_id", ""),
        display_phone_number=metadata.get("display_phone_number", ""),
        message_id=msg["id"],
        wa_id=msg["from"],
        profile_name=names.get(msg["from"], ""),
        timestamp=_timestamp(msg.get("timestamp")),
        type=kind,
        text=text,
        payload=payload,
        media=media,
        context_id=context.get("id"),
        reaction_to=(msg.get("reaction") or {}).get("message_id"),
        location=msg.get("location") if kind == "location" else None,
        errors=_errors(msg.get("errors")),
        raw=msg,
    )


def _status(waba_id, value, status):
    if not isinstance(status, dict) or not status.get("id") or not status.get("status"):
        raise WebhookFormatError("a status without message id or status")
    conversation = status.get("conversation") or {}
    return StatusUpdate(
        waba_id=waba_id,
        phone_number_id=(value.get("metadata") or {}).get("phone_number_id", ""),
        message_id=status["id"],
        status=status["status"],
        timestamp=_timestamp(status.get("timestamp")),
        recipient_id=status.get("recipient_id", ""),
        errors=_errors(status.get("errors")),
        conversation_id=conversation.get("id"),
        pricing_category=(status.get("pricing") or {}).get("category"),
        raw=status,
    )


def _template(waba_id, name, value):
    template_id = value.get("message_template_id")
    return TemplateUpdate(
        waba_id=waba_id,
        field=name,
        event=value.get("event"),
        template_id=str(template_id) if template_id is not None else None,
        template_name=value.get("message_template_name"),
        language=value.get("message_template_language"),
        reason=value.get("reason") or (value.get("rejection_info") or {}).get("reason"),
        category=value.get("message_template_category") or value.get("previous_category"),
        new_category=value.get("new_category"),
        quality_score=value.get("new_quality_score"),
        raw=value,
    )


def parse_payload(payload):
    """Every event in a webhook body, in order; WebhookFormatError if it is not Meta's."""
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        raise WebhookFormatError("not a WhatsApp Business Account webhook")
    entries = payload.get("entry")
    if not isinstance(entries, list):
        raise WebhookFormatError("entry is not a list")
    events = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("changes", []), list):
            raise WebhookFormatError("an entry without a list of changes")
        waba_id = str(entry.get("id", ""))
        for change in entry.get("changes", []):
            if not isinstance(change, dict) or not isinstance(change.get("value"), dict):
                raise WebhookFormatError("a change without a value")
            name, value = change.get("field"), change["value"]
            if name == "messages":
                events += [_inbound(waba_id, value, m) for m in value.get("messages") or []]
                events += [_status(waba_id, value, s) for s in value.get("statuses") or []]
            elif name in TEMPLATE_FIELDS:
                events.append(_template(waba_id, name, value))
            else:
                events.append(OtherChange(waba_id, name, change))
    return events
