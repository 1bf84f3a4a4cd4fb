"""Meta's webhook POST bodies: signature check and parsing into plain events.

Meta signs the raw body with the app secret (``X-Hub-Signature-256: sha256=<hex>``) and
sends ``{"object": "whatsapp_business_account", "entry": [{"id": <WABA id>, "changes":
[{"field": ..., "value": {...}}]}]}``. :func:`parse_payload` turns one body into a flat
list of events; a body that is not that shape raises :class:`WebhookFormatError` so the
controller can answer 400. Changes we do not act on (group events, account updates...)
become :class:`OtherChange` instead of raising: Meta adds fields over time.

A sender is a phone number (``from``), a business-scoped user id (``from_user_id``, a
BSUID such as ``US.13491208655302741918``), or both: a user with a username may hide
the number, and then ``wa_id`` is "" and only ``user_id`` says who wrote.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

MEDIA_KINDS = ("image", "audio", "video", "document", "sticker")
TEMPLATE_FIELDS = (
    "message_template_status_update",
    "message_template_quality_update",
    "template_category_update",
)
SIGNATURE_PREFIX = "sha256="
# Meta's webhook bodies are a few kilobytes (a batch of statuses at most some hundred):
# anything larger is refused before it is read whole or hashed.
MAX_BODY_BYTES = 3 * 1024 * 1024


class WebhookFormatError(ValueError):
    """The body is not the shape Meta sends."""


# ---------------------------------------------------------------------------- signature
def _secret_bytes(app_secret: str | bytes) -> bytes:
    return app_secret.encode() if isinstance(app_secret, str) else bytes(app_secret)


def compute_signature(app_secret: str | bytes, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256(app_secret, body)>``, as Meta puts in the header."""
    digest = hmac.new(_secret_bytes(app_secret), body, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def decode_body(raw: bytes):
    """The JSON of a webhook body, or WebhookFormatError: UTF-8 only (as Meta sends,
    and as PostgreSQL stores it), no NUL, no nesting deeper than Python can parse."""
    if len(raw) > MAX_BODY_BYTES:
        raise WebhookFormatError(f"the body is larger than {MAX_BODY_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise WebhookFormatError("the body is not UTF-8") from error
    if "\x00" in text or "\\u0000" in text:
        raise WebhookFormatError("the body contains a NUL character")
    try:
        return json.loads(text)
    except RecursionError as error:
        raise WebhookFormatError("the body is nested too deeply") from error
    except ValueError as error:
        raise WebhookFormatError(f"the body is not JSON: {error}") from error


def verify_signature(app_secret: str | bytes | None, body: bytes, header: str | None) -> bool:
    """Constant-time check of ``X-Hub-Signature-256`` over the raw body.

    False (never an exception) for a missing secret or header, another algorithm
    prefix, or a value that is not hexadecimal.
    """
    if not app_secret or not header or not isinstance(header, str):
        return False
    header = header.strip()
    if not header.startswith(SIGNATURE_PREFIX):
        return False
    try:
        received = bytes.fromhex(header[len(SIGNATURE_PREFIX) :])
    except (ValueError, UnicodeError):
        return False
    expected = hmac.new(_secret_bytes(app_secret), body, hashlib.sha256).digest()
    return hmac.compare_digest(expected, received)


# ---------------------------------------------------------------------------- events
@dataclass(frozen=True)
class InboundMessage:
    """A message a patient (or anyone) sent to the practice's number."""

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
    raw: dict = field(default_factory=dict, compare=False, repr=False)
    user_id: str | None = None  # the sender's BSUID (from_user_id, else contacts[].user_id)
    username: str | None = None  # contacts[].profile.username
    edit_of: str | None = None  # type "edit": the id of the message the patient edited
    revoke_of: str | None = None  # type "revoke": the id of the message they deleted
    system_type: str | None = None  # type "system": user_changed_number / _user_id
    new_wa_id: str | None = None  # type "system": the new phone number
    new_user_id: str | None = None  # type "system": the new BSUID


@dataclass(frozen=True)
class StatusUpdate:
    """Sent / delivered / read / played / failed for a message the practice sent."""

    waba_id: str
    phone_number_id: str
    message_id: str
    status: str
    timestamp: datetime
    recipient_id: str
    errors: list = field(default_factory=list)
    conversation_id: str | None = None
    pricing_category: str | None = None
    raw: dict = field(default_factory=dict, compare=False, repr=False)
    recipient_user_id: str | None = None  # the recipient's BSUID; recipient_id may be ""
    # What Meta charges for it: billable or not, the pricing model (per-message "PMP",
    # formerly per-conversation "CBP") and, per message, its type ("regular",
    # "free_customer_service", "free_entry_point").
    pricing_billable: bool | None = None
    pricing_model: str | None = None
    pricing_type: str | None = None
    # What the practice put in the send request (our message's reference), echoed back.
    biz_opaque_callback_data: str | None = None


@dataclass(frozen=True)
class TemplateUpdate:
    """A template's review status, quality rating or category changed at Meta."""

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
    raw: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class OtherChange:
    """A valid change we do not act on; ``raw`` is the whole change."""

    waba_id: str
    field: str
    raw: dict = field(default_factory=dict, compare=False, repr=False)


# ---------------------------------------------------------------------------- helpers
def _timestamp(value) -> datetime:
    """Meta's epoch seconds (a string) as an aware UTC datetime."""
    try:
        return datetime.fromtimestamp(int(value), tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError) as error:
        raise WebhookFormatError(f"bad timestamp {value!r}") from error


def _dict(value, what: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise WebhookFormatError(f"{what} is not an object")
    return value


def _list(value, what: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise WebhookFormatError(f"{what} is not a list")
    return value


def _code(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _errors(items) -> list:
    """Meta's ``errors`` entries as plain dicts with an int ``code``."""
    result = []
    for entry in _list(items, "errors"):
        item = _dict(entry, "an error")
        data = _sub(item, "error_data")
        result.append(
            {
                "code": _code(item.get("code")),
                "title": item.get("title"),
                "message": item.get("message"),
                "details": data.get("details"),
            }
        )
    return result


def _sub(container: dict, key: str) -> dict:
    """``container[key]`` when it is an object, else an empty dict (lenient reading)."""
    value = container.get(key)
    return value if isinstance(value, dict) else {}


def _join(*parts) -> str:
    return ", ".join(str(p) for p in parts if p)


def _interactive(content: dict) -> tuple[str, str | None]:
    reply = _sub(content, "button_reply") or _sub(content, "list_reply")
    if reply:
        return reply.get("title") or "", reply.get("id")
    flow = _sub(content, "nfm_reply")  # a WhatsApp Flow's answer
    return flow.get("body") or "", flow.get("response_json")


def _contact_names(msg: dict) -> str:
    cards = [c for c in _list(msg.get("contacts"), "contacts") if isinstance(c, dict)]
    return _join(*(_sub(c, "name").get("formatted_name") for c in cards))


# type -> (content -> human-readable text); the payload comes only from replies.
_TEXT_OF = {
    "text": lambda c: c.get("body"),
    "reaction": lambda c: c.get("emoji"),
    "location": lambda c: _join(c.get("name"), c.get("address")),
    "order": lambda c: c.get("text"),
    "system": lambda c: c.get("body"),
    **{kind: (lambda c: c.get("caption")) for kind in MEDIA_KINDS},
}


def _edited(content: dict) -> dict:
    """The new content of an ``edit``: Meta's ``edit.message`` (a message body with its
    own ``type``), leniently the edit object itself; a bare ``text`` counts as text."""
    inner = _sub(content, "message") or content
    kind = inner.get("type") or ("text" if isinstance(inner.get("text"), dict) else None)
    return {**inner, "type": kind} if kind != "edit" else {}


def _text_and_payload(msg: dict) -> tuple[str, str | None]:
    """The human-readable content and the machine payload of an inbound message."""
    kind = msg.get("type") if isinstance(msg.get("type"), str) else None
    content = _sub(msg, kind) if kind else {}
    if kind == "edit":  # the text is the new one
        return _text_and_payload(_edited(content))
    if kind == "interactive":
        return _interactive(content)
    if kind == "contacts":
        return _contact_names(msg), None
    if kind == "button":
        return content.get("text") or "", content.get("payload")
    text_of = _TEXT_OF.get(kind)
    text = text_of(content) if text_of else None
    return text or "", None


def _media(msg: dict, kind: str) -> dict | None:
    content = msg.get(kind)
    if kind not in MEDIA_KINDS or not isinstance(content, dict):
        return None
    keys = ("id", "mime_type", "sha256", "filename", "caption")
    return {**{key: content.get(key) for key in keys}, "kind": kind}


def _str(value) -> str | None:
    """A non-empty identifier as text, else None (ids may come as numbers)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value) or None


def _contact(value: dict, wa_id: str, user_id: str | None) -> dict:
    """The ``contacts`` entry of this sender, matched by phone number or by BSUID."""
    for contact in _list(value.get("contacts"), "contacts"):
        if not isinstance(contact, dict):
            continue
        if (wa_id and _str(contact.get("wa_id")) == wa_id) or (
            user_id and _str(contact.get("user_id")) == user_id
        ):
            return contact
    return {}


def _original_id(content: dict, context: dict) -> str | None:
    """Which message an edit or revoke is about: ``original_message_id`` as Meta
    documents it, leniently ``id`` or the message's ``context.id``."""
    return _str(content.get("original_message_id") or content.get("id") or context.get("id"))


def _changes(kind: str, msg: dict, context: dict) -> dict:
    """The edit / revoke / system fields of an InboundMessage (empty for other types)."""
    content = _sub(msg, kind)
    if kind == "edit":
        return {"edit_of": _original_id(content, context)}
    if kind == "revoke":
        return {"revoke_of": _original_id(content, context)}
    if kind == "system":
        return {
            "system_type": _str(content.get("type")),
            "new_wa_id": _str(content.get("wa_id") or content.get("new_wa_id")),
            "new_user_id": _str(content.get("user_id") or content.get("new_user_id")),
        }
    return {}


def _inbound(waba_id: str, value: dict, msg) -> InboundMessage:
    if not isinstance(msg, dict) or not msg.get("id"):
        raise WebhookFormatError("a message without id")
    sender, user_id = _str(msg.get("from")) or "", _str(msg.get("from_user_id"))
    if not sender and not user_id:  # a username-only user still has from_user_id
        raise WebhookFormatError("a message without sender (neither from nor from_user_id)")
    metadata = _dict(value.get("metadata"), "metadata")
    contact = _contact(value, sender, user_id)
    profile = _sub(contact, "profile")
    kind = str(msg.get("type") or "unknown")
    text, payload = _text_and_payload(msg)
    context = _dict(msg.get("context"), "context")
    reply_to = context.get("id")
    if kind == "edit" and not reply_to:  # what the edited message replied to, if anything
        reply_to = _sub(_edited(_sub(msg, "edit")), "context").get("id")
    reaction = _sub(msg, "reaction")
    location = msg.get("location")
    return InboundMessage(
        waba_id=waba_id,
        phone_number_id=str(metadata.get("phone_number_id") or ""),
        display_phone_number=str(metadata.get("display_phone_number") or ""),
        message_id=str(msg["id"]),
        wa_id=sender or _str(contact.get("wa_id")) or "",
        profile_name=str(profile.get("name") or ""),
        timestamp=_timestamp(msg.get("timestamp")),
        type=kind,
        text=text,
        payload=payload,
        media=_media(msg, kind),
        context_id=reply_to,
        reaction_to=reaction.get("message_id"),
        location=dict(location) if kind == "location" and isinstance(location, dict) else None,
        errors=_errors(msg.get("errors")),
        raw=msg,
        user_id=user_id
        or _str(contact.get("user_id"))
        or _str(_sub(msg, "system").get("previous_user_id")),
        username=_str(profile.get("username")),
        **_changes(kind, msg, context),
    )


def _status(waba_id: str, value: dict, status) -> StatusUpdate:
    if not isinstance(status, dict) or not status.get("id") or not status.get("status"):
        raise WebhookFormatError("a status without message id or status")
    metadata = _dict(value.get("metadata"), "metadata")
    conversation = _sub(status, "conversation")
    pricing = _sub(status, "pricing")
    recipient = _str(status.get("recipient_id")) or ""
    user_id = _str(status.get("recipient_user_id"))
    # The contacts of a status webhook describe its recipient (read leniently here).
    contact = _contact(value, recipient, None) if isinstance(value.get("contacts"), list) else {}
    return StatusUpdate(
        waba_id=waba_id,
        phone_number_id=str(metadata.get("phone_number_id") or ""),
        message_id=str(status["id"]),
        status=str(status["status"]),
        timestamp=_timestamp(status.get("timestamp")),
        recipient_id=recipient,
        errors=_errors(status.get("errors")),
        conversation_id=conversation.get("id"),
        pricing_category=_str(pricing.get("category")),
        raw=status,
        recipient_user_id=user_id or _str(contact.get("user_id")),
        pricing_billable=pricing["billable"] if isinstance(pricing.get("billable"), bool) else None,
        pricing_model=_str(pricing.get("pricing_model")),
        pricing_type=_str(pricing.get("type")),
        biz_opaque_callback_data=_str(status.get("biz_opaque_callback_data")),
    )


def _template(waba_id: str, name: str, value: dict) -> TemplateUpdate:
    template_id = value.get("message_template_id")
    rejection = _sub(value, "rejection_info")
    return TemplateUpdate(
        waba_id=waba_id,
        field=name,
        event=value.get("event"),
        template_id=str(template_id) if template_id is not None else None,
        template_name=value.get("message_template_name"),
        language=value.get("message_template_language"),
        reason=value.get("reason") or rejection.get("reason"),
        category=value.get("message_template_category") or value.get("previous_category"),
        new_category=value.get("new_category"),
        quality_score=value.get("new_quality_score"),
        raw=value,
    )


def _change_events(waba_id: str, change) -> list:
    if not isinstance(change, dict) or not isinstance(change.get("value"), dict):
        raise WebhookFormatError("a change without a value")
    name, value = change.get("field"), change["value"]
    if name in TEMPLATE_FIELDS:
        return [_template(waba_id, name, value)]
    if name != "messages":
        return [OtherChange(waba_id, str(name or ""), change)]
    messages = _list(value.get("messages"), "messages")
    statuses = _list(value.get("statuses"), "statuses")
    events = [_inbound(waba_id, value, m) for m in messages]
    events += [_status(waba_id, value, s) for s in statuses]
    if not events:  # e.g. account-level ``errors``: keep it visible, do not drop it
        events.append(OtherChange(waba_id, name, change))
    return events


def routing_key(event) -> tuple[str, str]:
    """Which account an event is for: ``("phone", phone_number_id)`` for messages and
    statuses, ``("waba", waba_id)`` for template and other account-level changes."""
    number = getattr(event, "phone_number_id", "")
    return ("phone", number) if number else ("waba", event.waba_id)


def parse_payload(payload: dict) -> list:
    """Every event in a webhook body, in order; WebhookFormatError if it is not Meta's."""
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        raise WebhookFormatError("not a WhatsApp Business Account webhook")
    entries = payload.get("entry")
    if not isinstance(entries, list):
        raise WebhookFormatError("entry is not a list")
    events = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise WebhookFormatError("an entry that is not an object")
        waba_id = str(entry.get("id") or "")
        for change in _list(entry.get("changes"), "changes"):
            events += _change_events(waba_id, change)
    return events
