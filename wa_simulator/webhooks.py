"""Webhooks: bodies shaped like Meta's, serialized once, signed like Meta's
(``X-Hub-Signature-256``), delivered at least once with bounded retries.

Delivery modes (``Deliverer.mode``): ``duplicate`` N extra copies of every delivery,
``shuffle`` the order, ``delay`` every delivery by S seconds, ``manual``: queue until
:meth:`Deliverer.flush`, which posts everything synchronously.

Timing uses ``threading.Timer`` and ``queue.Queue`` rather than reading clocks here, so the
simulator keeps working inside a process whose clock is frozen by a test (freezegun).
"""

import hashlib
import hmac
import json
import queue
import random
import threading
import time

import requests

# Meta retries a failed delivery with a growing back-off; the simulator does so a few
# times, quickly, so a test sees it (seconds after each failed attempt).
RETRY_BACKOFF = (0.5, 1.0, 2.0)
TIMEOUT = 10
SHUFFLE_WINDOW = 0.15


def sign(app_secret, raw):
    return "sha256=" + hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()


def envelope(sim, value, field="messages", with_time=False):
    entry = {"id": sim.waba_id}
    if with_time:
        entry["time"] = int(time.time())
    entry["changes"] = [{"value": value, "field": field}]
    return {"object": "whatsapp_business_account", "entry": [entry]}


def profile_name(number, show_number=True):
    """The profile name webhooks show: the patient's name, else their number (unless it is
    withheld), else their username or BSUID."""
    shown = number["wa_id"] if show_number else None
    return number["name"] or shown or number["username"] or number["user_id"] or ""


def contact_item(number, name, show_number=True, with_username=True):
    """One entry of ``contacts``: the profile name (and username), the number unless it
    is withheld, the business-scoped user id when the patient has one."""
    profile = {"name": name}
    if with_username and number.get("username"):
        profile["username"] = number["username"]
    item = {"profile": profile}
    if show_number and number.get("wa_id"):
        item["wa_id"] = number["wa_id"]
    if number.get("user_id"):
        item["user_id"] = number["user_id"]
    return item


def messages_value(sim, wa_id, name, messages=None, statuses=None, *, contacts=None):
    """A ``messages`` change value; ``contacts`` defaults to the one number, ``[]``
    leaves the array out (system messages have none)."""
    if contacts is None:
        contacts = [{"profile": {"name": name}, "wa_id": wa_id}]
    value = {
        "messaging_product": "whatsapp",
        "metadata": {
            "display_phone_number": sim.display_phone_number,
            "phone_number_id": sim.phone_number_id,
        },
    }
    if contacts:
        value["contacts"] = contacts
    if messages is not None:
        value["messages"] = messages
    if statuses is not None:
        value["statuses"] = statuses
    return value


def status_item(message, status, errors=None, user_id=None):
    """One entry of ``statuses``, as in Meta's (and pywa's) status webhooks. A message
    sent to a business-scoped user id has ``recipient_user_id`` and no ``recipient_id``;
    one sent to a number has ``recipient_id``, and ``recipient_user_id`` when the
    patient has a BSUID (``user_id``)."""
    item = {
        "id": message["id"],
        "status": status,
        "timestamp": str(int(time.time())),
    }
    if not message.get("recipient_user_id"):
        item["recipient_id"] = message["wa_id"]
    if message.get("recipient_user_id") or user_id:
        item["recipient_user_id"] = message.get("recipient_user_id") or user_id
    if message.get("biz_opaque_callback_data"):
        item["biz_opaque_callback_data"] = message["biz_opaque_callback_data"]
    if errors:
        item["errors"] = errors
        return item
    category = message.get("pricing_category", "service")
    conversation = {"id": message["conversation_id"]}
    if status == "sent":
        conversation["expiration_timestamp"] = str(int(message["time"]) + 24 * 3600)
    conversation["origin"] = {"type": category}
    item["conversation"] = conversation
    # Meta's per-message pricing (since July 2025, "PMP"): a type per message; service
    # answers and utility templates inside the customer service window are free.
    free = category == "service" or (category == "utility" and message.get("in_window"))
    item["pricing"] = {
        "billable": not free,
        "pricing_model": "PMP",
        "category": category,
        "type": "free_customer_service" if free else "regular",
    }
    return item


def public(record):
    return {k: v for k, v in record.items() if not k.startswith("_")}


