"""/{version}/{phone-number-id}/block_users: the business blocks (POST), unblocks (DELETE)
and lists (GET, paginated) WhatsApp users, as Meta's Block Users API does.

Meta's rules (developers.facebook.com/documentation/business-messaging/whatsapp/block-users):
only users who wrote in the last 24 hours can be blocked (unblocking has no such rule), at
most 1,000 users a request, 64,000 on the blocklist, errors per user. A request with any
failed user answers HTTP 400 with the per-user lists *and* a top-level error 139100. A
blocked user's messages never reach the webhook, and a send to them is refused (130403).
"""

import base64
import json
import re
import time
from urllib.parse import urlencode

from .errors import GraphError, invalid, required

MAX_USERS = 1000  # a request
LIMIT = 64000  # the blocklist (``sim.blocklist_limit``)
PAGE_SIZE = 100  # GET without ``limit``: an assumption, Meta does not say
DIGITS = re.compile(r"^\d{6,20}$")

CODE_FAILED = 139100  # Failed to block/unblock some users
CODE_LIMIT = 139101  # Blocklist limit reached
CODE_CONCURRENT = 139102  # Blocklist concurrent update (a cursor of an older version)
CODE_REENGAGEMENT = 131047  # not written in 24 h, or not a WhatsApp user
CODE_SELF = 131021  # the business's own number
CODE_TOO_MANY = 130429  # too many numbers in the request
CODE_BLOCKED = 130403  # a send to a user the business blocked (see the README)

NOT_RECENT = "User has not messaged in the last 24 hours"
NOT_A_USER = "The user is not a valid WhatsApp user"
SELF = "Failed to block self phone number."
LIMIT_REACHED = "The blocklist has reached its 64,000 user limit."
BLOCKED_DETAILS = (
    "Unable to deliver the message. This business has blocked the end user on WhatsApp"
)


def _user_error(code, message, details):
    return {"message": message, "code": code, "error_data": {"details": details}}


def _failed(user, wa_id, code, message, details):
    item = {"input": user}
    if wa_id:  # Meta leaves wa_id out when the number is invalid
        item["wa_id"] = wa_id
    item["errors"] = [_user_error(code, message, details)]
    return item


def blocklist(sim):
    """The blocklist of the simulator's phone number id: ``{"users": {wa_id: {"wa_id",
    "input", "time"}} (in the order blocked), "version"}``, created on first use."""
    world = sim.state
    with world.lock:
        return world.blocklists.setdefault(
            sim.phone_number_id, {"users": {}, "version": int(time.time() * 1e6)}
        )


def is_blocked(sim, key):
    """Whether the patient the world keys ``key`` (a number) is blocked by the business."""
    with sim.state.lock:
        return key in blocklist(sim)["users"]


def snapshot(sim):
    """``GET /_sim/blocklist``: who is blocked, when, and the list's version."""
    with sim.state.lock:
        listed = blocklist(sim)
        return {
            "phone_number_id": sim.phone_number_id,
            "blocked": [dict(item) for item in listed["users"].values()],
            "version": str(listed["version"]),
            "limit": sim.blocklist_limit,
        }


def _users(body):
    """The ``user`` strings of a block/unblock request, checked as Meta checks the shape."""
    if "messaging_product" not in body:
        raise required("messaging_product")
    if body["messaging_product"] != "whatsapp":
        raise invalid("Param messaging_product must be one of {WHATSAPP}.")
    if "block_users" not in body:
        raise required("block_users")
    items = body["block_users"]
    if not isinstance(items, list) or not items:
        raise invalid("Param block_users must be a non-empty array of {user} objects.")
    if len(items) > MAX_USERS:
        raise GraphError(
            400,
            CODE_TOO_MANY,
            "(#130429) Rate limit hit",
            f"Too many users in the request: {len(items)}, at most {MAX_USERS}.",
        )
    users = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("user"), str):
            raise invalid("Each element of block_users must be an object with a 'user' string.")
        users.append(item["user"])
    return users


def _number(user):
    """The WhatsApp id a ``user`` value names (a phone number, ``+`` and spaces allowed,
    or a wa_id), or None: Meta documents no other kind of value, so a business-scoped
    user id is "not a valid WhatsApp user" here."""
    value = user.replace(" ", "").replace("-", "")
    value = value.removeprefix("+")
    return value if DIGITS.match(value) else None


