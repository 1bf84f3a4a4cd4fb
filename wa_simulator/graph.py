"""The Graph API routes: messages, media, templates, phone number. Validated like the
live API; errors in Meta's Graph shape."""

import json
import re
import secrets
import threading
import time
from email.parser import BytesParser
from email.policy import HTTP

from .state import World, new_wamid
from .webhooks import envelope, status_body

MESSAGE_TYPES = {"text", "template", "interactive", "image", "document", "audio", "video",
                 "sticker", "location", "contacts", "reaction"}
MEDIA_TYPES = {"image", "document", "audio", "video", "sticker"}
NAME = re.compile(r"^[a-z0-9_]+$")
CATEGORIES = {"UTILITY", "MARKETING", "AUTHENTICATION"}


class GraphError(Exception):
    def __init__(self, status, code, message, details=None, error_type="OAuthException"):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details, self.error_type = details, error_type

    def body(self):
        error = {"message": self.message, "type": self.error_type, "code": self.code,
                 "fbtrace_id": "A" + secrets.token_hex(10)}
        if self.details:
            error["error_data"] = {"messaging_product": "whatsapp", "details": self.details}
        return {"error": error}


def invalid(details):
    return GraphError(400, 100, "(#100) Invalid parameter", details)


def check_token(sim, headers):
    auth = headers.get("Authorization") or ""
    if not auth.startswith("Bearer ") or not auth[7:].strip():
        raise GraphError(401, 190, "An access token is required to request this resource.")
    if auth[7:].strip() != sim.access_token:
        raise GraphError(401, 190, "Invalid OAuth access token - Cannot parse access token")


def fault_response(sim, operation):
    """A fault injected by the control API, or None."""
    fault = sim.state.take_fault(operation)
    if not fault:
        return None
    if fault.get("timeout"):
        time.sleep(float(fault.get("timeout_seconds", 5)))
    if fault.get("code") is not None:
        raise GraphError(int(fault.get("http_status") or 400), int(fault["code"]),
                         fault.get("message") or f"Simulated error {fault['code']}",
                         fault.get("details"))
    status = int(fault.get("http_status") or 503)
    return status, "text/html", b"<html><body><h1>Service Unavailable</h1></body></html>"


# ---------------------------------------------------------------------------- messages
def send_message(sim, body):
    world: World = sim.state
    if body.get("messaging_product") != "whatsapp":
        raise invalid("messaging_product must be 'whatsapp'")
    if body.get("status") == "read":
        if not body.get("message_id"):
            raise invalid("message_id is required")
        return {"success": True}
    to = str(body.get("to") or "").lstrip("+")
    if not to.isdigit():
        raise invalid("'to' must be a phone number")
    kind = body.get("type", "text")
    if kind not in MESSAGE_TYPES or not isinstance(body.get(kind), dict):
        raise invalid(f"Unknown or missing message type {kind!r}")
    content = body[kind]
    text = _validate(world, kind, content)
    wamid = new_wamid()
    message = {"id": wamid, "wa_id": to, "direction": "out", "type": kind, "text": text,
               "payload": body, "status": "accepted", "errors": [], "time": time.time(),
               "buttons": _buttons(world, kind, content)}
    number = world.number(to)
    with world.lock:
        world.messages.append(message)
    errors = None
    if not number["on_whatsapp"] or not 8 <= len(to) <= 15:
        errors = [{"code": 131026, "title": "Message undeliverable",
                   "message": "Message undeliverable",
                   "error_data": {"details": "Message Undeliverable."}}]
    elif kind != "template" and not world.window_open(to):
        errors = [{"code": 131047, "title": "Re-engagement message",
                   "message": "Re-engagement message",
                   "error_data": {"details": "Message failed to send because more than 24 hours "
                                            "have passed since the customer last replied to "
                                            "this number."}}]
    _schedule_statuses(sim, message, number, errors)
    return {"messaging_product": "whatsapp", "contacts": [{"input": body["to"], "wa_id": to}],
            "messages": [{"id": wamid}]}


def _validate(world, kind, content):
    if kind == "text":
        if not content.get("body"):
            raise invalid("text.body is required")
        if len(content["body"]) > 4096:
            raise invalid("text.body is longer than 4096 characters")
        return content["body"]
    if kind == "template":
        name, language = content.get("name"), (content.get("language") or {}).get("code")
        if not name or not language:
            raise invalid("template.name and template.language.code are required")
        template = world.template(name, language)
        if not template or template["status"] in ("PENDING", "REJECTED"):
            raise GraphError(404, 132001, "(#132001) Template name does not exist in the translation",
                             f"template name ({name}) does not exist in {language}")
        if template["status"] == "PAUSED":
            raise GraphError(400, 132015, "(#132015) Template is paused")
        if template["status"] == "DISABLED":
            raise GraphError(400, 132016, "(#132016) Template has been disabled")
        params = []
        for component in content.get("components") or []:
            if component.get("type") == "body":
                params = component.get("parameters") or []
        if len(params) != World.body_placeholders(template):
            raise GraphError(400, 132000, "(#132000) Number of parameters does not match the "
                             "expected number of params",
                             f"body: number of localizable_params ({len(params)}) does not match "
                             f"the expected number of params ({World.body_placeholders(template)})")
        return World.render(template, params)
    if kind == "interactive":
        if content.get("type") not in ("button", "list") or not (content.get("body") or {}).get("text"):
            raise invalid("interactive.type and interactive.body.text are required")
        if content["type"] == "button":
            buttons = (content.get("action") or {}).get("buttons") or []
            if not 1 <= len(buttons) <= 3 or any(len(b["reply"]["title"]) > 20 for b in buttons):
                raise invalid("1 to 3 reply buttons, titles of at most 20 characters")
        return content["body"]["text"]
    if kind in MEDIA_TYPES:
        if bool(content.get("id")) == bool(content.get("link")):
            raise invalid(f"{kind} needs exactly one of id and link")
        if content.get("id") and content["id"] not in world.media:
            raise invalid(f"media id {content['id']} was not uploaded")
        return content.get("caption") or content.get("filename") or f"[{kind}]"
    return f"[{kind}]"


