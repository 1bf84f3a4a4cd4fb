"""The Cloud API simulator over real HTTP: a real Simulator on a free port, a real local
webhook receiver, Meta's fixtures as the reference for every shape. No mocks."""

import base64
import hashlib
import hmac
import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from conftest import FIXTURES, ROOT

from wa_simulator import Simulator

TOKEN = "test-token"
SECRET = "test-app-secret"
PHONE_NUMBER_ID = "100000000000001"
WABA_ID = "200000000000002"
PATIENT = "393331234567"
HTTP = requests.Session()
HTTP.trust_env = False


def load(*parts):
    return json.loads(FIXTURES.joinpath(*parts).read_text())


def paths(value, prefix=""):
    """Every key path of a JSON value: {"a", "a.b", "a.c[]", "a.c[].d", ...}."""
    found = set()
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(prefix + key)
            found |= paths(item, prefix + key + ".")
    elif isinstance(value, list) and value:
        found.add(prefix.rstrip(".") + "[]")
        for item in value:
            found |= paths(item, prefix.rstrip(".") + "[].")
    return found


def signature_ok(raw, header, secret=SECRET):
    """Verify X-Hub-Signature-256 independently of the simulator's code."""
    expected = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header)


def wait_for(predicate, timeout=5.0, interval=0.02):
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {predicate}")
        time.sleep(interval)


# ---------------------------------------------------------------------------- receiver
class Receiver:
    """A tiny webhook endpoint: records raw bodies and headers, answers the handshake,
    can fail the next N deliveries with a 500."""

    def __init__(self, verify_token="verify-me"):
        self.verify_token = verify_token
        self.received = []  # accepted deliveries: {"raw", "headers", "json"}
        self.attempts = 0
        self.fail_next = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    receiver.attempts += 1
                    failing = receiver.fail_next > 0
                    if failing:
                        receiver.fail_next -= 1
                    else:
                        receiver.received.append(
                            {"raw": raw, "headers": dict(self.headers), "json": json.loads(raw)}
                        )
                self._answer(500 if failing else 200, b"no" if failing else b"OK")

            def do_GET(self):
                query = parse_qs(urlsplit(self.path).query)
                ok = query.get("hub.verify_token") == [receiver.verify_token]
                self._answer(200 if ok else 403, query["hub.challenge"][0].encode() if ok else b"")

            def _answer(self, status, body):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhook"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def bodies(self):
        with self.lock:
            return [r["json"] for r in self.received]

    def messages(self):
        return [
            m
            for b in self.bodies()
            for c in b["entry"][0]["changes"]
            for m in c["value"].get("messages", [])
        ]

    def statuses(self, wamid=None):
        return [
            s
            for b in self.bodies()
            for c in b["entry"][0]["changes"]
            for s in c["value"].get("statuses", [])
            if wamid in (None, s["id"])
        ]

    def wait_statuses(self, wamid, count, timeout=5.0):
        return wait_for(
            lambda: len(self.statuses(wamid)) >= count and self.statuses(wamid), timeout
        )

    def wait_messages(self, count, timeout=5.0):
        return wait_for(lambda: len(self.messages()) >= count and self.messages(), timeout)


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def sim(receiver):
    simulator = Simulator(
        host="127.0.0.1",
        port=0,
        access_token=TOKEN,
        app_secret=SECRET,
        phone_number_id=PHONE_NUMBER_ID,
        waba_id=WABA_ID,
        webhook_url=receiver.url,
        delivery_delay=0.05,
        template_review_delay=0.1,
        verify_token="verify-me",
    )
    simulator.start()
    yield simulator
    simulator.stop()


def graph(sim, method, path, token=TOKEN, headers=None, **kwargs):
    headers = {**(headers or {}), **({"Authorization": f"Bearer {token}"} if token else {})}
    return HTTP.request(method, f"{sim.url}/v23.0/{path}", headers=headers, timeout=5, **kwargs)


def control(sim, method, path, **kwargs):
    response = HTTP.request(method, sim.url + path, timeout=10, **kwargs)
    assert response.ok, response.text
    return response.json()


def send(sim, body, to=PATIENT):
    return graph(
        sim,
        "POST",
        f"{PHONE_NUMBER_ID}/messages",
        json={"messaging_product": "whatsapp", "to": to, **body},
    )


def send_text(sim, text="Hello", to=PATIENT):
    return send(sim, {"type": "text", "text": {"body": text}}, to)