class Deliverer:
    def __init__(self, sim):
        self.sim = sim
        self.mode = {"duplicate": 0, "shuffle": False, "delay": 0.0, "manual": not sim.auto_deliver}
        self._queue = queue.Queue()
        self._worker = None
        self._running = False
        self._seq = 0
        self._local = threading.local()
        self.backoff = RETRY_BACKOFF  # seconds before each retry; tests may shorten it

    # ------------------------------------------------------------------ life cycle
    def start(self):
        self._running = True
        self._worker = threading.Thread(target=self._work, daemon=True, name="wa-sim-webhooks")
        self._worker.start()

    def stop(self):
        self._running = False
        self._queue.put(None)

    def reset_mode(self):
        self.backoff = RETRY_BACKOFF
        self.mode.update(duplicate=0, shuffle=False, delay=0.0, manual=not self.sim.auto_deliver)

    def set_mode(self, **changes):
        retries = changes.pop("retries", None)
        base = changes.pop("retry_seconds", None)
        if retries is not None or base is not None:
            if (retries is not None and retries < 0) or (base is not None and base <= 0):
                raise ValueError("retries must be >= 0 and retry_seconds > 0")
            count = len(self.backoff) if retries is None else retries
            first = self.backoff[0] if base is None and self.backoff else (base or 0.5)
            self.backoff = tuple(first * 2**n for n in range(count))
        was_manual = self.mode["manual"]
        self.mode.update(changes)
        if was_manual and not self.mode["manual"]:  # release what was queued
            world = self.sim.state
            with world.lock:
                pending, world.pending = world.pending, []
            for record in pending:
                self._queue.put(record)
        return dict(self.mode, retry_backoff=list(self.backoff))

    # ------------------------------------------------------------------ emitting
    def _record(self, kind, body, raw, copy_of=None):
        self._seq += 1
        record = {
            "id": self._seq,
            "kind": kind,
            "copy_of": copy_of,
            "state": "pending",
            "status": None,
            "url": None,
            "body": body,
            "attempts": [],
            "_raw": raw,
            "_generation": self.sim.state.generation,
        }
        self.sim.state.deliveries.append(record)
        return record

    def emit(self, body, kind):
        """Serialize a webhook body once and queue its delivery; returns the record."""
        raw = json.dumps(body, separators=(",", ":")).encode()
        world = self.sim.state
        with world.lock:
            record = self._record(kind, body, raw)
            manual = self.mode["manual"]
            if manual:
                world.pending.append(record)
        if not manual:
            self._later(float(self.mode["delay"] or 0), record)
        return record

    def _later(self, seconds, record):
        if seconds > 0:
            timer = threading.Timer(seconds, self._queue.put, (record,))
            timer.daemon = True
            timer.start()
        else:
            self._queue.put(record)

    def _expand(self, records):
        """The deliveries as posted: each followed by its ``duplicate`` copies (Meta delivers
        at least once), shuffled when the mode says so. Retries are not duplicated again."""
        extra = int(self.mode["duplicate"] or 0)
        result = []
        with self.sim.state.lock:
            for record in records:
                result.append(record)
                if extra and not record["attempts"] and record["copy_of"] is None:
                    result += [
                        self._record(
                            record["kind"], record["body"], record["_raw"], copy_of=record["id"]
                        )
                        for _ in range(extra)
                    ]
        if self.mode["shuffle"]:
            random.shuffle(result)
        return result

    # ------------------------------------------------------------------ delivering
    def flush(self):
        """Post every pending delivery now, one after the other (manual mode); answer
        when all were answered. No retries here: a failed one is reported as failed."""
        world = self.sim.state
        with world.lock:
            pending, world.pending = world.pending, []
        posted = self._expand(pending)
        for record in posted:
            self._attempt(record)
            if record["state"] == "retrying":
                record["state"] = "failed"
        return world.snapshot([public(r) for r in posted])

    def _work(self):
        while self._running:
            record = self._queue.get()
            if record is None:
                continue
            batch = [record]
            if self.mode["shuffle"]:  # gather what arrives together, then mix it
                time.sleep(SHUFFLE_WINDOW)
                while True:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is not None:
                        batch.append(item)
            generation = self.sim.state.generation
            for item in self._expand(batch):
                if not self._running:
                    return
                if item["_generation"] != generation:  # from before a reset: dropped
                    continue
                self._attempt(item)
                if item["state"] == "retrying":
                    self._later(self.backoff[len(item["attempts"]) - 1], item)

    def _session(self):
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.trust_env = False  # loopback receivers: never through a proxy
        return session

    def _attempt(self, record):
        sim = self.sim
        url = sim.webhook_url
        record["url"] = url
        attempt = {"time": time.time(), "status": None, "response": None, "error": None}
        if not url:
            attempt["error"] = "no webhook_url configured"
        else:
            raw = record["_raw"]
            headers = {
                "Content-Type": "application/json",
                "X-Hub-Signature-256": sign(sim.app_secret, raw),
                "User-Agent": "facebookexternalua",
            }
            if sim.webhook_cookie:
                headers["Cookie"] = sim.webhook_cookie
            try:
                response = self._session().post(url, data=raw, headers=headers, timeout=TIMEOUT)
                attempt["status"] = response.status_code
                attempt["response"] = response.text[:2000]
            except requests.RequestException as error:
                attempt["error"] = f"{type(error).__name__}: {error}"
        with sim.state.lock:
            record["attempts"].append(attempt)
            record["status"] = attempt["status"]
            if attempt["status"] == 200:
                record["state"] = "delivered"
            elif url and len(record["attempts"]) <= len(self.backoff):
                record["state"] = "retrying"
            else:
                record["state"] = "failed"
        return record
