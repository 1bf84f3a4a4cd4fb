"""Simulated patients: they write (every message type of Meta's inbound webhooks) and press
the buttons of messages the business sent them."""

import base64
import binascii
import copy
import time

from . import blocklist, users
from .errors import ControlError
from .messages import MEDIA_TYPES
from .state import inbound_entry, new_wamid
from .webhooks import contact_item, envelope, messages_value, profile_name

# Small stand-ins for what a patient sends when the caller gives no file.
DEFAULT_MEDIA = {
    "image": (
        "photo.png",
        "image/png",
        base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5Erk"
            "Jggg=="
        ),
    ),
    "sticker": (
        "sticker.webp",
        "image/webp",
        base64.b64decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA=="),
    ),
    "audio": ("voice.ogg", "audio/ogg", b"OggS\x00\x02" + b"\x00" * 58),
    "video": ("video.mp4", "video/mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"),
    "document": (
        "document.pdf",
        "application/pdf",
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    ),
}
UNSUPPORTED = {
    "code": 131051,
    "title": "Message type unknown",
    "message": "Message type unknown",
    "error_data": {"details": "Message type is currently not supported."},
}


def _media(world, kind, body):
    given = body.get("media") or {}
    filename, mime_type, content = DEFAULT_MEDIA[kind]
    if given.get("content_base64"):
        try:
            content = base64.b64decode(given["content_base64"], validate=True)
        except (binascii.Error, ValueError) as error:
            raise ControlError("media.content_base64 is not base64") from error
    stored = world.add_media(
        content, given.get("mime_type") or mime_type, given.get("filename") or filename
    )
    item = {"mime_type": stored["mime_type"], "sha256": stored["sha256_b64"], "id": stored["id"]}
    if kind in ("image", "video", "document") and body.get("caption"):
        item = {"caption": body["caption"], **item}
    if kind == "document":
        item["filename"] = stored["filename"]
    if kind == "audio":
        item["voice"] = bool(body.get("voice", True))
    if kind == "sticker":
        item["animated"] = False
    return item


def _text(sim, wa_id, body):
    text = str(body.get("text") or "")
    if not text:
        raise ControlError("a text message needs 'text'")
    return {"body": text}, text, None


def _location(sim, wa_id, body):
    """``latitude``, ``longitude``, ``address``, ``url`` and ``location_name`` (``name`` is
    the patient's), or all of them in a ``location`` object as Meta sends it."""
    given = body.get("location") or {
        "address": body.get("address"),
        "latitude": body.get("latitude"),
        "longitude": body.get("longitude"),
        "name": body.get("location_name"),
        "url": body.get("url"),
    }
    if given.get("latitude") is None or given.get("longitude") is None:
        raise ControlError("a location needs 'latitude' and 'longitude'")
    location = {k: v for k, v in given.items() if v is not None}
    return location, location.get("name") or location.get("address") or "", None


def _contacts(sim, wa_id, body):
    name = body.get("contact_name") or "Contact"
    contacts = body.get("contacts") or [
        {
            "name": {"formatted_name": name, "first_name": name},
            "phones": [{"phone": "+" + str(body.get("contact_phone") or wa_id), "type": "MOBILE"}],
        }
    ]
    return contacts, "Contact: " + name, None


def _button(sim, wa_id, body):
    text = str(body.get("text") or body.get("payload") or "")
    button = {"payload": str(body.get("payload") or text), "text": text}
    return button, text, _last_sent_id(sim.state, wa_id)


def _interactive(sim, wa_id, body):
    reply_type = body.get("reply_type") or "button_reply"
    if reply_type not in ("button_reply", "list_reply"):
        raise ControlError("reply_type must be button_reply or list_reply")
    text = str(body.get("title") or "")
    reply = {"id": str(body.get("reply_id") or ""), "title": text}
    if reply_type == "list_reply" and body.get("description"):
        reply["description"] = body["description"]
    return {"type": reply_type, reply_type: reply}, text, _last_sent_id(sim.state, wa_id)


def _reaction(sim, wa_id, body):
    target = body.get("message_id") or _last_sent_id(sim.state, wa_id)
    if not target:
        raise ControlError("a reaction needs 'message_id' (no message was sent to this number)")
    emoji = body.get("emoji", "\N{THUMBS UP SIGN}")
    return {"message_id": target, "emoji": emoji}, emoji, None


def _media_builder(kind):
    def build(sim, wa_id, body):
        return _media(sim.state, kind, body), body.get("caption") or "", None

    return build


BUILDERS = {
    "text": _text,
    "location": _location,
    "contacts": _contacts,
    "button": _button,
    "interactive": _interactive,
    "reaction": _reaction,
}
BUILDERS.update({kind: _media_builder(kind) for kind in MEDIA_TYPES})


