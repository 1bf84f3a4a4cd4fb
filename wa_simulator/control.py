"""The control API under /_sim/: make patients write and press buttons, inject faults,
change how webhooks are delivered, inspect what the simulator received."""

import base64
import secrets
import time

import requests

from . import graph
from .state import DEFAULT_IMAGE, new_wamid
from .webhooks import envelope, messages_value


def inbound(sim, body):
    """A simulated patient writes; returns the new message id."""
    world = sim.state
    wa_id = str(body.get("from") or "").lstrip("+")
    if not wa_id.isdigit():
        raise graph.invalid("'from' must be a phone number")
    kind = body.get("type", "text")
    number = world.number(wa_id)
    if body.get("name"):
        number["name"] = body["name"]
    wamid = new_wamid()
    msg = {"from": wa_id, "id": wamid, "timestamp": str(int(time.time())), "type": kind}
    context_id = body.get("context_id")
    if kind == "text":
        msg["text"] = {"body": body.get("text", "")}
    elif kind in graph.MEDIA_TYPES:
        media = body.get("media") or {}
        content = base64.b64decode(media["content_base64"]) if media.get("content_base64") \
            else DEFAULT_IMAGE
        mime = media.get("mime_type") or ("image/png" if kind == "image" else "application/octet-stream")
        media_id = world.add_media(content, mime, media.get("filename"))
        msg[kind] = {"mime_type": mime, "sha256": world.media[media_id]["sha256"], "id": media_id}
        if body.get("caption") and kind in ("image", "video", "document"):
            msg[kind]["caption"] = body["caption"]
        if kind == "document":
            msg[kind]["filename"] = media.get("filename") or "document.pdf"
        if kind == "audio":
            msg[kind]["voice"] = True
    elif kind == "location":
        msg["location"] = {k: body[k] for k in ("latitude", "longitude", "name", "address")
                           if k in body}
    elif kind == "button":
        msg["button"] = {"payload": body.get("payload", ""), "text": body.get("text", "")}
        context_id = context_id or _last_sent_id(world, wa_id)
    elif kind == "interactive":
        reply = {"id": body.get("reply_id", ""), "title": body.get("title", "")}
        if body.get("list"):
            reply["description"] = body.get("description", "")
            msg["interactive"] = {"type": "list_reply", "list_reply": reply}
        else:
            msg["interactive"] = {"type": "button_reply", "button_reply": reply}
        context_id = context_id or _last_sent_id(world, wa_id)
    elif kind == "reaction":
        msg["reaction"] = {"message_id": body.get("message_id") or _last_sent_id(world, wa_id),
                           "emoji": body.get("emoji", "👍")}
    else:
        msg["type"] = "unsupported"
        msg["errors"] = [{"code": 131051, "title": "Message type unknown",
                          "message": "Message type unknown",
                          "error_data": {"details": "Message type is currently not supported."}}]
    if context_id:
        msg["context"] = {"from": sim.display_phone_number, "id": context_id}
    with world.lock:
        world.last_inbound[wa_id] = time.time()
        world.messages.append({"id": wamid, "wa_id": wa_id, "direction": "in", "type": msg["type"],
                               "text": body.get("text") or body.get("caption") or body.get("title")
                               or f"[{msg['type']}]", "payload": msg, "status": "received",
                               "errors": [], "time": time.time(), "buttons": []})
    sim.deliverer.emit(envelope(sim, messages_value(sim, wa_id, number.get("name"), [msg])))
    return {"id": wamid}


def _last_sent_id(world, wa_id):
    for message in reversed(world.messages):
        if message["wa_id"] == wa_id and message["direction"] == "out":
            return message["id"]
    return None