def patient_writes(sim, text="Buongiorno", number=PATIENT, **extra):
    return control(
        sim,
        "POST",
        "/_sim/inbound",
        json={"from": number, "name": "Maria Rossi", "type": "text", "text": text, **extra},
    )["id"]


def preload(
    sim,
    name="appointment_reminder",
    body="Dear {{1}}, see you on {{2}}.",
    status="APPROVED",
    buttons=(),
):
    components = [{"type": "BODY", "text": body}]
    if buttons:
        components.append(
            {
                "type": "BUTTONS",
                "buttons": [{"type": "QUICK_REPLY", "text": text} for text in buttons],
            }
        )
    return control(
        sim,
        "POST",
        "/_sim/templates",
        json={
            "name": name,
            "language": "it",
            "status": status,
            "category": "UTILITY",
            "components": components,
        },
    )


def template_body(name="appointment_reminder", values=("Maria", "Monday"), payloads=()):
    components = [{"type": "body", "parameters": [{"type": "text", "text": v} for v in values]}]
    components += [
        {
            "type": "button",
            "sub_type": "quick_reply",
            "index": str(i),
            "parameters": [{"type": "payload", "payload": p}],
        }
        for i, p in enumerate(payloads)
    ]
    return {
        "type": "template",
        "template": {"name": name, "language": {"code": "it"}, "components": components},
    }


def error_of(response, status, code):
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code, error
    assert {"message", "type", "code", "fbtrace_id"} <= set(error)
    return error


# ---------------------------------------------------------------------------- Graph API
def test_bearer_token_is_checked(sim):
    missing = error_of(graph(sim, "GET", PHONE_NUMBER_ID, token=None), 401, 104)
    assert set(
        load("meta-cloud-api", "errors", "unauthorized-missingaccesstoken.json")["error"]
    ) <= set(missing)
    error_of(graph(sim, "GET", PHONE_NUMBER_ID, token="wrong"), 401, 190)
    error_of(graph(sim, "POST", f"{PHONE_NUMBER_ID}/messages", token="wrong", json={}), 401, 190)
    error_of(graph(sim, "POST", "999999999/messages", json={}), 400, 100)
    error_of(graph(sim, "GET", "999999999/message_templates"), 400, 100)
    info = graph(sim, "GET", PHONE_NUMBER_ID).json()
    assert info == {
        "display_phone_number": "390612345678",
        "verified_name": "Studio Dentistico Demo",
        "quality_rating": "GREEN",
        "code_verification_status": "VERIFIED",
        "id": PHONE_NUMBER_ID,
    }
    fields = graph(sim, "GET", PHONE_NUMBER_ID, params={"fields": "verified_name"}).json()
    assert fields == {"verified_name": "Studio Dentistico Demo", "id": PHONE_NUMBER_ID}
    assert sim.state.requests and sim.state.requests[0]["status"] == 401


def test_text_send_then_signed_statuses_in_order(sim, receiver):
    patient_writes(sim)
    response = send_text(sim, "Your appointment is confirmed.", to="+" + PATIENT)
    assert response.status_code == 200
    body = response.json()
    reference = load("meta-cloud-api", "send-responses", "200-example-response.json")
    assert paths(body) == paths(reference)
    assert body["contacts"] == [{"input": "+" + PATIENT, "wa_id": PATIENT}]
    wamid = body["messages"][0]["id"]
    assert wamid.startswith("wamid.") and len(wamid) > 20
    statuses = receiver.wait_statuses(wamid, 3)
    assert [s["status"] for s in statuses] == ["sent", "delivered", "read"]
    deliveries = [
        r for r in receiver.received if r["json"]["entry"][0]["changes"][0]["value"].get("statuses")
    ]
    for status, delivery in zip(("sent", "delivered", "read"), deliveries, strict=True):
        reference = load("pywa-updates", "message_status.json")[status]
        ignored = {p for p in paths(reference) if "user_id" in p}
        # Per-message pricing (July 2025) added "type" beside pywa's per-conversation fields.
        added = {p for p in paths(delivery["json"]) if p.endswith("pricing.type")}
        assert len(added) == 1
        assert paths(delivery["json"]) - added == paths(reference) - ignored
        value = delivery["json"]["entry"][0]["changes"][0]["value"]
        assert delivery["json"]["entry"][0]["id"] == WABA_ID
        assert value["metadata"] == {
            "display_phone_number": "390612345678",
            "phone_number_id": PHONE_NUMBER_ID,
        }
        assert value["statuses"][0]["recipient_id"] == PATIENT
        # The signature is HMAC-SHA256 of the raw bytes with the app secret.
        raw, header = delivery["raw"], delivery["headers"]["X-Hub-Signature-256"]
        assert delivery["headers"]["Content-Type"] == "application/json"
        assert signature_ok(raw, header)
        tampered = raw.replace(b'"status":"', b'"status":"x')
        assert tampered != raw and not signature_ok(tampered, header)
        assert not signature_ok(raw, header, secret="another-secret")
    sent = control(sim, "GET", "/_sim/messages", params={"to": PATIENT})
    assert [m["id"] for m in sent] == [wamid]
    assert sent[0]["payload"]["text"]["body"] == "Your appointment is confirmed."
    assert sent[0]["status"] == "read"


