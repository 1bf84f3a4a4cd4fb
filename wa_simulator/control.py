"""The control API under /_sim/ (JSON, no auth, loopback only): patients write and press
buttons, faults are injected, webhook delivery is steered, the world is inspected."""

import secrets

import requests

from . import blocklist, edits, inbound, templates, users
from .errors import ControlError
from .webhooks import public

FAULT_OPERATIONS = (
    "messages",
    "media",
    "download",
    "templates",
    "phone_number",
    "block_users",
    "other",
)
MODE_KEYS = {
    "duplicate": int,
    "shuffle": bool,
    "delay": float,
    "manual": bool,
    # Meta retries a failed delivery for days: a longer schedule than the default
    # (``retries`` attempts, the first ``retry_seconds`` later, each twice the last).
    "retries": int,
    "retry_seconds": float,
}
# Meta's messaging limit tiers: distinct patients a number may start conversations
# with in 24 hours (business-initiated).
MESSAGING_TIERS = ("TIER_50", "TIER_250", "TIER_1K", "TIER_10K", "TIER_100K", "TIER_UNLIMITED")
CONFIG_KEYS = {
    "webhook_url": str,
    "webhook_cookie": str,
    "app_secret": str,
    "verify_token": str,
    "access_token": str,
    "delivery_delay": float,
    "template_review_delay": float,
    "blocklist_limit": int,
    "messaging_limit_tier": str,
    "answer_latency": float,
    "answer_jitter": float,
    "rate_limit": int,
}
NON_NEGATIVE = ("blocklist_limit", "answer_latency", "answer_jitter", "rate_limit")


def _digits(value, field="wa_id"):
    value = str(value or "").replace(" ", "").lstrip("+")
    if not value.isdigit():
        raise ControlError(f"'{field}' must be a phone number, got {value!r}")
    return value


def add_fault(sim, body):
    try:
        fault = {
            "remaining": int(body.get("count", 1)),
            "code": int(body["code"]) if body.get("code") is not None else None,
            "http_status": int(body["http_status"]) if body.get("http_status") else None,
            "message": body.get("message"),
            "details": body.get("details"),
            "timeout": bool(body.get("timeout", False)),
            "timeout_seconds": float(body.get("timeout_seconds", 5)),
            "retry_after": body.get("retry_after"),
            "accept_silently": bool(body.get("accept_silently", False)),
            "silent_seconds": float(body.get("silent_seconds", 5)),
            "operations": list(body.get("operations") or []),
        }
    except (TypeError, ValueError) as error:
        raise ControlError(f"bad fault: {error}") from error
    unknown = set(fault["operations"]) - set(FAULT_OPERATIONS)
    if unknown or fault["remaining"] < 1:
        raise ControlError(f"count must be >= 1 and operations among {FAULT_OPERATIONS}")
    if fault["silent_seconds"] < 0:
        raise ControlError("silent_seconds must be >= 0")
    if fault["accept_silently"] and (fault["timeout"] or fault["code"] is not None):
        raise ControlError("accept_silently processes the call: no timeout or code with it")
    fault["count"] = fault["remaining"]
    with sim.state.lock:
        sim.state.faults.append(fault)
        return {"faults": sim.state.snapshot(sim.state.faults)}


def set_number(sim, body):
    """POST /_sim/numbers: a patient by ``wa_id`` and/or ``user_id`` (a BSUID; alone, a
    patient whose number the simulator does not know), with what Meta knows of them."""
    world = sim.state
    uid = users.user_id(body["user_id"], "user_id") if body.get("user_id") else None
    with world.lock:
        if body.get("wa_id") in (None, "") and uid:
            number = world.numbers[world.user(uid)]
        else:
            wa_id = _digits(body.get("wa_id"))
            owner = world.find_user(uid)
            if owner not in (None, wa_id):
                raise ControlError(f"{uid} is the user id of {owner}", status=409)
            number = world.number(wa_id)
            number["user_id"] = uid or number["user_id"]
        for key in ("on_whatsapp", "reads", "hide_number", "marketing_limit"):
            if key in body:
                number[key] = bool(body[key])
        if "name" in body:
            number["name"] = str(body["name"] or "")
        if "username" in body:
            number["username"] = str(body["username"]) if body["username"] else None
        if "last_inbound" in body:  # open (epoch seconds) or close (null) the 24 h window
            number["last_inbound"] = body["last_inbound"]
        return world.snapshot(number)


