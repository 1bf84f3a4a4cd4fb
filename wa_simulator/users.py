"""Who a patient is: a phone number, a business-scoped user id (BSUID, such as
``US.13491208655302741918``), or both, as Meta's 2026 usernames make it. A patient with a
username may hide their number: their webhooks then carry ``from_user_id`` and no
``from``. They can also change number or BSUID, which Meta reports as a system message."""

import re
import secrets
import time

from .errors import ControlError
from .state import inbound_entry, new_wamid
from .webhooks import envelope, messages_value, profile_name

PHONE = re.compile(r"^\+?\d{6,20}$")
# Two upper-case letters (the country), a dot, up to 128 letters and digits. A parent
# BSUID (US.ENT.…) has a second dot and is not a patient's own id.
USER_ID = re.compile(r"^[A-Z]{2}\.[A-Za-z0-9]{1,128}$")
SYSTEM_TYPES = ("user_changed_number", "user_changed_user_id")


def phone(value, field="from"):
    value = str(value or "").replace(" ", "")
    if not PHONE.match(value):
        raise ControlError(
            f"'{field}' must be a phone number in international format, got {value!r}"
        )
    return value.lstrip("+")


def user_id(value, field="from_user_id"):
    if not isinstance(value, str) or not USER_ID.match(value):
        raise ControlError(
            f"'{field}' must be a business-scoped user id like US.13491208655302741918, "
            f"got {value!r}"
        )
    return value


def new_user_id(country="US"):
    """A fresh BSUID in Meta's shape: the country, a dot, 20 digits."""
    return f"{country}.{10**19 + secrets.randbelow(9 * 10**19)}"


def identify(world, body):
    """The key a control call's patient has (or will have), checked, changing nothing:
    ``from`` (a number) and/or ``from_user_id`` (a BSUID)."""
    given_phone = body.get("from") not in (None, "")
    given_user = body.get("from_user_id") not in (None, "")
    if not given_phone and not given_user:
        raise ControlError("'from' (a phone number) or 'from_user_id' (a BSUID) is required")
    uid = user_id(body["from_user_id"]) if given_user else None
    with world.lock:
        owner = world.find_user(uid)
        if not given_phone:
            return owner or uid
        key = phone(body["from"])
        if uid and owner not in (None, key):
            raise ControlError(f"{uid} is the user id of {owner}, not of {key}", status=409)
        known_user = world.numbers.get(key, {}).get("user_id")
        if uid and known_user not in (None, uid):
            raise ControlError(f"{key} has the user id {known_user}", status=409)
        return key


def resolve(world, body):
    """The patient a control call speaks for (see :func:`identify`), created if new, with
    ``username`` and ``hide_number`` remembered on them. Returns ``(key, number,
    show_number)``: the number is shown unless it is hidden or the call gave none."""
    with world.lock:
        key = identify(world, body)
        uid = body.get("from_user_id") or None
        if body.get("from") not in (None, ""):
            number = world.number(key)
            number["user_id"] = uid or number["user_id"]
            shown = True
        else:
            number = world.numbers[world.user(uid)]
            shown = False
        if body.get("username"):
            number["username"] = str(body["username"])
        if "hide_number" in body:
            number["hide_number"] = bool(body["hide_number"])
        return key, number, shown and not number["hide_number"]


def sender(number, show_number):
    """The ``from`` / ``from_user_id`` of a message this patient sends."""
    fields = {}
    if show_number and number["wa_id"]:
        fields["from"] = number["wa_id"]
    if number["user_id"]:
        fields["from_user_id"] = number["user_id"]
    return fields


def known(world, body):
    """The key of an existing patient named by ``from`` or ``from_user_id``; 404 if none."""
    if body.get("from") not in (None, ""):
        key = phone(body["from"])
        found = key if key in world.numbers else None
    elif body.get("from_user_id") not in (None, ""):
        found = world.find_user(user_id(body["from_user_id"]))
    else:
        raise ControlError("'from' (a phone number) or 'from_user_id' (a BSUID) is required")
    if found is None:
        raise ControlError("the simulator knows no such patient", status=404)
    return found


def _new_identity(world, key, number, kind, body):
    """The number and BSUID the patient has after the change, checked to be free."""
    fresh_number, fresh_user = number["wa_id"], number["user_id"]
    if body.get("new_user_id"):
        fresh_user = user_id(body["new_user_id"], "new_user_id")
    if kind == "user_changed_number":
        fresh_number = phone(body.get("new_number"), "new_number")
        if number["user_id"] and not body.get("new_user_id"):  # regenerated with the number
            fresh_user = new_user_id(number["user_id"][:2])
    elif not body.get("new_user_id"):
        fresh_user = new_user_id((number["user_id"] or "US")[:2])
    if fresh_user and world.find_user(fresh_user) not in (None, key):
        raise ControlError(f"{fresh_user} is another patient's user id", status=409)
    new_key = fresh_number or fresh_user
    if new_key != key and new_key in world.numbers:
        raise ControlError(f"{new_key} is already another patient", status=409)
    return fresh_number, fresh_user, new_key


def change(sim, body):
    """POST /_sim/system: the patient changed their number (``user_changed_number``,
    ``new_number``) or their BSUID changed (``user_changed_user_id``, ``new_user_id``,
    made up when not given; a number change makes up a new BSUID too, when the patient
    had one). The world follows; the business gets a system message, without contacts."""
    world = sim.state
    kind = body.get("type")
    if kind not in SYSTEM_TYPES:
        raise ControlError(f"'type' must be one of {SYSTEM_TYPES}, got {kind!r}")
    with world.lock:
        key = known(world, body)
        number = world.numbers[key]
        old_number, old_user = number["wa_id"], number["user_id"]
        fresh_number, fresh_user, new_key = _new_identity(world, key, number, kind, body)
        name = profile_name(number)
        if kind == "user_changed_number":
            text = f"User {name} changed from {old_number or old_user} to {fresh_number}"
            system = {"body": text, "wa_id": fresh_number, "type": kind}
        else:
            text = f"User {name} changed their business-scoped user ID"
            system = {"body": text, "type": kind}
        if fresh_user != old_user:
            system["user_id"] = fresh_user
            if old_user:
                system["previous_user_id"] = old_user
        msg = {
            **sender(number, body.get("from") not in (None, "") and not number["hide_number"]),
            "id": new_wamid(),
            "timestamp": str(int(time.time())),
            "type": "system",
            "system": system,
        }
        number.update(wa_id=fresh_number, user_id=fresh_user)
        world.rekey(key, new_key)
        world.add_message(inbound_entry(msg, new_key, {"text": text}))
    value = messages_value(sim, new_key, name, messages=[msg], contacts=[])
    sim.deliverer.emit(envelope(sim, value), "message")
    return {"id": msg["id"], "wa_id": fresh_number, "user_id": fresh_user}