def test_patient_who_does_not_read(sim, receiver):
    control(sim, "POST", "/_sim/numbers", json={"wa_id": PATIENT, "reads": False})
    patient_writes(sim)
    wamid = send_text(sim).json()["messages"][0]["id"]
    receiver.wait_statuses(wamid, 2)
    time.sleep(0.2)
    assert [s["status"] for s in receiver.statuses(wamid)] == ["sent", "delivered"]


def test_template_checks(sim, receiver):
    preload(sim)
    ok = send(sim, template_body())
    assert ok.status_code == 200, ok.text
    wamid = ok.json()["messages"][0]["id"]
    # A template needs no open window.
    statuses = receiver.wait_statuses(wamid, 3)
    assert [s["status"] for s in statuses] == ["sent", "delivered", "read"]
    assert statuses[0]["pricing"] == {
        "billable": True,  # outside the patient's 24 h window a utility template is paid
        "pricing_model": "PMP",
        "category": "utility",
        "type": "regular",
    }
    assert sim.state.by_id[wamid]["view"]["text"] == "Dear Maria, see you on Monday."
    error = error_of(send(sim, template_body(values=("Maria",))), 400, 132000)
    assert "expected number of params (2)" in error["error_data"]["details"]
    error_of(send(sim, template_body(name="no_such_template")), 404, 132001)
    wrong_language = template_body()
    wrong_language["template"]["language"]["code"] = "en_US"
    error_of(send(sim, wrong_language), 404, 132001)
    for status, code in (
        ("PENDING", 132001),
        ("REJECTED", 132001),
        ("PAUSED", 132015),
        ("DISABLED", 132016),
    ):
        preload(sim, name=f"t_{status.lower()}", status=status)
        error_of(
            send(sim, template_body(name=f"t_{status.lower()}")),
            404 if code == 132001 else 400,
            code,
        )
    error_of(send(sim, template_body(values=("Maria\nRossi", "Monday"))), 400, 100)


def test_requests_are_validated_like_the_live_api(sim):
    patient_writes(sim)
    error_of(send(sim, {"type": "text", "text": {"body": "x"}}, to="39 333 abc"), 400, 100)
    error_of(send(sim, {"type": "text", "text": {"body": "x"}}, to=""), 400, 100)
    error_of(send(sim, {"type": "fax", "fax": {}}), 400, 100)
    error_of(send(sim, {"type": "text", "text": {"body": ""}}), 400, 100)
    error_of(send_text(sim, "x" * 4097), 400, 100)
    error_of(
        graph(
            sim,
            "POST",
            f"{PHONE_NUMBER_ID}/messages",
            json={"messaging_product": "sms", "to": PATIENT, "type": "text", "text": {"body": "x"}},
        ),
        400,
        100,
    )
    error_of(
        graph(
            sim,
            "POST",
            f"{PHONE_NUMBER_ID}/messages",
            data=b"{not json",
            headers={"Content-Type": "application/json"},
        ),
        400,
        100,
    )
    buttons = [
        {"type": "reply", "reply": {"id": f"b{i}", "title": f"Choice {i}"}} for i in range(4)
    ]
    interactive = {
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": "Confirm?"},
            "action": {"buttons": buttons},
        },
    }
    error_of(send(sim, interactive), 400, 131009)
    buttons[:] = [{"type": "reply", "reply": {"id": "b", "title": "A title that is too long"}}]
    error_of(send(sim, interactive), 400, 131009)
    error_of(send(sim, {"type": "image", "image": {"id": "123"}}), 400, 100)
    error_of(
        send(sim, {"type": "image", "image": {"id": "1", "link": "https://x/y.png"}}), 400, 100
    )
    assert send(sim, {"type": "image", "image": {"link": "https://example.com/x.png"}}).ok
    # Optional fields of Meta's spec are optional here too; the spec's own examples pass.
    for name in (
        "send-text-message.json",
        "send-reply-button.json",
        "send-list-message.json",
        "send-location-message.json",
        "send-document-message-by-url.json",
    ):
        example = load("meta-cloud-api", "send-requests", name)
        example["to"] = PATIENT
        assert graph(sim, "POST", f"{PHONE_NUMBER_ID}/messages", json=example).ok, name
    inbound_id = patient_writes(sim, "read me")
    read = graph(
        sim,
        "POST",
        f"{PHONE_NUMBER_ID}/messages",
        json={"messaging_product": "whatsapp", "status": "read", "message_id": inbound_id},
    )
    assert read.json() == {"success": True}
    assert sim.state.by_id[inbound_id]["status"] == "read"
    error_of(
        graph(
            sim,
            "POST",
            f"{PHONE_NUMBER_ID}/messages",
            json={"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.nope"},
        ),
        400,
        100,
    )


