"""The Graph API: bearer check, injected faults, routing to messages, media, templates and
the phone number. Handlers return ``(status, content_type, bytes)``."""

import json
import re
import time
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import NamedTuple

from . import blocklist, load, messages, templates
from .errors import KNOWN_CODES, GraphError, invalid, required, unknown_object

VERSION = re.compile(r"^v\d+(\.\d+)?$")
PHONE_FIELDS = (
    "display_phone_number",
    "verified_name",
    "quality_rating",
    "code_verification_status",
    "platform_type",
    "throughput",
    "messaging_limit_tier",
    "id",
)
HTML_ERROR = (
    "<!DOCTYPE html><html><head><title>{status} {reason}</title></head><body>"
    "<h1>{status} {reason}</h1><p>Sorry, something went wrong.</p></body></html>"
)


def as_json(status, body):
    return status, "application/json; charset=UTF-8", json.dumps(body).encode()


def parse_json(raw):
    try:
        body = json.loads(raw or b"{}")
    except ValueError as error:
        raise GraphError(400, 100, "Invalid JSON in request body") from error
    if not isinstance(body, dict):
        raise GraphError(400, 100, "Invalid JSON in request body: an object is expected")
    return body


def check_token(sim, headers, query=None):
    """Meta's answers: no token → 401 code 104; a wrong one → 401 code 190."""
    auth = (headers.get("Authorization") or "").strip()
    token = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
    token = token or (query or {}).get("access_token", "")
    if not token:
        raise GraphError(401, 104, "An access token is required to request this resource.")
    if token != sim.access_token:
        raise GraphError(401, 190, "Invalid OAuth access token - Cannot parse access token")


def operation_of(sim, parts):
    """The name a fault's ``operations`` matches: messages, media, templates, phone_number."""
    node, edge = parts[0], parts[1] if len(parts) > 1 else None
    if edge == "messages":
        return "messages"
    if edge == "message_templates":
        return "templates"
    if edge == "block_users":
        return "block_users"
    if edge == "media" or node in sim.state.media:
        return "media"
    if node == sim.phone_number_id:
        return "phone_number"
    return "other"


class Withheld(Exception):
    """An ``accept_silently`` fault: the call was processed (``result``), its answer is
    withheld for ``seconds``, then the connection is closed without a response."""

    def __init__(self, seconds):
        super().__init__(f"answer withheld for {seconds}s")
        self.seconds = seconds
        self.result = None
        self.error = None


def apply_fault(sim, operation):
    """An injected fault for this call as a response, a ``Withheld`` to process the call
    and not answer it, or None to go on normally."""
    fault = sim.state.take_fault(operation)
    if not fault:
        return None
    if fault.get("accept_silently"):
        return Withheld(float(fault.get("silent_seconds") or 0))
    if fault.get("timeout"):
        time.sleep(float(fault.get("timeout_seconds") or 5))
    code = fault.get("code")
    if code is not None:
        code = int(code)
        status = int(fault.get("http_status") or KNOWN_CODES.get(code, (400,))[0])
        error = GraphError(
            status,
            code,
            fault.get("message"),
            fault.get("details") or KNOWN_CODES.get(code, (0, "Error"))[1],
        )
        result = as_json(status, error.body())
    else:
        status = int(fault.get("http_status") or (504 if fault.get("timeout") else 500))
        reason = {
            500: "Internal Server Error",
            502: "Bad Gateway",
            503: "Service Unavailable",
            504: "Gateway Timeout",
        }.get(status, "Error")
        result = (
            status,
            "text/html; charset=utf-8",
            HTML_ERROR.format(status=status, reason=reason).encode(),
        )
    headers = {"Retry-After": str(fault["retry_after"])} if fault.get("retry_after") else {}
    return (*result, headers)


class Request(NamedTuple):
    method: str
    path: str
    query: dict
    headers: Message
    raw: bytes
    send: dict | None = None  # the record of a POST .../messages (load.record_send)


def handle(sim, request):
    """Answer one Graph API call: ``(status, content type, bytes[, headers])``; raises
    ``Withheld`` (after processing the call) for an ``accept_silently`` fault."""
    parts = [p for p in request.path.split("/") if p]
    if len(parts) < 2 or not VERSION.match(parts[0]):
        raise GraphError(400, 2500, f"Unknown path components: {request.path}")
    check_token(sim, request.headers, request.query)
    parts = parts[1:]
    faulty = apply_fault(sim, operation_of(sim, parts))
    if isinstance(faulty, Withheld):
        try:
            faulty.result = _route(sim, request, parts)
        except GraphError as error:
            faulty.error = error
        raise faulty
    if faulty:
        return faulty
    return _route(sim, request, parts)


