"""POST /{version}/{phone-number-id}/messages: validated like the live API, answered in
Meta's shape, followed by status webhooks (sent, delivered, read, or failed)."""

import re
import secrets
import time

from . import blocklist, statuses
from .errors import GraphError, invalid, not_valid, required
from .state import component, fill, new_wamid, placeholders

MESSAGE_TYPES = (
    "audio",
    "contacts",
    "document",
    "image",
    "interactive",
    "location",
    "reaction",
    "sticker",
    "template",
    "text",
    "video",
)
MEDIA_TYPES = ("image", "document", "audio", "video", "sticker")
PHONE = re.compile(r"^\+?\d+$")
BAD_PARAMETER_TEXT = re.compile(r"[\n\t]| {5,}")


def send(sim, body):
    world = sim.state
    if "messaging_product" not in body:
        raise required("messaging_product")
    if body["messaging_product"] != "whatsapp":
        raise invalid(
            "Param messaging_product must be one of {WHATSAPP} - got "
            f'"{body["messaging_product"]}".'
        )
    if body.get("status") == "read":
        return _mark_read(world, body)
    if body.get("recipient_type", "individual") != "individual":
        raise invalid("Param recipient_type must be one of {INDIVIDUAL}.")
    wa_id, user_id = _addressee(world, body)
    kind = body.get("type", "text")
    if kind not in MESSAGE_TYPES:
        raise invalid(
            f"Param type must be one of {{{', '.join(t.upper() for t in MESSAGE_TYPES)}}}"
            f' - got "{kind}".'
        )
    content = body.get(kind)
    if not isinstance(content, dict) and not (kind == "contacts" and isinstance(content, list)):
        raise required(kind)
    try:
        view, buttons = VALIDATORS[kind](world, content)
    except (AttributeError, KeyError, TypeError, ValueError) as error:  # a malformed shape
        raise invalid(f"Param {kind} is malformed: {type(error).__name__} {error}") from error
    if blocklist.is_blocked(sim, wa_id):
        raise blocklist.refused_send()
    number = world.number(wa_id)
    category = str(view.get("category") or "service").lower()  # what Meta bills it as
    conversations = number.setdefault("conversations", {})
    message = {
        "id": new_wamid(),
        "wa_id": wa_id,
        "direction": "out",
        "type": kind,
        "time": time.time(),
        "payload": body,
        "status": "accepted",
        "statuses": [],
        "errors": [],
        "view": view,
        "buttons": buttons,
        "pricing_category": category,
        # Per-message pricing: a service answer, or a utility template, inside the
        # patient's 24 h window is free.
        "in_window": world.window_open(wa_id),
        "conversation_id": conversations.setdefault(category, secrets.token_hex(16)),
        "biz_opaque_callback_data": body.get("biz_opaque_callback_data"),
        "context": (body.get("context") or {}).get("message_id"),
        "recipient_user_id": user_id,
    }
    world.add_message(message)
    statuses.schedule(sim, message, kind)
    contact = {"input": body["recipient"], "user_id": user_id} if user_id else None
    return {
        "messaging_product": "whatsapp",
        "contacts": [contact or {"input": body["to"], "wa_id": wa_id}],
        "messages": [{"id": message["id"]}],
    }


def _addressee(world, body):
    """``(key, None)`` for a send ``to`` a phone number; ``(key, bsuid)`` for one to a
    ``recipient`` the simulator knows as a business-scoped user id. ``to`` wins when
    both are given, as at Meta."""
    to, recipient = body.get("to"), body.get("recipient")
    if to in (None, "") and recipient not in (None, ""):
        if not isinstance(recipient, str) or world.find_user(recipient) is None:
            raise invalid(
                f"Param recipient must be a phone number or the business-scoped user id of a "
                f"WhatsApp user; got {recipient!r}."
            )
        return world.find_user(recipient), recipient
    if to in (None, ""):
        raise required("to")
    if not isinstance(to, str) or not PHONE.match(to.replace(" ", "")):
        raise invalid(f"Param to must be a phone number (digits, an optional +); got {to!r}.")
    return to.replace(" ", "").lstrip("+"), None