def test_24_hour_window_and_undeliverable_numbers(sim, receiver):
    silent = send_text(sim, "Hello", to="393330000001")
    assert silent.status_code == 200
    wamid = silent.json()["messages"][0]["id"]
    [failed] = receiver.wait_statuses(wamid, 1)
    assert failed["status"] == "failed"
    assert failed["errors"][0]["code"] == 131047
    assert failed["errors"][0]["title"] == "Re-engagement message"
    assert "24 hours" in failed["errors"][0]["error_data"]["details"]
    reference = load("pywa-updates", "message_status.json")["failed"]
    ignored = {p for p in paths(reference) if "user_id" in p}
    body = next(
        b for b in receiver.bodies() if b["entry"][0]["changes"][0]["value"].get("statuses")
    )
    assert paths(body) == paths(reference) - ignored
    # After the patient writes, free text goes through.
    patient_writes(sim, "Ciao", number="393330000001")
    wamid = send_text(sim, "Hello again", to="393330000001").json()["messages"][0]["id"]
    assert "delivered" in [s["status"] for s in receiver.wait_statuses(wamid, 2)]
    # Too short a number, or one registered as not on WhatsApp: 200, then failed 131026.
    control(sim, "POST", "/_sim/numbers", json={"wa_id": "393330000002", "on_whatsapp": False})
    preload(sim)
    for to, body in (
        ("1234567", {"type": "text", "text": {"body": "x"}}),
        ("393330000002", template_body()),
    ):
        response = send(sim, body, to=to)
        assert response.status_code == 200
        [status] = receiver.wait_statuses(response.json()["messages"][0]["id"], 1)
        assert (status["status"], status["errors"][0]["code"]) == ("failed", 131026)
        assert status["errors"][0]["title"] == "Message undeliverable"


# ---------------------------------------------------------------------------- inbound
INBOUND = [
    ("text", "text-message.json", {"text": "Does it come in another color?"}),
    ("image", "image-message.json", {"caption": "Taj Mahal"}),
    (
        "location",
        "location-message.json",
        {
            "latitude": 37.44,
            "longitude": -122.16,
            "location_name": "Philz",
            "address": "101 Forest Ave",
            "url": "https://philzcoffee.com/",
        },
    ),
    ("button", "button-message.json", {"payload": "Unsubscribe", "text": "Unsubscribe"}),
    (
        "interactive",
        "interactive-button-reply-message.json",
        {"reply_id": "cancel-button", "title": "Cancel"},
    ),
    (
        "interactive",
        "interactive-list-reply-message.json",
        {
            "reply_type": "list_reply",
            "reply_id": "priority",
            "title": "Priority Mail",
            "description": "Next Day",
        },
    ),
    (
        "reaction",
        "reaction-message.json",
        {"emoji": "\N{THUMBS UP SIGN}", "message_id": "wamid.ABC"},
    ),
    ("unsupported", "unsupported-message.json", {}),
]
# Meta's spec has no webhook example for these: the image's shape, with their own fields.
MEDIA_KEYS = {"mime_type", "sha256", "id"}
OTHER_MEDIA = [
    ("audio", MEDIA_KEYS | {"voice"}),
    ("video", MEDIA_KEYS | {"caption"}),
    ("document", MEDIA_KEYS | {"caption", "filename"}),
    ("sticker", MEDIA_KEYS | {"animated"}),
]


