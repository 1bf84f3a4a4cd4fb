"""The simulator's world: numbers, conversations, templates, media, pending faults."""

import base64
import hashlib
import re
import secrets
import threading
import time

PLACEHOLDER = re.compile(r"\{\{\s*(\d+)\s*\}\}")
WINDOW_SECONDS = 24 * 3600
# A 1x1 PNG, the photo a simulated patient sends when the test gives none.
DEFAULT_IMAGE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def new_wamid():
    return "wamid." + base64.urlsafe_b64encode(secrets.token_bytes(24)).decode().rstrip("=")


class World:
    def __init__(self):
        self.lock = threading.RLock()
        self.reset()

    def reset(self, keep_templates=False):
        with self.lock:
            templates = self.templates if keep_templates else {}
            self.templates = templates  # (name, language) -> dict
            self.messages = []  # every message, both directions, in order
            self.numbers = {}  # wa_id -> {"on_whatsapp": bool, "reads": bool, "name": str}
            self.last_inbound = {}  # wa_id -> epoch seconds
            self.media = {}  # id -> {"content": bytes, "mime_type": str, "filename": str}
            self.faults = []  # [{"count", "code", "http_status", "timeout", ...}]
            self.rejections = {}  # template name -> reason
            self.deliveries = []  # every webhook attempt
            self.pending = []  # webhooks waiting (manual mode)
            self.requests = []  # Graph requests received (method, path)

    # ------------------------------------------------------------------ numbers
    def number(self, wa_id):
        return self.numbers.setdefault(wa_id, {"on_whatsapp": True, "reads": True, "name": ""})

    def window_open(self, wa_id, now=None):
        last = self.last_inbound.get(wa_id)
        return last is not None and (now or time.time()) - last < WINDOW_SECONDS

    # ------------------------------------------------------------------ media
    def add_media(self, content, mime_type, filename=None):
        media_id = str(10**15 + secrets.randbelow(10**15))
        self.media[media_id] = {"content": content, "mime_type": mime_type,
                                "filename": filename,
                                "sha256": hashlib.sha256(content).hexdigest()}
        return media_id

    # ------------------------------------------------------------------ faults
    def take_fault(self, operation):
        with self.lock:
            for fault in self.faults:
                ops = fault.get("operations") or ["*"]
                if "*" in ops or operation in ops:
                    fault["count"] -= 1
                    if fault["count"] <= 0:
                        self.faults.remove(fault)
                    return dict(fault)
        return None

    # ------------------------------------------------------------------ templates
    def template(self, name, language):
        return self.templates.get((name, language))

    @staticmethod
    def body_placeholders(template):
        for component in template.get("components", []):
            if component.get("type", "").upper() == "BODY":
                return len(set(PLACEHOLDER.findall(component.get("text", ""))))
        return 0

    @staticmethod
    def render(template, parameters):
        text = ""
        for component in template.get("components", []):
            if component.get("type", "").upper() == "BODY":
                text = component.get("text", "")
        values = [p.get("text") or (p.get("currency") or {}).get("fallback_value")
                  or (p.get("date_time") or {}).get("fallback_value") or "" for p in parameters]
        return PLACEHOLDER.sub(
            lambda m: values[int(m.group(1)) - 1] if int(m.group(1)) <= len(values) else m.group(0),
            text,
        )

    def conversations(self):
        with self.lock:
            numbers = {}
            for message in self.messages:
                numbers.setdefault(message["wa_id"], []).append(message)
            return [{"wa_id": wa_id, "name": self.number(wa_id).get("name", ""),
                     "window_open": self.window_open(wa_id), "messages": msgs}
                    for wa_id, msgs in numbers.items()]