def verify_webhook(sim):
    """Meta's subscription handshake against webhook_url."""
    if not sim.webhook_url:
        raise ControlError("no webhook_url configured")
    challenge = str(secrets.randbelow(10**9))
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": sim.verify_token or "",
        "hub.challenge": challenge,
    }
    session = requests.Session()
    session.trust_env = False
    try:
        response = session.get(sim.webhook_url, params=params, timeout=10)
    except requests.RequestException as error:
        return {"ok": False, "status": None, "challenge": challenge, "error": str(error)}
    return {
        "ok": response.status_code == 200 and response.text.strip() == challenge,
        "status": response.status_code,
        "challenge": challenge,
        "response": response.text[:500],
    }


def _typed(body, keys):
    try:
        return {
            k: None if body[k] is None else cast(body[k]) for k, cast in keys.items() if k in body
        }
    except (TypeError, ValueError) as error:
        raise ControlError(f"bad value: {error}") from error


def _clear_faults(sim, query, body):
    with sim.state.lock:
        sim.state.faults.clear()
    return {"faults": []}


def _deliveries(sim, query, body):
    world = sim.state
    with world.lock:
        return world.snapshot(
            {"deliveries": [public(d) for d in world.deliveries], "pending": len(world.pending)}
        )


def _reject(sim, query, body):
    if not body.get("name"):
        raise ControlError("'name' is required")
    with sim.state.lock:
        sim.state.rejections[body["name"]] = body.get("reason") or "INVALID_FORMAT"
        return {"rejections": dict(sim.state.rejections)}


def _template_status(sim, query, body):
    if not body.get("name") or not body.get("status"):
        raise ControlError("'name' and 'status' are required")
    return templates.set_status(
        sim, body["name"], body.get("language") or "en", body["status"], body.get("reason")
    )


def _messages(sim, query, body):
    to = query.get("to", "").lstrip("+")
    world = sim.state
    with world.lock:
        return world.snapshot(
            [
                m
                for m in world.messages
                if m["direction"] == "out"
                and (not to or to in (m["wa_id"], m.get("recipient_user_id")))
            ]
        )


def _reset(sim, query, body):
    sim.state.reset(keep_templates=bool(body.get("keep_templates")))
    sim.deliverer.reset_mode()
    return {"ok": True}


def _set_mode(sim, body):
    try:
        return sim.deliverer.set_mode(**_typed(body, MODE_KEYS))
    except ValueError as error:
        raise ControlError(str(error)) from error


def _set_config(sim, query, body):
    changes = _typed(body, CONFIG_KEYS)
    for key in ("app_secret", "access_token"):
        if key in changes and not changes[key]:
            raise ControlError(f"{key} cannot be empty")
    tier = changes.get("messaging_limit_tier", MESSAGING_TIERS[0])
    if tier not in MESSAGING_TIERS:
        raise ControlError(f"messaging_limit_tier must be one of {', '.join(MESSAGING_TIERS)}")
    for key in NON_NEGATIVE:
        value = changes.get(key, 0)
        if value is None or value < 0:
            raise ControlError(f"{key} must be a number >= 0")
    for key, value in changes.items():
        setattr(
            sim,
            key,
            (value or None) if key in ("webhook_url", "webhook_cookie", "verify_token") else value,
        )
    return sim.config()