def _buttons(world, kind, content):
    """Quick replies the patient can press: [(title, payload)]."""
    if kind == "interactive" and content.get("type") == "button":
        return [(b["reply"]["title"], b["reply"]["id"]) for b in content["action"]["buttons"]]
    if kind == "template":
        template = world.template(content["name"], content["language"]["code"]) or {}
        titles = [b.get("text") for c in template.get("components", [])
                  if c.get("type", "").upper() == "BUTTONS" for b in c.get("buttons", [])]
        payloads = {int(c.get("index", 0)): c["parameters"][0].get("payload")
                    for c in content.get("components") or []
                    if c.get("type") == "button" and c.get("parameters")}
        return [(title, payloads.get(i, title)) for i, title in enumerate(titles)]
    return []


def _schedule_statuses(sim, message, number, errors):
    def run():
        steps = ["failed"] if errors else ["sent", "delivered"] + (["read"] if number["reads"] else [])
        for step in steps:
            message["status"] = step
            if step == "failed":
                message["errors"] = errors
            sim.deliverer.emit(status_body(sim, message, step, errors if step == "failed" else None))
            if not sim.deliverer.mode["manual"]:
                time.sleep(sim.delivery_delay)

    if sim.deliverer.mode["manual"]:
        run()
    else:
        threading.Thread(target=run, daemon=True).start()


# ---------------------------------------------------------------------------- media
def upload_media(sim, headers, raw):
    content_type = headers.get("Content-Type", "")
    if "multipart/form-data" not in content_type:
        raise invalid("media upload must be multipart/form-data")
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw
    )
    fields, file_part = {}, None
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if part.get_filename():
            file_part = part
        elif name:
            fields[name] = part.get_content().strip() if part.get_content_maintype() == "text" \
                else part.get_payload(decode=True).decode()
    if fields.get("messaging_product") != "whatsapp" or file_part is None:
        raise invalid("file and messaging_product=whatsapp are required")
    content = file_part.get_payload(decode=True)
    mime = fields.get("type") or file_part.get_content_type()
    return {"id": sim.state.add_media(content, mime, file_part.get_filename())}


def get_media(sim, media_id):
    media = sim.state.media.get(media_id)
    if not media:
        raise GraphError(404, 100, "(#100) Unsupported get request: media not found")
    return {"messaging_product": "whatsapp", "url": f"{sim.url}/_media/{media_id}",
            "mime_type": media["mime_type"], "sha256": media["sha256"],
            "file_size": len(media["content"]), "id": media_id}


# ---------------------------------------------------------------------------- templates
def list_templates(sim, query):
    items = sorted(sim.state.templates.values(), key=lambda t: (t["name"], t["language"]))
    limit = int(query.get("limit", 25))
    start = int(query.get("after", 0))
    page = items[start:start + limit]
    body = {"data": page, "paging": {"cursors": {"before": str(start),
                                                 "after": str(start + len(page))}}}
    if start + limit < len(items):
        body["paging"]["next"] = (f"{sim.url}/{sim.api_version}/{sim.waba_id}/message_templates"
                                  f"?limit={limit}&after={start + limit}")
    return body


def create_template(sim, body):
    name, language, category = body.get("name"), body.get("language"), body.get("category")
    if not name or not NAME.match(name):
        raise invalid("name: only lowercase letters, digits and underscores")
    if category not in CATEGORIES:
        raise invalid(f"category must be one of {sorted(CATEGORIES)}")
    components = body.get("components") or []
    if not any(c.get("type", "").upper() == "BODY" for c in components):
        raise invalid("a BODY component is required")
    template = add_template(sim, name, language, "PENDING", category, components)

    def review():
        time.sleep(sim.template_review_delay)
        reason = sim.state.rejections.pop(name, None)
        set_template_status(sim, name, language, "REJECTED" if reason else "APPROVED", reason)

    threading.Thread(target=review, daemon=True).start()
    return {"id": template["id"], "status": "PENDING", "category": category}


def add_template(sim, name, language, status, category, components):
    template = {"name": name, "language": language, "status": status, "category": category,
                "id": str(10**15 + secrets.randbelow(10**15)), "components": components}
    with sim.state.lock:
        sim.state.templates[(name, language)] = template
    return template


def set_template_status(sim, name, language, status, reason=None):
    template = sim.state.template(name, language)
    if not template:
        raise invalid(f"no template {name} in {language}")
    template["status"] = status
    value = {"event": status, "message_template_id": int(template["id"]),
             "message_template_name": name, "message_template_language": language,
             "reason": reason or "NONE", "message_template_category": template["category"]}
    if reason:
        template["rejected_reason"] = reason
    sim.deliverer.emit(envelope(sim, value, "message_template_status_update"))
    return template


def parse_json(raw):
    try:
        body = json.loads(raw or b"{}")
    except ValueError as error:
        raise invalid("the body is not JSON") from error
    if not isinstance(body, dict):
        raise invalid("the body must be a JSON object")
    return body