def _change(sim, body, block):
    world = sim.state
    users = _users(body)
    done, failed = [], []
    now = time.time()
    with world.lock:
        listed = blocklist(sim)
        blocked = listed["users"]
        for user in users:
            wa_id = _number(user)
            number = world.numbers.get(wa_id) if wa_id else None
            if wa_id is None or (number is not None and not number["on_whatsapp"]):
                failed.append(
                    _failed(user, None, CODE_REENGAGEMENT, "Re-engagement required", NOT_A_USER)
                )
            elif wa_id == sim.display_phone_number:
                failed.append(_failed(user, wa_id, CODE_SELF, "Self Block", SELF))
            elif not block:
                if blocked.pop(wa_id, None) is not None:
                    listed["version"] += 1
                done.append({"input": user, "wa_id": wa_id})
            elif wa_id in blocked:  # blocking twice is not an error (an assumption)
                done.append({"input": user, "wa_id": wa_id})
            elif not world.window_open(wa_id, now):
                failed.append(
                    _failed(user, wa_id, CODE_REENGAGEMENT, "Re-engagement required", NOT_RECENT)
                )
            elif len(blocked) >= sim.blocklist_limit:
                failed.append(
                    _failed(user, wa_id, CODE_LIMIT, "Blocklist limit reached", LIMIT_REACHED)
                )
            else:
                blocked[wa_id] = {"wa_id": wa_id, "input": user, "time": now}
                listed["version"] += 1
                done.append({"input": user, "wa_id": wa_id})
    lists = {("added_users" if block else "removed_users"): done}
    if failed:
        lists["failed_users"] = failed
    answer = {"block_users": lists, "messaging_product": "whatsapp"}
    if not failed:
        return 200, answer
    verb = "block" if block else "unblock"
    error = GraphError(
        400,
        CODE_FAILED,
        "(#139100) Failed to block/unblock users",
        f"Failed to {verb} some users, see the block_users response list for details",
    ).body()["error"]
    return 400, {**answer, "error": error}


def block(sim, body):
    """POST: ``(status, body)``; 200 when every user was blocked, else 400 with
    ``added_users``, ``failed_users`` and the top-level error 139100."""
    return _change(sim, body, block=True)


def unblock(sim, body):
    """DELETE: as :func:`block`, with ``removed_users``; no 24 h rule."""
    return _change(sim, body, block=False)


# ---------------------------------------------------------------------------- list
def _cursor(offset, version):
    raw = json.dumps({"offset": offset, "versionId": str(version)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _read_cursor(listed, cursor):
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        offset, version = max(0, int(data["offset"])), str(data["versionId"])
    except (ValueError, KeyError, TypeError) as error:
        raise invalid(f"Invalid pagination cursor {cursor!r}.") from error
    if version != str(listed["version"]):
        raise GraphError(
            400,
            CODE_CONCURRENT,
            "(#139102) Blocklist concurrent update",
            "The blocklist was updated during pagination: start again from the first page.",
        )
    return offset


def list_blocked(sim, query):
    """GET: ``{"data": [{"messaging_product", "wa_id"}], "paging": {"cursors", "next"?,
    "previous"?}}``, oldest block first; a cursor from before a change answers 139102."""
    world = sim.state
    try:
        limit = int(query.get("limit") or PAGE_SIZE)
    except ValueError as error:
        raise invalid("Param limit must be an integer.") from error
    if not 1 <= limit <= MAX_USERS:
        raise invalid(f"Param limit must be between 1 and {MAX_USERS}.")
    with world.lock:
        listed = blocklist(sim)
        start = _read_cursor(listed, query["after"]) if query.get("after") else 0
        if query.get("before"):
            start = max(0, _read_cursor(listed, query["before"]) - limit)
        ids = list(listed["users"])
        version = listed["version"]
    page = ids[start : start + limit]
    body = {"data": [{"messaging_product": "whatsapp", "wa_id": wa_id} for wa_id in page]}
    if not page:
        return body
    body["paging"] = {
        "cursors": {
            "after": _cursor(start + len(page), version),
            "before": _cursor(start, version),
        }
    }
    base = f"{sim.url}/{sim.api_version}/{sim.phone_number_id}/block_users"
    if start + limit < len(ids):
        params = urlencode({"limit": limit, "after": _cursor(start + limit, version)})
        body["paging"]["next"] = f"{base}?{params}"
    if start > 0:
        params = urlencode({"limit": limit, "before": _cursor(start, version)})
        body["paging"]["previous"] = f"{base}?{params}"
    return body


def refusal(key):
    """What the control API answers when a blocked patient tries to write: nothing was
    delivered (Meta drops the message; the webhook sees nothing), and why."""
    return {
        "id": None,
        "delivered": False,
        "blocked": True,
        "wa_id": key,
        "reason": "the business blocked this user: WhatsApp does not deliver their messages",
    }


def refused_send():
    """The error a send to a blocked user answers (HTTP 400, code 130403)."""
    return GraphError(400, CODE_BLOCKED, "(#130403) Unable to deliver the message", BLOCKED_DETAILS)