@pytest.mark.parametrize(
    ("kind", "fixture", "fields"), INBOUND, ids=[f[1].removesuffix(".json") for f in INBOUND]
)
def test_inbound_message_matches_meta_fixture(sim, receiver, kind, fixture, fields):
    sent = None
    if kind in ("button", "interactive"):  # something to reply to
        preload(sim)
        sent = send(sim, template_body(), to="16505551234").json()["messages"][0]["id"]
    wamid = control(
        sim,
        "POST",
        "/_sim/inbound",
        json={"from": "16505551234", "name": "Sheena Nelson", "type": kind, **fields},
    )["id"]
    [message] = receiver.wait_messages(1)
    reference = load("meta-cloud-api", "webhooks", fixture)
    ref_message = reference["entry"][0]["changes"][0]["value"]["messages"][0]
    assert paths(message) == paths(ref_message)
    body = next(b for b in receiver.bodies() if "messages" in b["entry"][0]["changes"][0]["value"])
    assert paths(body) == paths(reference)
    assert message["id"] == wamid and message["type"] == ref_message["type"]
    assert message["from"] == "16505551234"
    assert body["entry"][0]["changes"][0]["value"]["contacts"] == [
        {"profile": {"name": "Sheena Nelson"}, "wa_id": "16505551234"}
    ]
    if sent:
        assert message["context"] == {"from": sim.display_phone_number, "id": sent}
    if kind == "image":
        media_id = message["image"]["id"]
        info = graph(sim, "GET", media_id).json()
        content = HTTP.get(info["url"], headers={"Authorization": f"Bearer {TOKEN}"}).content
        assert (
            base64.b64encode(hashlib.sha256(content).digest()).decode()
            == message["image"]["sha256"]
        )
    # The patient wrote: their 24 h window is open.
    assert sim.state.window_open("16505551234")


@pytest.mark.parametrize(("kind", "keys"), OTHER_MEDIA, ids=[m[0] for m in OTHER_MEDIA])
def test_inbound_media_types(sim, receiver, kind, keys):
    content = (
        b"%PDF-1.4 pretend\r\n\x00\xff" if kind == "document" else b"bytes of " + kind.encode()
    )
    control(
        sim,
        "POST",
        "/_sim/inbound",
        json={
            "from": PATIENT,
            "type": kind,
            "caption": "A caption",
            "media": {
                "filename": f"file.{kind}",
                "mime_type": f"application/x-{kind}",
                "content_base64": base64.b64encode(content).decode(),
            },
        },
    )
    [message] = receiver.wait_messages(1)
    assert message["type"] == kind
    assert set(message[kind]) == keys
    info = graph(sim, "GET", message[kind]["id"]).json()
    assert info["mime_type"] == f"application/x-{kind}"
    assert HTTP.get(info["url"], headers={"Authorization": f"Bearer {TOKEN}"}).content == content


def test_press_a_button_of_a_template_and_of_an_interactive_message(sim, receiver):
    preload(sim, buttons=("Confirm", "Reschedule"))
    template = send(sim, template_body(payloads=("CONFIRM-42", "MOVE-42"))).json()
    control(sim, "POST", "/_sim/press", json={"from": PATIENT, "button": "Confirm"})
    [pressed] = receiver.wait_messages(1)
    assert pressed["type"] == "button"
    assert pressed["button"] == {"payload": "CONFIRM-42", "text": "Confirm"}
    assert pressed["context"]["id"] == template["messages"][0]["id"]
    reference = load("meta-cloud-api", "webhooks", "button-message.json")
    assert paths(pressed) == paths(reference["entry"][0]["changes"][0]["value"]["messages"][0])
    # The window is now open: an interactive message, and its reply button pressed by index.
    interactive = send(
        sim,
        {
            "type": "interactive",
            "interactive": {
                "type": "button",
                "body": {"text": "Keep the appointment?"},
                "action": {
                    "buttons": [
                        {"type": "reply", "reply": {"id": "yes", "title": "Yes"}},
                        {"type": "reply", "reply": {"id": "no", "title": "No"}},
                    ]
                },
            },
        },
    )
    wamid = interactive.json()["messages"][0]["id"]
    control(sim, "POST", "/_sim/press", json={"from": PATIENT, "index": 1})
    reply = receiver.wait_messages(2)[1]
    assert reply["interactive"] == {
        "type": "button_reply",
        "button_reply": {"id": "no", "title": "No"},
    }
    assert reply["context"]["id"] == wamid
    # Without a payload in the request, the button's text is the payload.
    send(sim, template_body())
    control(sim, "POST", "/_sim/press", json={"from": PATIENT, "index": 1})
    assert receiver.wait_messages(3)[2]["button"] == {"payload": "Reschedule", "text": "Reschedule"}
    missing = HTTP.post(sim.url + "/_sim/press", json={"from": "393339999999", "index": 0})
    assert missing.status_code == 404