def _mark_read(world, body):
    """A read receipt; with ``typing_indicator: {"type": "text"}`` the patient also sees
    "typing…" (recorded as ``typing`` on the message)."""
    message_id = body.get("message_id")
    if not message_id:
        raise required("message_id")
    typing = body.get("typing_indicator")
    if typing is not None and (not isinstance(typing, dict) or typing.get("type") != "text"):
        raise invalid("Param typing_indicator['type'] must be one of {TEXT}.")
    with world.lock:
        message = world.by_id.get(message_id)
        if not message or message["direction"] != "in":
            raise invalid(f"Invalid message_id {message_id!r}: no message received with that id.")
        message["status"] = "read"
        if typing is not None:
            message["typing"] = True
    return {"success": True}


# ---------------------------------------------------------------------------- validation
def _text(world, content):
    text = content.get("body")
    if not text:
        raise required("text['body']")
    if len(text) > 4096:
        raise invalid("Param text['body'] must be at most 4096 characters long.")
    return {"text": text}, []


def _media(kind):
    def validate(world, content):
        has_id, has_link = bool(content.get("id")), bool(content.get("link"))
        if has_id == has_link:
            raise invalid(f"Param {kind} must have exactly one of id and link.")
        media = {
            "kind": kind,
            "caption": content.get("caption"),
            "filename": content.get("filename"),
            "link": content.get("link"),
        }
        if has_id:
            stored = world.media.get(str(content["id"]))
            if not stored:
                raise invalid(
                    f"Param {kind}['id'] is not a valid media id uploaded to this phone number."
                )
            media.update(
                id=stored["id"],
                mime_type=stored["mime_type"],
                filename=media["filename"] or stored["filename"],
            )
        return {"text": content.get("caption") or "", "media": media}, []

    return validate


def _location(world, content):
    for key in ("latitude", "longitude"):
        if content.get(key) in (None, ""):
            raise required(f"location['{key}']")
    return {"text": content.get("name") or "", "location": content}, []


def _contacts(world, content):
    if not isinstance(content, list) or not content:
        raise required("contacts")
    names = [str((c.get("name") or {}).get("formatted_name", "")) for c in content]
    return {"text": "Contact: " + ", ".join(names)}, []


def _reaction(world, content):
    if not content.get("message_id"):
        raise required("reaction['message_id']")
    if "emoji" not in content:
        raise required("reaction['emoji']")
    return {"text": content["emoji"], "reaction": content}, []


def _interactive(world, content):
    kind = content.get("type")
    if kind not in ("button", "list"):
        raise invalid(f"Param interactive['type'] must be one of {{BUTTON, LIST}} - got {kind!r}.")
    body_text = (content.get("body") or {}).get("text")
    if not body_text:
        raise required("interactive['body']['text']")
    if len(body_text) > 1024:
        raise not_valid("Body text length invalid. Min length: 1, Max length: 1024")
    action = content.get("action") or {}
    buttons = _reply_buttons(action) if kind == "button" else _list_rows(action)
    header = content.get("header") or {}
    return {
        "text": body_text,
        "header": header.get("text"),
        "footer": (content.get("footer") or {}).get("text"),
        "list_button": action.get("button"),
    }, buttons


def _reply_buttons(action):
    raw = action.get("buttons") or []
    if not 1 <= len(raw) <= 3:
        raise not_valid("Buttons count invalid. Min count: 1, Max count: 3")
    buttons = []
    for index, button in enumerate(raw):
        reply = button.get("reply") or {}
        if button.get("type", "reply") != "reply" or not reply.get("id"):
            raise required(f"interactive['action']['buttons'][{index}]['reply']['id']")
        if not 1 <= len(reply.get("title") or "") <= 20:
            raise not_valid("Button title length invalid. Min length: 1, Max length: 20")
        buttons.append(
            {
                "index": index,
                "kind": "reply",
                "title": reply["title"],
                "payload": reply["id"],
                "pressable": True,
            }
        )
    if len({b["payload"] for b in buttons}) != len(buttons):
        raise not_valid("Button IDs must be unique.")
    return buttons


