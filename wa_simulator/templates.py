"""/{version}/{waba-id}/message_templates: list (paginated), create (reviewed after a
delay, then a ``message_template_status_update`` webhook), delete."""

import base64
import re
import threading
import time
from urllib.parse import urlencode

from .errors import ControlError, GraphError, invalid, required
from .state import component, new_numeric_id
from .webhooks import envelope

NAME = re.compile(r"^[a-z0-9_]{1,512}$")
CATEGORIES = ("AUTHENTICATION", "MARKETING", "UTILITY")
STATUSES = (
    "APPROVED",
    "PENDING",
    "REJECTED",
    "PAUSED",
    "DISABLED",
    "IN_APPEAL",
    "PENDING_DELETION",
    "DELETED",
    "LIMIT_EXCEEDED",
)
DEFAULT_FIELDS = ("name", "components", "language", "status", "category", "id")
REJECTION_INFO = {
    "reason": "The simulator was told to reject this template (POST /_sim/templates/reject).",
    "recommendation": "Edit the template and submit it again.",
}


def _cursor(offset):
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def _offset(cursor):
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        return max(0, int(text.split(":", 1)[1]))
    except (ValueError, IndexError) as error:
        raise invalid(f"Invalid pagination cursor {cursor!r}.") from error


def public(template, fields=DEFAULT_FIELDS):
    return {k: template[k] for k in fields if k in template}


def list_templates(sim, query):
    world = sim.state
    try:
        limit = int(query.get("limit") or 25)
    except ValueError as error:
        raise invalid("Param limit must be an integer.") from error
    if not 1 <= limit <= 1000:
        raise invalid("Param limit must be between 1 and 1000.")
    fields = (
        tuple(f.strip() for f in query["fields"].split(","))
        if query.get("fields")
        else DEFAULT_FIELDS
    )
    with world.lock:
        items = [
            t
            for t in world.templates.values()
            if (not query.get("name") or query["name"] in t["name"])
            and (not query.get("status") or t["status"] == query["status"].upper())
            and (not query.get("category") or t["category"] == query["category"].upper())
            and (not query.get("language") or t["language"] == query["language"])
        ]
        items = [public(t, (*fields, "id")) for t in items]
    start = _offset(query["after"]) if query.get("after") else 0
    if query.get("before"):
        start = max(0, _offset(query["before"]) - limit)
    page = world.snapshot(items[start : start + limit])
    body = {"data": page}
    if page:
        body["paging"] = {
            "cursors": {"before": _cursor(start), "after": _cursor(start + len(page))}
        }
        if start + limit < len(items):
            params = {k: v for k, v in query.items() if k not in ("after", "before")}
            params.update(limit=limit, after=_cursor(start + limit))
            body["paging"]["next"] = (
                f"{sim.url}/{sim.api_version}/{sim.waba_id}/message_templates?{urlencode(params)}"
            )
        if start > 0:
            params = {k: v for k, v in query.items() if k not in ("after", "before")}
            params.update(limit=limit, before=_cursor(start))
            body["paging"]["previous"] = (
                f"{sim.url}/{sim.api_version}/{sim.waba_id}/message_templates?{urlencode(params)}"
            )
    else:
        body["paging"] = {"cursors": {}}
    return body


def create_template(sim, body):
    name, language, category = body.get("name"), body.get("language"), body.get("category")
    if not name:
        raise required("name")
    if not isinstance(name, str) or not NAME.match(name):
        raise invalid("Param name must contain only lowercase letters, digits and underscores.")
    if not language:
        raise required("language")
    if category not in CATEGORIES:
        raise invalid(
            f'Param category must be one of {{{", ".join(CATEGORIES)}}} - got "{category}".'
        )
    components = body.get("components")
    if not isinstance(components, list) or not components:
        raise required("components")
    bodies = [c for c in components if str(c.get("type", "")).upper() == "BODY"]
    if not bodies:
        raise invalid("Param components must contain a component of type BODY.")
    if category != "AUTHENTICATION" and not bodies[0].get("text"):
        raise required("components[BODY]['text']")
    if sim.state.find_templates(name, language):
        raise GraphError(
            400,
            100,
            "Invalid parameter",
            subcode=2388024,
            details=f"Content in this language already exists: {name} ({language})",
        )
    template = add_template(
        sim,
        name=name,
        language=language,
        status="PENDING",
        category=category,
        components=components,
    )
    generation = sim.state.generation

    def review():
        world = sim.state
        with world.lock:
            if (
                world.generation != generation
                or world.templates.get((name, language)) is not template
            ):
                return
            reason = world.rejections.pop(name, None)
        if reason:
            set_status(sim, name, language, "REJECTED", reason)
        else:
            set_status(sim, name, language, "APPROVED")

    timer = threading.Timer(float(sim.template_review_delay or 0), review)
    timer.daemon = True
    timer.start()
    return {"id": template["id"], "status": "PENDING", "category": category}


def delete_template(sim, query):
    name = query.get("name")
    if not name:
        raise required("name")
    world = sim.state
    with world.lock:
        keys = [
            k
            for k, t in world.templates.items()
            if k[0] == name and (not query.get("hsm_id") or t["id"] == query["hsm_id"])
        ]
        if not keys:
            raise GraphError(
                400,
                100,
                "Invalid parameter",
                subcode=2593002,
                details=f'Message template "{name}" was not found.',
            )
        for key in keys:
            del world.templates[key]
    return {"success": True}


def add_template(sim, *, name, language, status, category, components):
    template = {
        "name": name,
        "components": components,
        "language": language,
        "status": status,
        "category": category,
        "id": new_numeric_id(),
    }
    with sim.state.lock:
        sim.state.templates[(name, language)] = template
    return template


def preload(sim, body):
    """POST /_sim/templates: a template as the simulator's Meta already knows it."""
    name, language = body.get("name"), body.get("language") or "en"
    if not name:
        raise ControlError("a template needs a name")
    status = str(body.get("status") or "APPROVED").upper()
    if status not in STATUSES:
        raise ControlError(f"status must be one of {', '.join(STATUSES)}")
    components = body.get("components") or []
    if body.get("body"):
        components = [c for c in components if str(c.get("type", "")).upper() != "BODY"]
        components.append({"type": "BODY", "text": body["body"]})
    if not component({"components": components}, "BODY"):
        raise ControlError("a template needs a BODY component (or a 'body' text)")
    category = str(body.get("category") or "UTILITY").upper()
    return add_template(
        sim, name=name, language=language, status=status, category=category, components=components
    )


def set_status(sim, name, language, status, reason=None):
    """Change a template's status now and tell the business, as Meta does."""
    status = str(status).upper()
    world = sim.state
    with world.lock:
        template = world.templates.get((name, language))
        if not template:
            raise ControlError(f"no template {name!r} in {language!r}", status=404)
        template["status"] = status
        if status == "REJECTED":
            template["rejected_reason"] = reason or "INVALID_FORMAT"
        value = {
            "event": status,
            "message_template_id": int(template["id"]),
            "message_template_name": name,
            "message_template_language": language,
            "reason": (reason or "INVALID_FORMAT") if status == "REJECTED" else (reason or "NONE"),
            "message_template_category": template["category"],
        }
        if status == "REJECTED":
            value["rejection_info"] = dict(REJECTION_INFO)
        template["status_history"] = [
            *template.get("status_history", []),
            {"status": status, "time": time.time()},
        ]
    sim.deliverer.emit(
        envelope(sim, value, "message_template_status_update", with_time=True), "template"
    )
    return world.snapshot(template)