ROUTES = {
    ("POST", "/_sim/inbound"): lambda sim, q, b: inbound.write(sim, b),
    ("POST", "/_sim/press"): lambda sim, q, b: inbound.press(sim, b),
    ("POST", "/_sim/edit"): lambda sim, q, b: edits.edit(sim, b),
    ("POST", "/_sim/revoke"): lambda sim, q, b: edits.revoke(sim, b),
    ("POST", "/_sim/system"): lambda sim, q, b: users.change(sim, b),
    ("POST", "/_sim/faults"): lambda sim, q, b: add_fault(sim, b),
    ("GET", "/_sim/faults"): lambda sim, q, b: {"faults": sim.state.snapshot(sim.state.faults)},
    ("DELETE", "/_sim/faults"): _clear_faults,
    ("POST", "/_sim/webhook-mode"): lambda sim, q, b: _set_mode(sim, b),
    ("GET", "/_sim/webhook-mode"): lambda sim, q, b: dict(sim.deliverer.mode),
    ("POST", "/_sim/flush"): lambda sim, q, b: {"deliveries": sim.deliverer.flush()},
    ("GET", "/_sim/deliveries"): _deliveries,
    ("POST", "/_sim/numbers"): lambda sim, q, b: set_number(sim, b),
    ("GET", "/_sim/numbers"): lambda sim, q, b: sim.state.snapshot(
        list(sim.state.numbers.values())
    ),
    ("POST", "/_sim/templates"): lambda sim, q, b: sim.state.snapshot(templates.preload(sim, b)),
    ("GET", "/_sim/templates"): lambda sim, q, b: sim.state.snapshot(
        list(sim.state.templates.values())
    ),
    ("POST", "/_sim/templates/reject"): _reject,
    ("POST", "/_sim/templates/status"): _template_status,
    ("GET", "/_sim/messages"): _messages,
    ("GET", "/_sim/conversations"): lambda sim, q, b: sim.state.conversations(),
    ("GET", "/_sim/blocklist"): lambda sim, q, b: blocklist.snapshot(sim),
    ("GET", "/_sim/requests"): lambda sim, q, b: sim.state.snapshot(sim.state.requests),
    ("GET", "/_sim/sends"): lambda sim, q, b: {"sends": sim.state.snapshot(sim.state.sends)},
    ("POST", "/_sim/reset"): _reset,
    ("GET", "/_sim/config"): lambda sim, q, b: sim.config(),
    ("POST", "/_sim/config"): _set_config,
    ("POST", "/_sim/verify-webhook"): lambda sim, q, b: verify_webhook(sim),
}

# One line per route for GET /_sim/ (the README's table says more).
ROUTE_HELP = {
    "/_sim/inbound": "the patient writes: {from and/or from_user_id, type, ...} -> {id}",
    "/_sim/press": "the patient presses a button of the last message with buttons",
    "/_sim/edit": "the patient edits a message they sent: {message_id, text} -> {id}",
    "/_sim/revoke": "the patient deletes a message they sent: {message_id} -> {id}",
    "/_sim/system": "the patient changed number or user id: {from|from_user_id, type, ...}",
    "/_sim/faults": (
        "POST injects Meta error codes, 5xx, timeouts or unanswered sends; GET lists; DELETE clears"
    ),
    "/_sim/webhook-mode": "webhooks duplicated, shuffled, late or held until flush",
    "/_sim/flush": "post every queued webhook now",
    "/_sim/deliveries": "webhook deliveries made and pending",
    "/_sim/numbers": (
        "POST sets a number or user id (on WhatsApp, reads, window, marketing limit); GET lists"
    ),
    "/_sim/templates": "POST preloads a template as Meta knows it; GET lists",
    "/_sim/templates/reject": "reject this template when it is submitted",
    "/_sim/templates/status": "change a template's status now, with its webhook",
    "/_sim/messages": "messages the business sent (?to=)",
    "/_sim/conversations": "every number with its messages both ways",
    "/_sim/blocklist": "the users the business blocked (Block Users API), with its version",
    "/_sim/requests": "Graph API calls received",
    "/_sim/sends": "every POST .../messages received: time, to, outcome, id (for benchmarks)",
    "/_sim/reset": "forget everything (optionally keep templates)",
    "/_sim/config": (
        "webhook URL, secrets, tokens, delays, blocklist limit, messaging tier, "
        "answer latency, rate limit"
    ),
    "/_sim/verify-webhook": "run Meta's subscription handshake against the webhook URL",
    "/_sim": "this list",
}


def index(sim, query, body):
    """GET /_sim/: the control API's routes, so that the prefix the simulator prints answers."""
    routes = [
        {"method": method, "path": path, "does": ROUTE_HELP.get(path, "")}
        for method, path in ROUTES
    ]
    routes.append(
        {"method": "GET", "path": "/_sim/media/<id>", "does": "a media file, for the phone page"}
    )
    return {
        "control_api": routes,
        "phone_page": "/",
        "graph_api": f"/{sim.api_version}/... (Authorization: Bearer <access_token>)",
        "documentation": "wa_simulator/README.md",
    }


ROUTES[("GET", "/_sim")] = index


def handle(sim, method, path, query, body):
    """Route one control call; returns a JSON-able answer (errors raise ControlError)."""
    route = ROUTES.get((method, path.rstrip("/")))
    if route is None:
        raise ControlError(f"no control route {method} {path}", status=404)
    return route(sim, query, body)