def _route(sim, request, parts):
    node, edge = parts[0], "/".join(parts[1:]) or None
    if node == sim.phone_number_id and edge == "block_users":
        return _block_users(sim, request)
    if node == sim.phone_number_id:
        answer = _phone_number_node(sim, request, edge)
    elif node == sim.waba_id:
        answer = _waba_node(sim, request, edge)
    elif node in sim.state.media and edge is None:
        answer = _media_node(sim, request, node)
    else:
        raise unknown_object(request.method, node)
    if answer is None:
        raise GraphError(400, 2500, f"Unknown path components: /{edge or ''}")
    return as_json(200, answer)


def _phone_number_node(sim, request, edge):
    if edge == "messages" and request.method == "POST":
        body = parse_json(request.raw)
        if body.get("status") != "read":  # read receipts do not count as throughput
            load.admit(sim, sim.phone_number_id, request.send)
        return messages.send(sim, body)
    if edge == "media" and request.method == "POST":
        return upload_media(sim, request.headers, request.raw)
    if edge is None and request.method == "GET":
        return phone_number(sim, request.query)
    return None


def _block_users(sim, request):
    """Block (POST), unblock (DELETE), list (GET): a partial failure answers 400 with
    the per-user lists beside the error, as Meta does."""
    if request.method == "GET":
        return as_json(200, blocklist.list_blocked(sim, request.query))
    if request.method == "POST":
        return as_json(*blocklist.block(sim, parse_json(request.raw)))
    if request.method == "DELETE":
        return as_json(*blocklist.unblock(sim, parse_json(request.raw)))
    raise GraphError(400, 2500, "Unknown path components: /block_users")


def _waba_node(sim, request, edge):
    if edge == "message_templates":
        if request.method == "GET":
            return templates.list_templates(sim, request.query)
        if request.method == "POST":
            return templates.create_template(sim, parse_json(request.raw))
        if request.method == "DELETE":
            return templates.delete_template(sim, request.query)
    if edge is None and request.method == "GET":
        return {"id": sim.waba_id, "name": "Studio Dentistico Demo"}
    return None


def _media_node(sim, request, media_id):
    if request.method == "GET":
        return media_info(sim, media_id)
    if request.method == "DELETE":
        with sim.state.lock:
            sim.state.media.pop(media_id, None)
        return {"success": True}
    return None


def phone_number(sim, query):
    info = {
        "display_phone_number": sim.display_phone_number,
        "verified_name": "Studio Dentistico Demo",
        "quality_rating": "GREEN",
        "code_verification_status": "VERIFIED",
        "platform_type": "CLOUD_API",
        "throughput": {"level": "STANDARD"},
        "messaging_limit_tier": sim.messaging_limit_tier,
        "id": sim.phone_number_id,
    }
    default = (
        "display_phone_number",
        "verified_name",
        "quality_rating",
        "code_verification_status",
        "id",
    )
    wanted = [f.strip() for f in query["fields"].split(",")] if query.get("fields") else default
    for field in wanted:
        if field not in PHONE_FIELDS:
            raise GraphError(
                400,
                100,
                f"(#100) Tried accessing nonexisting field ({field}) on "
                "node type (WhatsAppBusinessPhoneNumber)",
            )
    return {k: info[k] for k in PHONE_FIELDS if k in wanted or k == "id"}


# ---------------------------------------------------------------------------- media
def upload_media(sim, headers, raw):
    content_type = headers.get("Content-Type") or ""
    if not content_type.lower().startswith("multipart/form-data"):
        raise invalid("The media upload must be sent as multipart/form-data.")
    parsed = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + raw
    )
    if not parsed.is_multipart():
        raise invalid("The multipart body could not be read.")
    fields, upload = {}, None
    for part in parsed.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name == "file":
            upload = part
        elif name:
            fields[name] = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
    if not fields.get("messaging_product"):
        raise required("messaging_product")
    if fields["messaging_product"] != "whatsapp":
        raise invalid("Param messaging_product must be one of {WHATSAPP}.")
    if upload is None:
        raise required("file")
    content = upload.get_payload(decode=True) or b""
    if not content:
        raise invalid("The uploaded file is empty.")
    mime_type = fields.get("type") or upload.get_content_type()
    if "/" not in mime_type:
        raise invalid(f"Param type must be a MIME type; got {mime_type!r}.")
    media = sim.state.add_media(content, mime_type, upload.get_filename())
    return {"id": media["id"]}


def media_info(sim, media_id):
    media = sim.state.media[media_id]
    return {
        "messaging_product": "whatsapp",
        "url": f"{sim.url}/_media/{media_id}?token={media['token']}",
        "mime_type": media["mime_type"],
        "sha256": media["sha256"],
        "file_size": str(len(media["content"])),
        "id": media_id,
    }


def download(sim, media_id, query, headers):
    """GET /_media/<id>: the bytes, for a caller with the bearer token (like Meta's CDN)."""
    check_token(sim, headers)
    faulty = apply_fault(sim, "download")
    if faulty:
        return faulty
    media = sim.state.media.get(media_id)
    if not media or query.get("token", media["token"]) != media["token"]:
        raise GraphError(404, 100, "(#100) Media not found")
    return 200, media["mime_type"], media["content"]
