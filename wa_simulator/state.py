"""The simulator's in-memory world: numbers, messages both ways, templates, media, faults,
webhook deliveries. Everything here is plain JSON-able data guarded by one lock."""

import base64
import copy
import hashlib
import re
import secrets
import threading
import time

WINDOW_SECONDS = 24 * 3600
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")


def new_wamid():
    """A message id shaped like Meta's: ``wamid.`` and base64 of random bytes."""
    return "wamid." + base64.b64encode(b"\x15\x02\x00\x11\x18" + secrets.token_bytes(24)).decode()


def inbound_entry(msg, wa_id, view, *, context=None, shown=True, now=None):
    """How the simulator keeps a message a patient sent (``msg``: its webhook object),
    for the phone page and ``/_sim/conversations``: received, not read yet."""
    return {
        "id": msg["id"],
        "wa_id": wa_id,
        "direction": "in",
        "type": msg["type"],
        "time": now or time.time(),
        "payload": msg,
        "status": "received",
        "statuses": [],
        "errors": msg.get("errors", []),
        "view": view,
        "buttons": [],
        "context": context,
        "number_shown": shown,
    }


def new_numeric_id():
    return str(10**15 + secrets.randbelow(9 * 10**15))


def placeholders(text):
    """The distinct ``{{1}}`` / ``{{name}}`` placeholders of a template text, in order."""
    seen = []
    for name in PLACEHOLDER.findall(text or ""):
        if name not in seen:
            seen.append(name)
    return seen


def component(template, kind):
    for item in template.get("components") or []:
        if str(item.get("type", "")).upper() == kind:
            return item
    return None


def parameter_text(parameter):
    """The text a template parameter shows on the phone."""
    kind = parameter.get("type", "text")
    if kind == "text":
        return str(parameter.get("text", ""))
    if kind in ("currency", "date_time"):
        return str((parameter.get(kind) or {}).get("fallback_value", ""))
    if kind == "payload":
        return str(parameter.get("payload", ""))
    return f"[{kind}]"


def fill(text, parameters):
    """A template text with its placeholders replaced by the parameters sent."""
    if not text:
        return ""
    names = placeholders(text)
    values = {}
    for position, parameter in enumerate(parameters or []):
        key = parameter.get("parameter_name") or (names[position] if position < len(names) else "")
        values[key] = parameter_text(parameter)
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