# ---------------------------------------------------------------------------- faults
def test_faults_then_recovery(sim):
    patient_writes(sim)
    control(
        sim,
        "POST",
        "/_sim/faults",
        json={"count": 2, "code": 131000, "http_status": 500, "operations": ["messages"]},
    )
    assert graph(sim, "GET", PHONE_NUMBER_ID).ok  # another operation is not affected
    for _ in range(2):
        error = error_of(send_text(sim), 500, 131000)
        assert error["fbtrace_id"]
    assert send_text(sim).status_code == 200
    # A plain 5xx with an HTML body when no code is given.
    control(sim, "POST", "/_sim/faults", json={"count": 1, "http_status": 503})
    outage = send_text(sim)
    assert outage.status_code == 503 and "text/html" in outage.headers["Content-Type"]
    # A timeout: the client gives up; the message was not taken.
    control(sim, "POST", "/_sim/faults", json={"timeout": True, "timeout_seconds": 1})
    before = len(sim.state.messages)
    with pytest.raises(requests.Timeout):
        HTTP.post(
            f"{sim.url}/v23.0/{PHONE_NUMBER_ID}/messages",
            timeout=0.3,
            headers={"Authorization": f"Bearer {TOKEN}"},
            json={
                "messaging_product": "whatsapp",
                "to": PATIENT,
                "type": "text",
                "text": {"body": "x"},
            },
        )
    assert len(sim.state.messages) == before
    control(sim, "POST", "/_sim/faults", json={"count": 5, "code": 4})
    assert control(sim, "DELETE", "/_sim/faults") == {"faults": []}
    assert send_text(sim).ok


# ---------------------------------------------------------------------------- delivery modes
def test_duplicate_and_delayed_deliveries(sim, receiver):
    control(sim, "POST", "/_sim/webhook-mode", json={"duplicate": 2})
    patient_writes(sim, "Ciao")
    messages = receiver.wait_messages(3)
    assert len({m["id"] for m in messages}) == 1
    raws = {r["raw"] for r in receiver.received}
    assert len(raws) == 1  # the same bytes, the same signature
    control(sim, "POST", "/_sim/webhook-mode", json={"duplicate": 0, "delay": 0.3})
    started = time.monotonic()
    patient_writes(sim, "Late")
    receiver.wait_messages(4)
    assert time.monotonic() - started >= 0.3


def test_manual_mode_flush_is_synchronous_and_can_shuffle(sim, receiver):
    control(sim, "POST", "/_sim/webhook-mode", json={"manual": True, "shuffle": True})
    ids = [patient_writes(sim, f"message {i}") for i in range(20)]
    time.sleep(0.1)
    assert receiver.bodies() == []
    assert control(sim, "GET", "/_sim/deliveries")["pending"] == 20
    flushed = control(sim, "POST", "/_sim/flush")["deliveries"]
    # Every POST was answered before flush answered.
    assert [d["status"] for d in flushed] == [200] * 20
    received = [m["id"] for m in receiver.messages()]
    assert sorted(received) == sorted(ids)
    assert received != ids  # shuffled (20! orders: never the original by chance)
    assert control(sim, "POST", "/_sim/flush") == {"deliveries": []}
    # Statuses of a send queue too, all three at once, in order when not shuffled.
    control(sim, "POST", "/_sim/webhook-mode", json={"shuffle": False})
    wamid = send_text(sim).json()["messages"][0]["id"]
    flushed = control(sim, "POST", "/_sim/flush")["deliveries"]
    assert [d["kind"] for d in flushed] == ["status"] * 3
    assert [s["status"] for s in receiver.statuses(wamid)] == ["sent", "delivered", "read"]
    # Duplication applies when deliveries go out, also to those queued before it was set.
    wamid = send_text(sim).json()["messages"][0]["id"]
    control(sim, "POST", "/_sim/webhook-mode", json={"duplicate": 2})
    flushed = control(sim, "POST", "/_sim/flush")["deliveries"]
    assert len(flushed) == 9 and {d["status"] for d in flushed} == {200}
    assert [s["status"] for s in receiver.statuses(wamid)] == ["sent"] * 3 + ["delivered"] * 3 + [
        "read"
    ] * 3
    control(sim, "POST", "/_sim/webhook-mode", json={"duplicate": 0})
    # Leaving manual mode releases what is queued.
    patient_writes(sim, "queued")
    control(sim, "POST", "/_sim/webhook-mode", json={"manual": False})
    receiver.wait_messages(21)