def write(sim, body):
    """POST /_sim/inbound: the patient sends a message; returns {"id": wamid}. The patient
    is ``from`` (a number) and/or ``from_user_id`` (a BSUID); without ``from``, or with
    ``hide_number``, the webhook carries no number."""
    kind = body.get("type") or "text"
    if kind != "unsupported" and kind not in BUILDERS:
        raise ControlError(
            f"unknown inbound type {kind!r}; one of {sorted([*BUILDERS, 'unsupported'])}"
        )
    wa_id = users.identify(sim.state, body)
    if blocklist.is_blocked(sim, wa_id):  # Meta drops it: no webhook, no 24 h window
        return blocklist.refusal(wa_id)
    msg = {"id": new_wamid(), "timestamp": str(int(time.time())), "type": kind}
    if kind == "unsupported":
        msg["errors"] = [copy.deepcopy(UNSUPPORTED)]
        text, default_context = "", None
    else:
        msg[kind], text, default_context = BUILDERS[kind](sim, wa_id, body)
    wa_id, number, shown = users.resolve(sim.state, body)  # the content is fine: now create
    msg = {**users.sender(number, shown), **msg}
    context_id = body.get("context_id") or default_context
    if context_id:
        msg = {"context": {"from": sim.display_phone_number, "id": context_id}, **msg}
    return {"id": _deliver(sim, wa_id, body.get("name"), msg, text, shown=shown)}


def _deliver(sim, wa_id, name, msg, text, *, shown=True):
    world = sim.state
    now = time.time()
    with world.lock:
        number = world.number(wa_id)
        if name:
            number["name"] = name
        number["last_inbound"] = now  # the 24 h customer service window opens
        profile = profile_name(number, shown)
        kind = msg["type"]
        view = {"text": text}
        if kind in MEDIA_TYPES:
            view["media"] = {"kind": kind, **msg[kind]}
        if kind == "location":
            view["location"] = msg["location"]
        world.add_message(
            inbound_entry(
                msg,
                wa_id,
                view,
                context=(msg.get("context") or {}).get("id"),
                shown=shown,
                now=now,
            )
        )
        contact = contact_item(number, profile, shown)
    value = messages_value(sim, wa_id, profile, messages=[msg], contacts=[contact])
    sim.deliverer.emit(envelope(sim, value), "message")
    return msg["id"]


def _last_sent_id(world, wa_id):
    message = world.last_outgoing(wa_id)
    return message["id"] if message else None


def press(sim, body):
    """POST /_sim/press: the patient taps a button of the last message with buttons sent to
    them (or of ``message_id``): a template quick reply, a reply button or a list row."""
    world = sim.state
    wa_id = users.known(world, body)
    wanted = body.get("message_id")
    target = world.last_outgoing(
        wa_id,
        lambda m: any(b["pressable"] for b in m["buttons"]) and (not wanted or m["id"] == wanted),
    )
    if not target:
        raise ControlError(
            "no message with buttons was sent to this number"
            + (f" with id {wanted}" if wanted else ""),
            status=404,
        )
    if target["status"] == "failed":
        raise ControlError(
            "that message was not delivered: the patient never saw its buttons", status=409
        )
    buttons = target["buttons"]
    if body.get("button") is not None:
        label = str(body["button"]).casefold()
        matches = [
            b
            for b in buttons
            if b["title"].casefold() == label or str(b["payload"]).casefold() == label
        ]
        if not matches:
            raise ControlError(
                f"no button {body['button']!r}; the message has {[b['title'] for b in buttons]}"
            )
        button = matches[0]
    else:
        index = int(body.get("index", 0))
        button = next((b for b in buttons if b["index"] == index), None)
        if button is None:
            raise ControlError(f"no button at index {index}")
    if not button["pressable"]:
        raise ControlError(f"button {button['title']!r} opens a {button['kind']}; it sends nothing")
    who = {k: body[k] for k in ("from", "from_user_id") if body.get(k) not in (None, "")}
    common = {**who, "context_id": target["id"], "name": body.get("name")}
    if button["kind"] == "quick_reply":
        request = {"type": "button", "payload": button["payload"], "text": button["title"]}
    elif button["kind"] == "row":
        request = {
            "type": "interactive",
            "reply_type": "list_reply",
            "reply_id": button["payload"],
            "title": button["title"],
            "description": button.get("description"),
        }
    else:
        request = {
            "type": "interactive",
            "reply_type": "button_reply",
            "reply_id": button["payload"],
            "title": button["title"],
        }
    return write(sim, {**common, **request})