class World:
    """All the simulator knows. Handlers take ``lock`` for compound changes."""

    def __init__(self):
        self.lock = threading.RLock()
        self.templates = {}  # (name, language) -> template (Graph fields + "_rejection")
        self.rejections = {}  # template name -> reason, applied when it is submitted
        self.generation = 0
        self.reset()

    def reset(self, keep_templates=False):
        with self.lock:
            self.generation += 1  # timers of the old world see this and do nothing
            if not keep_templates:
                self.templates = {}
                self.rejections = {}
            self.numbers = {}  # wa_id -> {"wa_id", "name", "on_whatsapp", "reads", ...}
            self.messages = []  # both directions, in order
            self.by_id = {}  # wamid -> message
            self.media = {}  # id -> {"content": bytes, "mime_type", "sha256", "token", ...}
            self.faults = []  # pending injected faults
            self.deliveries = []  # every webhook delivery and its attempts
            self.pending = []  # deliveries waiting for POST /_sim/flush (manual mode)
            self.requests = []  # Graph API calls received: method, path, status, operation
            self.blocklists = {}  # phone number id -> {"users": {wa_id: ...}, "version"}
            self.sends = []  # every POST .../messages received: time, to, outcome, id
            self.send_windows = {}  # phone number id -> deque of admitted send times

    # ------------------------------------------------------------------ numbers
    # A patient is keyed by their phone number, or by their business-scoped user id
    # (BSUID) when the simulator knows no number for them: that key is the ``wa_id`` of
    # their messages here. ``user_id``/``username``: what Meta shares besides the number;
    # ``hide_number``: the patient adopted a username and webhooks leave the number out.
    def number(self, wa_id):
        with self.lock:
            if wa_id not in self.numbers:
                self.numbers[wa_id] = {
                    "wa_id": wa_id,
                    "name": "",
                    "on_whatsapp": True,
                    "reads": True,
                    "last_inbound": None,
                    "user_id": None,
                    "username": None,
                    "hide_number": False,
                    "marketing_limit": False,
                }
            return self.numbers[wa_id]

    def find_user(self, user_id):
        """The key of the patient with this BSUID, or None."""
        with self.lock:
            for key, number in self.numbers.items():
                if user_id and number.get("user_id") == user_id:
                    return key
        return None

    def user(self, user_id):
        """The key of the patient with this BSUID; a patient known by nothing else is
        created, keyed by the BSUID (``wa_id`` "")."""
        with self.lock:
            key = self.find_user(user_id)
            if key is None:
                key = user_id
                self.number(key).update(wa_id="", user_id=user_id)
            return key

    def rekey(self, old, new):
        """The patient ``old`` is now known as ``new`` (a number or BSUID changed): their
        record and their messages both ways move to the new key."""
        with self.lock:
            if new == old:
                return
            self.numbers[new] = self.numbers.pop(old)
            for message in self.messages:
                if message["wa_id"] == old:
                    message["wa_id"] = new

    def window_open(self, wa_id, now=None):
        last = self.numbers.get(wa_id, {}).get("last_inbound")
        return (
            last is not None and (now if now is not None else time.time()) - last < WINDOW_SECONDS
        )

    # ------------------------------------------------------------------ messages
    def add_message(self, message):
        with self.lock:
            self.messages.append(message)
            self.by_id[message["id"]] = message
        return message

    def last_outgoing(self, wa_id, predicate=None):
        with self.lock:
            for message in reversed(self.messages):
                if (
                    message["wa_id"] == wa_id
                    and message["direction"] == "out"
                    and (predicate is None or predicate(message))
                ):
                    return message
        return None

    # ------------------------------------------------------------------ media
    def add_media(self, content, mime_type, filename=None):
        with self.lock:
            media_id = new_numeric_id()
            digest = hashlib.sha256(content)
            self.media[media_id] = {
                "id": media_id,
                "content": content,
                "mime_type": mime_type,
                "filename": filename,
                "sha256": digest.hexdigest(),
                "sha256_b64": base64.b64encode(digest.digest()).decode(),
                "token": secrets.token_urlsafe(12),
            }
            return self.media[media_id]

    # ------------------------------------------------------------------ faults
    def take_fault(self, operation):
        """The first pending fault for this operation, counted down; None if there is none."""
        with self.lock:
            for fault in self.faults:
                operations = fault.get("operations") or []
                if not operations or operation in operations:
                    fault["remaining"] -= 1
                    if fault["remaining"] <= 0:
                        self.faults.remove(fault)
                    return dict(fault)
        return None

    # ------------------------------------------------------------------ templates
    def find_templates(self, name=None, language=None):
        with self.lock:
            return [
                t
                for (n, lang), t in self.templates.items()
                if (name is None or n == name) and (language is None or lang == language)
            ]

    # ------------------------------------------------------------------ views
    def snapshot(self, value):
        """A deep copy taken under the lock, safe to serialize while others write."""
        with self.lock:
            return copy.deepcopy(value)

    def conversations(self):
        with self.lock:
            threads = {wa_id: [] for wa_id in self.numbers}
            for message in self.messages:
                threads.setdefault(message["wa_id"], []).append(message)
            result = []
            for wa_id, messages in threads.items():
                number = self.number(wa_id)
                last = number["last_inbound"]
                result.append(
                    {
                        "id": wa_id,
                        "wa_id": number["wa_id"],
                        "user_id": number.get("user_id"),
                        "username": number.get("username"),
                        "hide_number": number.get("hide_number", False),
                        "name": number["name"],
                        "on_whatsapp": number["on_whatsapp"],
                        "reads": number["reads"],
                        "window_open": self.window_open(wa_id),
                        "window_expires": last + WINDOW_SECONDS if last else None,
                        "last_time": messages[-1]["time"] if messages else 0,
                        "messages": messages,
                    }
                )
            result.sort(key=lambda c: c["last_time"], reverse=True)
            return copy.deepcopy(result)
