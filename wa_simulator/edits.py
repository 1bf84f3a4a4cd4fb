"""A patient edits or deletes ("revokes") a message they sent, as Meta reports it: a new
message of type ``edit`` (``edit.original_message_id`` and ``edit.message``, the new
content) or ``revoke`` (``revoke.original_message_id``)."""

import copy
import time

from . import blocklist
from .errors import ControlError
from .state import inbound_entry, new_wamid
from .users import sender
from .webhooks import contact_item, envelope, messages_value, profile_name

EDIT_SECONDS = 15 * 60  # WhatsApp lets a message be edited for 15 minutes
REVOKE_SECONDS = 2 * 24 * 3600  # and deleted for everyone for two days
CAPTIONED = ("image", "video", "document")


def _original(world, body, limit, verb):
    """The patient's message ``message_id``, still theirs to change."""
    message = world.by_id.get(str(body.get("message_id") or ""))
    if not message or message["direction"] != "in" or message["type"] in ("edit", "revoke"):
        raise ControlError("'message_id' must be a message the patient sent", status=404)
    if message.get("revoked"):
        raise ControlError("that message was deleted", status=409)
    if time.time() - message["time"] > limit:
        raise ControlError(f"WhatsApp no longer lets the patient {verb} that message", status=409)
    return message


def _emit(sim, original, kind, content, text):
    """Record the edit or revoke beside the original and send its webhook."""
    world = sim.state
    number = world.numbers[original["wa_id"]]
    shown = original.get("number_shown", True) and not number["hide_number"]
    msg = {
        **sender(number, shown),
        "id": new_wamid(),
        "timestamp": str(int(time.time())),
        "type": kind,
        kind: content,
    }
    world.add_message(
        inbound_entry(msg, original["wa_id"], {"text": text}, context=original["id"], shown=shown)
    )
    name = profile_name(number, shown)
    contact = contact_item(number, name, shown)
    sim.deliverer.emit(
        envelope(sim, messages_value(sim, original["wa_id"], name, [msg], contacts=[contact])),
        "message",
    )
    return {"id": msg["id"], "original_message_id": original["id"]}


def edit(sim, body):
    """POST /_sim/edit ``{message_id, text}``: the patient edits a text (or the caption
    of an image, video or document) they sent less than 15 minutes ago."""
    text = str(body.get("text") or "")
    if not text:
        raise ControlError("an edit needs the new 'text'")
    world = sim.state
    with world.lock:
        original = _original(world, body, EDIT_SECONDS, "edit")
        if blocklist.is_blocked(sim, original["wa_id"]):
            return blocklist.refusal(original["wa_id"])
        kind, sent = original["type"], original["payload"]
        if kind == "text":
            content = {"type": "text", "text": {"body": text}}
        elif kind in CAPTIONED:
            content = {"type": kind, kind: {**copy.deepcopy(sent[kind]), "caption": text}}
        else:
            raise ControlError(f"a {kind} message cannot be edited, only text and captions")
        if sent.get("context"):
            content = {"context": {"id": sent["context"]["id"]}, **content}
        original["view"]["text"] = text
        if "media" in original["view"]:
            original["view"]["media"]["caption"] = text
        original["edited"] = True
        change = {"original_message_id": original["id"], "message": content}
        return _emit(sim, original, "edit", change, text)


def revoke(sim, body):
    """POST /_sim/revoke ``{message_id}``: the patient deletes for everyone a message
    they sent less than two days ago."""
    world = sim.state
    with world.lock:
        original = _original(world, body, REVOKE_SECONDS, "delete")
        if blocklist.is_blocked(sim, original["wa_id"]):
            return blocklist.refusal(original["wa_id"])
        original["revoked"] = True
        return _emit(sim, original, "revoke", {"original_message_id": original["id"]}, "")