def press(sim, body):
    """The patient presses a quick-reply button of a message the business sent."""
    world = sim.state
    wa_id = str(body.get("from") or "").lstrip("+")
    target = None
    for message in reversed(world.messages):
        if message["wa_id"] == wa_id and message["direction"] == "out" and message["buttons"] and (
            not body.get("message_id") or message["id"] == body["message_id"]
        ):
            target = message
            break
    if not target:
        raise graph.invalid("no message with buttons was sent to this number")
    buttons = target["buttons"]
    if "button" in body:
        match = [b for b in buttons if b[0].casefold() == str(body["button"]).casefold()]
        if not match:
            raise graph.invalid(f"no button {body['button']!r}; there are {[b[0] for b in buttons]}")
        title, payload = match[0]
    else:
        title, payload = buttons[int(body.get("index", 0))]
    if target["type"] == "interactive":
        request = {"from": wa_id, "type": "interactive", "reply_id": payload, "title": title}
    else:
        request = {"from": wa_id, "type": "button", "payload": payload, "text": title}
    return inbound(sim, dict(request, context_id=target["id"]))


def verify_webhook(sim):
    challenge = secrets.token_hex(8)
    try:
        response = requests.get(sim.webhook_url, timeout=10, params={
            "hub.mode": "subscribe", "hub.verify_token": sim.verify_token or "",
            "hub.challenge": challenge})
    except requests.RequestException as error:
        return {"ok": False, "error": str(error)}
    return {"ok": response.status_code == 200 and response.text == challenge,
            "status": response.status_code}


def handle(sim, method, path, query, body):
    """Route a control call; returns a JSON-able answer."""
    world = sim.state
    route = (method, path)
    if route == ("POST", "/_sim/inbound"):
        return inbound(sim, body)
    if route == ("POST", "/_sim/press"):
        return press(sim, body)
    if route == ("POST", "/_sim/faults"):
        fault = dict(body, count=int(body.get("count", 1)))
        with world.lock:
            world.faults.append(fault)
        return {"faults": world.faults}
    if route == ("DELETE", "/_sim/faults"):
        world.faults.clear()
        return {"faults": []}
    if route == ("POST", "/_sim/webhook-mode"):
        sim.deliverer.mode.update({k: body[k] for k in ("duplicate", "shuffle", "delay", "manual")
                                   if k in body})
        return sim.deliverer.mode
    if route == ("POST", "/_sim/flush"):
        return {"deliveries": sim.deliverer.flush()}
    if route == ("GET", "/_sim/deliveries"):
        return {"deliveries": world.deliveries, "pending": len(world.pending)}
    if route == ("POST", "/_sim/numbers"):
        number = world.number(str(body.get("wa_id", "")).lstrip("+"))
        number.update({k: body[k] for k in ("on_whatsapp", "reads", "name") if k in body})
        return number
    if route == ("POST", "/_sim/templates"):
        template = graph.add_template(sim, body["name"], body["language"],
                                      body.get("status", "APPROVED"),
                                      body.get("category", "UTILITY"), body.get("components") or [])
        return template
    if route == ("POST", "/_sim/templates/reject"):
        world.rejections[body["name"]] = body.get("reason") or "INVALID_FORMAT"
        return {"ok": True}
    if route == ("POST", "/_sim/templates/status"):
        return graph.set_template_status(sim, body["name"], body["language"], body["status"],
                                         body.get("reason"))
    if route == ("GET", "/_sim/messages"):
        to = query.get("to")
        return [m for m in world.messages
                if m["direction"] == "out" and (not to or m["wa_id"] == to.lstrip("+"))]
    if route == ("GET", "/_sim/conversations"):
        return world.conversations()
    if route == ("POST", "/_sim/reset"):
        world.reset(keep_templates=bool(body.get("keep_templates")))
        sim.deliverer.mode.update({"duplicate": 0, "shuffle": False, "delay": 0.0,
                                   "manual": not sim.auto_deliver})
        return {"ok": True}
    if route == ("GET", "/_sim/config"):
        return sim.config()
    if route == ("POST", "/_sim/config"):
        for key in ("webhook_url", "app_secret", "verify_token", "delivery_delay",
                    "template_review_delay"):
            if key in body:
                setattr(sim, key, body[key])
        return sim.config()
    if route == ("POST", "/_sim/verify-webhook"):
        return verify_webhook(sim)
    raise graph.GraphError(404, 100, f"Unknown control route {method} {path}")