def _list_rows(action):
    if not action.get("button") or len(action["button"]) > 20:
        raise not_valid("Button text length invalid. Min length: 1, Max length: 20")
    rows = [row for section in action.get("sections") or [] for row in section.get("rows") or []]
    if not 1 <= len(rows) <= 10:
        raise not_valid("Total row count exceed max allowed count: 10 (min 1)")
    buttons = []
    for index, row in enumerate(rows):
        if not row.get("id") or not 1 <= len(row.get("title") or "") <= 24:
            raise not_valid("Row title length invalid. Min length: 1, Max length: 24")
        buttons.append(
            {
                "index": index,
                "kind": "row",
                "title": row["title"],
                "payload": row["id"],
                "description": row.get("description"),
                "pressable": True,
            }
        )
    return buttons


def _template(world, content):
    name = content.get("name")
    if not name:
        raise required("template['name']")
    language = (content.get("language") or {}).get("code")
    if not language:
        raise required("template['language']['code']")
    found = world.find_templates(name, language)
    template = found[0] if found else None
    status = template["status"] if template else None
    if status == "PAUSED":
        raise GraphError(
            400,
            132015,
            None,
            f"Template {name} ({language}) is paused because of "
            "low quality; it cannot be sent until it is reinstated.",
        )
    if status == "DISABLED":
        raise GraphError(400, 132016, None, f"Template {name} ({language}) has been disabled.")
    if status != "APPROVED":  # missing, or PENDING, REJECTED, IN_APPEAL, ...
        raise GraphError(404, 132001, None, f"template name ({name}) does not exist in {language}")
    sent = {
        str(c.get("type", "")).lower(): c
        for c in content.get("components") or []
        if str(c.get("type", "")).lower() != "button"
    }
    header = component(template, "HEADER") or {}
    body = component(template, "BODY") or {}
    header_params = (sent.get("header") or {}).get("parameters") or []
    body_params = (sent.get("body") or {}).get("parameters") or []
    fmt = str(header.get("format", "TEXT")).upper()
    if fmt in ("IMAGE", "VIDEO", "DOCUMENT") and not any(
        p.get("type") == fmt.lower() for p in header_params
    ):
        got = header_params[0].get("type", "").upper() if header_params else "nothing"
        raise GraphError(
            400, 132012, None, f"header: Format mismatch, expected {fmt}, received {got}"
        )
    checks = [("body", body_params, body.get("text"))]
    if fmt == "TEXT":
        checks.insert(0, ("header", header_params, header.get("text")))
    for part, params, text in checks:
        expected = len(placeholders(text))
        if len(params) != expected:
            raise GraphError(
                400,
                132000,
                None,
                f"{part}: number of localizable_params ({len(params)}) does not "
                f"match the expected number of params ({expected})",
            )
        for param in params:
            if param.get("type", "text") == "text" and BAD_PARAMETER_TEXT.search(
                str(param.get("text", ""))
            ):
                raise invalid(
                    "Param text cannot have new-line/tab characters or more than 4 "
                    "consecutive spaces"
                )
    view = {
        "template": name,
        "category": template["category"],
        "language": language,
        "header": fill(header.get("text"), header_params) if fmt == "TEXT" else None,
        "text": fill(body.get("text"), body_params),
        "footer": (component(template, "FOOTER") or {}).get("text"),
    }
    media = next(
        (p for p in header_params if p.get("type") in ("image", "video", "document")), None
    )
    if media:
        item = media[media["type"]]
        view["media"] = {
            "kind": media["type"],
            "link": item.get("link"),
            "id": item.get("id"),
            "filename": item.get("filename"),
        }
    return view, _template_buttons(template, content)


def _template_buttons(template, content):
    payloads = {}
    for item in content.get("components") or []:
        if str(item.get("type", "")).lower() == "button" and item.get("parameters"):
            parameter = item["parameters"][0]
            payloads[int(item.get("index", 0))] = parameter.get("payload") or parameter.get("text")
    buttons = []
    for index, button in enumerate((component(template, "BUTTONS") or {}).get("buttons") or []):
        kind = str(button.get("type", "")).lower()
        buttons.append(
            {
                "index": index,
                "kind": kind,
                "title": button.get("text", ""),
                "payload": payloads.get(index, button.get("text", "")),
                "url": button.get("url"),
                "pressable": kind == "quick_reply",
            }
        )
    return buttons


VALIDATORS = {
    "text": _text,
    "template": _template,
    "interactive": _interactive,
    "location": _location,
    "contacts": _contacts,
    "reaction": _reaction,
}
VALIDATORS.update({kind: _media(kind) for kind in MEDIA_TYPES})
