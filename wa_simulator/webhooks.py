"""Webhook bodies shaped like Meta's, signed like Meta's, delivered at least once."""

import hashlib
import hmac
import json
import random
import threading
import time

import requests


def sign(app_secret, body):
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def envelope(sim, value, field="messages"):
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": sim.waba_id, "changes": [{"value": value, "field": field}]}],
    }


def messages_value(sim, wa_id, name=None, messages=None, statuses=None):
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": sim.display_phone_number,
                     "phone_number_id": sim.phone_number_id},
    }
    if messages is not None:
        value["contacts"] = [{"profile": {"name": name or ""}, "wa_id": wa_id}]
        value["messages"] = messages
    if statuses is not None:
        value["statuses"] = statuses
    return value


def status_body(sim, message, status, errors=None):
    item = {
        "id": message["id"],
        "status": status,
        "timestamp": str(int(time.time())),
        "recipient_id": message["wa_id"],
    }
    if status != "failed":
        item["conversation"] = {"id": message["id"][-30:], "origin": {"type": "utility"}}
        item["pricing"] = {"billable": True, "pricing_model": "PMP", "category": "utility"}
    if errors:
        item["errors"] = errors
    return envelope(sim, messages_value(sim, message["wa_id"], statuses=[item]))


class Deliverer:
    """Sends webhooks: at once (after a delay) or on flush; duplicated or shuffled on request."""

    RETRIES = 3

    def __init__(self, sim):
        self.sim = sim
        self.mode = {"duplicate": 0, "shuffle": False, "delay": 0.0,
                     "manual": not sim.auto_deliver}

    def emit(self, body, delay=0.0):
        raw = json.dumps(body, separators=(",", ":")).encode()
        copies = [raw] * (1 + int(self.mode["duplicate"]))
        world = self.sim.state
        with world.lock:
            if self.mode["manual"]:
                world.pending.extend(copies)
                return
        wait = delay + float(self.mode["delay"])
        for copy in copies:
            timer = threading.Timer(wait, self._deliver, (copy,))
            timer.daemon = True
            timer.start()

    def flush(self):
        world = self.sim.state
        with world.lock:
            pending, world.pending = world.pending, []
        if self.mode["shuffle"]:
            random.shuffle(pending)
        return [self._deliver(raw, retries=0) for raw in pending]

    def _deliver(self, raw, retries=RETRIES):
        url = self.sim.webhook_url
        record = {"status": None, "body": json.loads(raw), "attempts": 0, "url": url}
        if not url:
            record["status"] = "no webhook url"
            self.sim.state.deliveries.append(record)
            return record
        for attempt in range(retries + 1):
            record["attempts"] = attempt + 1
            try:
                response = requests.post(
                    url, data=raw, timeout=10,
                    headers={"Content-Type": "application/json",
                             "X-Hub-Signature-256": sign(self.sim.app_secret, raw)},
                )
                record["status"] = response.status_code
                if response.status_code == 200:
                    break
            except requests.RequestException as error:
                record["status"] = f"error: {error}"
            time.sleep(min(0.2 * 2**attempt, 2))
        with self.sim.state.lock:
            self.sim.state.deliveries.append(record)
        return record