def test_failed_deliveries_are_retried_and_recorded(sim, receiver):
    sim.deliverer.backoff = (0.05, 0.1)
    receiver.fail_next = 2
    patient_writes(sim, "retry me")
    receiver.wait_messages(1, timeout=6)
    # The receiver has the body before the simulator records the answer: wait for it.
    wait_for(
        lambda: (
            control(sim, "GET", "/_sim/deliveries")["deliveries"][0]["state"]
            in ("delivered", "failed")
        )
    )
    [delivery] = control(sim, "GET", "/_sim/deliveries")["deliveries"]
    assert [a["status"] for a in delivery["attempts"]] == [500, 500, 200]
    assert delivery["state"] == "delivered" and delivery["attempts"][0]["response"] == "no"


def test_verify_webhook_handshake(sim, receiver):
    assert control(sim, "POST", "/_sim/verify-webhook")["ok"] is True
    control(sim, "POST", "/_sim/config", json={"verify_token": "wrong"})
    result = control(sim, "POST", "/_sim/verify-webhook")
    assert (result["ok"], result["status"]) == (False, 403)


# ---------------------------------------------------------------------------- templates
def test_template_submission_review_and_listing(sim, receiver):
    create = {
        "name": "recall_visit",
        "language": "it",
        "category": "UTILITY",
        "components": [{"type": "BODY", "text": "Gentile {{1}}, è ora del controllo."}],
    }
    created = graph(sim, "POST", f"{WABA_ID}/message_templates", json=create).json()
    assert created["status"] == "PENDING" and created["category"] == "UTILITY"
    assert paths(created) == paths(
        load("meta-cloud-api", "templates", "post-200-example-response.json")
    )
    [update] = wait_for(receiver.bodies)
    reference = load("pywa-updates", "template_status_update.json")
    assert paths(update) == paths(reference["approved"])
    value = update["entry"][0]["changes"][0]["value"]
    assert (value["event"], value["message_template_name"]) == ("APPROVED", "recall_visit")
    assert value["message_template_id"] == int(created["id"])
    # Rejection, when the name was marked for it.
    control(
        sim, "POST", "/_sim/templates/reject", json={"name": "promo_x", "reason": "INVALID_FORMAT"}
    )
    graph(sim, "POST", f"{WABA_ID}/message_templates", json={**create, "name": "promo_x"})
    rejected = wait_for(lambda: len(receiver.bodies()) > 1 and receiver.bodies()[1])
    assert paths(rejected) == paths(reference["rejected"])
    assert rejected["entry"][0]["changes"][0]["value"]["event"] == "REJECTED"
    error_of(
        graph(sim, "POST", f"{WABA_ID}/message_templates", json={**create, "name": "Bad Name"}),
        400,
        100,
    )
    error_of(
        graph(sim, "POST", f"{WABA_ID}/message_templates", json={**create, "category": "PROMO"}),
        400,
        100,
    )
    error_of(graph(sim, "POST", f"{WABA_ID}/message_templates", json=create), 400, 100)
    # Listing, page by page through absolute "next" links.
    for i in range(3):
        preload(sim, name=f"extra_{i}")
    page = graph(sim, "GET", f"{WABA_ID}/message_templates", params={"limit": 2}).json()
    names = []
    while True:
        names += [t["name"] for t in page["data"]]
        for template in page["data"]:
            assert {"name", "language", "status", "category", "id", "components"} == set(template)
        if "next" not in page["paging"]:
            break
        assert page["paging"]["next"].startswith(sim.url)
        page = HTTP.get(page["paging"]["next"], headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert names == ["recall_visit", "promo_x", "extra_0", "extra_1", "extra_2"]
    statuses = {t["name"]: t["status"] for t in control(sim, "GET", "/_sim/templates")}
    assert statuses["recall_visit"] == "APPROVED" and statuses["promo_x"] == "REJECTED"
    # A status changed by Meta later, e.g. paused for low quality.
    control(
        sim,
        "POST",
        "/_sim/templates/status",
        json={"name": "recall_visit", "language": "it", "status": "PAUSED"},
    )
    paused = wait_for(lambda: len(receiver.bodies()) > 2 and receiver.bodies()[2])
    assert paused["entry"][0]["changes"][0]["value"]["event"] == "PAUSED"
    deleted = graph(sim, "DELETE", f"{WABA_ID}/message_templates", params={"name": "extra_0"})
    assert deleted.json() == {"success": True}
    assert len(graph(sim, "GET", f"{WABA_ID}/message_templates").json()["data"]) == 4


# ---------------------------------------------------------------------------- media
def test_media_upload_url_download_delete(sim):
    content = bytes(range(256)) * 3 + b"\r\n--boundary-like\r\n"
    uploaded = graph(
        sim,
        "POST",
        f"{PHONE_NUMBER_ID}/media",
        data={"messaging_product": "whatsapp", "type": "application/pdf"},
        files={"file": ("referto.pdf", content, "application/pdf")},
    )
    assert uploaded.status_code == 200, uploaded.text
    media_id = uploaded.json()["id"]
    assert media_id.isdigit()
    info = graph(sim, "GET", media_id).json()
    assert set(info) == set(load("meta-cloud-api", "media", "get-200-retrieve-media-url.json"))
    assert info["sha256"] == hashlib.sha256(content).hexdigest()
    assert info["mime_type"] == "application/pdf" and int(info["file_size"]) == len(content)
    assert info["url"].startswith(f"{sim.url}/_media/{media_id}?token=")
    assert HTTP.get(info["url"]).status_code == 401
    download = HTTP.get(info["url"], headers={"Authorization": f"Bearer {TOKEN}"})
    assert download.content == content
    patient_writes(sim)
    assert send(sim, {"type": "document", "document": {"id": media_id}}).ok
    assert graph(sim, "DELETE", media_id).json() == {"success": True}
    error_of(graph(sim, "GET", media_id), 400, 100)
    error_of(
        graph(
            sim,
            "POST",
            f"{PHONE_NUMBER_ID}/media",
            data={"messaging_product": "whatsapp", "type": "image/png"},
            files={"other": ("x.png", b"x", "image/png")},
        ),
        400,
        100,
    )


# ---------------------------------------------------------------------------- control & page
def test_conversations_reset_and_phone_page(sim, receiver):
    patient_writes(sim, "Buongiorno")
    send_text(sim, "Buongiorno Maria")
    [conversation] = control(sim, "GET", "/_sim/conversations")
    assert conversation["wa_id"] == PATIENT and conversation["name"] == "Maria Rossi"
    assert [m["direction"] for m in conversation["messages"]] == ["in", "out"]
    assert conversation["window_open"] is True
    page = HTTP.get(sim.url + "/")
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    html = page.text
    for needle in (
        "/_sim/conversations",
        "/_sim/press",
        "/_sim/inbound",
        "setInterval",
        'aria-label="Reply as the patient"',
        "Write as a new patient",
    ):
        assert needle in html
    assert "http://" not in html and "https://" not in html  # no external resources
    assert control(sim, "POST", "/_sim/reset") == {"ok": True}
    assert control(sim, "GET", "/_sim/conversations") == []
    assert HTTP.post(sim.url + "/_sim/nothing", json={}).status_code == 404


def test_command_line(sim):
    help_text = subprocess.run(
        [sys.executable, "-m", "wa_simulator", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=20,
        check=True,
    ).stdout
    for option in (
        "--webhook-url",
        "--app-secret",
        "--access-token",
        "--phone-number-id",
        "--waba-id",
        "--verify-token",
        "--manual-delivery",
    ):
        assert option in help_text
    process = subprocess.Popen(
        [sys.executable, "-m", "wa_simulator", "--port", "0", "--quiet"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        url = line.split(" on ")[1].strip()
        assert url.startswith("http://127.0.0.1:")
        assert HTTP.get(url + "/_sim/config", timeout=5).json()["url"] == url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_longer_retry_schedule_outlasts_a_receiver_that_is_down(sim, receiver):
    # Meta keeps retrying while Odoo restarts: a schedule longer than the default.
    mode = control(sim, "POST", "/_sim/webhook-mode", json={"retries": 5, "retry_seconds": 0.05})
    assert mode["retry_backoff"] == [0.05, 0.1, 0.2, 0.4, 0.8]
    receiver.fail_next = 4  # more than the default schedule of three retries
    patient_writes(sim, "are you there?")
    receiver.wait_messages(1, timeout=6)
    wait_for(
        lambda: (
            control(sim, "GET", "/_sim/deliveries")["deliveries"][0]["state"]
            in ("delivered", "failed")
        )
    )
    [delivery] = control(sim, "GET", "/_sim/deliveries")["deliveries"]
    assert [a["status"] for a in delivery["attempts"]] == [500, 500, 500, 500, 200]
    bad = requests.post(sim.url + "/_sim/webhook-mode", json={"retry_seconds": 0}, timeout=5)
    assert bad.status_code == 400
    # A reset gives the default schedule back.
    control(sim, "POST", "/_sim/reset")
    assert control(sim, "POST", "/_sim/webhook-mode", json={})["retry_backoff"] == [0.5, 1.0, 2.0]
