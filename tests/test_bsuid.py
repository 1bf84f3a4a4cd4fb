"""Business-scoped user ids (BSUIDs) and usernames, Meta's 2026 change: a patient may be
known by ``from_user_id`` alone. The parser keeps their message, the builders address
them by ``recipient``, and the simulator speaks it all over real HTTP."""

import json
import time

import pytest
import requests
from conftest import FIXTURES
from test_simulator import wait_for

from dental_whatsapp.tools import payloads
from dental_whatsapp.tools.cloud_api import CloudApiClient, is_user_id
from dental_whatsapp.tools.webhook import (
    InboundMessage,
    StatusUpdate,
    WebhookFormatError,
    decode_body,
    parse_payload,
    verify_signature,
)
from wa_simulator import Simulator

SECRET = "bsuid-app-secret"
TOKEN = "bsuid-token"
BSUID = "US.13491208655302741918"
OTHER_BSUID = "IT.98765432109876543210"
PARENT = "US.ENT.11815799212886844830"
PATIENT = "393331234567"
HTTP = requests.Session()
HTTP.trust_env = False


def message_body(message, contacts=None):
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "390612345678", "phone_number_id": "1001"},
        "messages": [message],
    }
    if contacts is not None:
        value["contacts"] = contacts
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "2002", "changes": [{"field": "messages", "value": value}]}],
    }


def text_message(**fields):
    message = {"id": "wamid.IN1", "timestamp": "1780000000", "type": "text"}
    message["text"] = {"body": "Buongiorno, posso spostare?"}
    message.update(fields)
    return {k: v for k, v in message.items() if v is not None}


# ---------------------------------------------------------------------------- parser
def test_a_username_only_patient_is_kept_with_user_id_and_username():
    contacts = [{"profile": {"name": "Maria", "username": "@maria.r"}, "user_id": BSUID}]
    [event] = parse_payload(message_body(text_message(from_user_id=BSUID), contacts))
    assert isinstance(event, InboundMessage)
    assert (event.wa_id, event.user_id, event.username) == ("", BSUID, "@maria.r")
    assert (event.profile_name, event.text) == ("Maria", "Buongiorno, posso spostare?")


def test_an_empty_from_with_a_user_id_is_accepted():
    [event] = parse_payload(message_body(text_message(**{"from": "", "from_user_id": BSUID})))
    assert (event.wa_id, event.user_id, event.username, event.profile_name) == (
        "",
        BSUID,
        None,
        "",
    )


def test_a_number_and_a_user_id_both_come_through():
    contacts = [{"profile": {"name": "Maria"}, "wa_id": PATIENT, "user_id": BSUID}]
    message = text_message(**{"from": PATIENT, "from_user_id": BSUID})
    [event] = parse_payload(message_body(message, contacts))
    assert (event.wa_id, event.user_id, event.profile_name) == (PATIENT, BSUID, "Maria")


def test_the_user_id_comes_from_the_contact_when_the_message_has_only_from():
    contacts = [
        {"profile": {"name": "Someone Else"}, "wa_id": "390000000", "user_id": OTHER_BSUID},
        {"profile": {"name": "Maria", "username": "@maria"}, "wa_id": PATIENT, "user_id": BSUID},
    ]
    [event] = parse_payload(message_body(text_message(**{"from": PATIENT}), contacts))
    assert (event.user_id, event.username, event.profile_name) == (BSUID, "@maria", "Maria")


def test_contacts_are_matched_by_user_id_not_by_position():
    contacts = [
        {"profile": {"name": "Someone Else"}, "user_id": OTHER_BSUID},
        {"profile": {"name": "Maria", "username": "@maria"}, "user_id": BSUID},
    ]
    [event] = parse_payload(message_body(text_message(from_user_id=BSUID), contacts))
    assert (event.profile_name, event.username) == ("Maria", "@maria")


@pytest.mark.parametrize(
    "sender",
    [{}, {"from": ""}, {"from": "", "from_user_id": ""}, {"from": None, "from_user_id": None}],
    ids=["missing", "empty-from", "both-empty", "both-null"],
)
def test_a_message_with_neither_number_nor_user_id_is_still_refused(sender):
    with pytest.raises(WebhookFormatError):
        parse_payload(message_body(text_message(**sender)))


def test_a_status_to_a_user_id_has_recipient_user_id_and_no_recipient_id():
    body = json.loads((FIXTURES / "pywa-updates" / "message_status.json").read_text())["read"]
    value = body["entry"][0]["changes"][0]["value"]
    status = value["statuses"][0]
    del status["recipient_id"]
    status["recipient_user_id"] = OTHER_BSUID
    value["contacts"] = [{"profile": {"name": "Test Name"}, "user_id": OTHER_BSUID}]
    [event] = parse_payload(body)
    assert isinstance(event, StatusUpdate)
    assert (event.recipient_id, event.recipient_user_id) == ("", OTHER_BSUID)


def test_pywa_statuses_get_the_recipient_user_id_from_their_contacts():
    # pywa's examples carry the BSUID only in contacts[].user_id, beside the number.
    body = json.loads((FIXTURES / "pywa-updates" / "message_status.json").read_text())["sent"]
    [event] = parse_payload(body)
    assert (event.recipient_id, event.recipient_user_id) == ("972987654321", BSUID)


# ---------------------------------------------------------------------------- payloads
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (BSUID, True),
        ("BR.1502576394655843", True),
        (" US.13491208655302741918 ", True),
        (PARENT, False),
        ("US.", False),
        ("us.13491208655302741918", False),
        ("USA.13491208655302741918", False),
        ("US.1349-1208", False),
        ("393331234567", False),
        ("+39 333 123 4567", False),
        ("", False),
        (None, False),
        (393331234567, False),
    ],
)
def test_is_user_id(value, expected):
    assert is_user_id(value) is expected
    assert payloads.is_user_id(value) is expected


def test_a_message_to_a_user_id_goes_as_recipient():
    payload = payloads.build_text(BSUID, "Buongiorno", reply_to="wamid.IN1")
    assert payload == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "recipient": BSUID,
        "type": "text",
        "text": {"body": "Buongiorno", "preview_url": False},
        "context": {"message_id": "wamid.IN1"},
    }
    template = payloads.build_template(BSUID, "reminder", "it")
    assert template["recipient"] == BSUID and "to" not in template
    media = payloads.build_media(BSUID, "document", media_id="7", filename="f.pdf")
    assert media["recipient"] == BSUID and "to" not in media


def test_a_phone_number_still_goes_as_to():
    payload = payloads.build_text("+39 333 123 4567", "Buongiorno")
    assert payload["to"] == "+393331234567" and "recipient" not in payload


@pytest.mark.parametrize(
    "build",
    [
        lambda to: payloads.build_text(to, "Buongiorno"),
        lambda to: payloads.build_template(to, "reminder", "it"),
        lambda to: payloads.build_reply_buttons(to, "Ok?", [("y", "Yes")]),
        lambda to: payloads.build_media(to, "image", link="https://example.com/a.jpg"),
    ],
    ids=["text", "template", "buttons", "media"],
)
def test_a_parent_user_id_is_refused(build):
    with pytest.raises(ValueError, match="parent"):
        build(PARENT)


# ---------------------------------------------------------------------------- simulator
@pytest.fixture
def sim(receiver):
    simulator = Simulator(
        port=0,
        access_token=TOKEN,
        app_secret=SECRET,
        webhook_url=receiver.url,
        delivery_delay=0.02,
    )
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def client(sim):
    return CloudApiClient(TOKEN, sim.phone_number_id, sim.waba_id, base_url=sim.url, timeout=5)


def control(sim, path, **body):
    response = HTTP.post(sim.url + path, json=body, timeout=10)
    assert response.ok, response.text
    return response.json()


def conversation(sim, key):
    found = HTTP.get(sim.url + "/_sim/conversations", timeout=5).json()
    return next(c for c in found if c["id"] == key)


def delivered(receiver, wamid):
    """The delivery whose message is ``wamid``: raw bytes, signature and the JSON."""
    return wait_for(
        lambda: next(
            (
                r
                for r in list(receiver.received)
                for c in r["json"]["entry"][0]["changes"]
                for m in c["value"].get("messages", [])
                if m["id"] == wamid
            ),
            None,
        )
    )


def test_a_username_only_patient_writes_and_the_signed_webhook_parses(sim, receiver):
    wamid = control(
        sim,
        "/_sim/inbound",
        from_user_id=BSUID,
        username="@maria.r",
        name="Maria",
        type="text",
        text="Posso spostare?",
    )["id"]
    delivery = delivered(receiver, wamid)
    value = delivery["json"]["entry"][0]["changes"][0]["value"]
    [message] = value["messages"]
    assert "from" not in message and message["from_user_id"] == BSUID
    assert value["contacts"] == [
        {"profile": {"name": "Maria", "username": "@maria.r"}, "user_id": BSUID}
    ]
    # What the webhook controller does with the body: check the signature, decode, parse.
    raw = delivery["raw"]
    assert verify_signature(SECRET, raw, delivery["headers"]["X-Hub-Signature-256"])
    [event] = parse_payload(decode_body(raw))
    assert (event.wa_id, event.user_id, event.username) == ("", BSUID, "@maria.r")
    assert event.text == "Posso spostare?"
    assert conversation(sim, BSUID)["wa_id"] == ""


def test_a_number_with_a_user_id_sends_both_unless_it_hides_the_number(sim, receiver):
    first = control(
        sim,
        "/_sim/inbound",
        **{"from": PATIENT, "from_user_id": BSUID, "username": "@maria"},
        type="text",
        text="Buongiorno",
    )["id"]
    value = delivered(receiver, first)["json"]["entry"][0]["changes"][0]["value"]
    assert value["messages"][0]["from"] == PATIENT
    assert value["messages"][0]["from_user_id"] == BSUID
    assert value["contacts"] == [
        {"profile": {"name": PATIENT, "username": "@maria"}, "wa_id": PATIENT, "user_id": BSUID}
    ]
    hidden = control(
        sim, "/_sim/inbound", **{"from": PATIENT}, hide_number=True, type="text", text="Ancora io"
    )["id"]
    value = delivered(receiver, hidden)["json"]["entry"][0]["changes"][0]["value"]
    assert "from" not in value["messages"][0]
    assert value["messages"][0]["from_user_id"] == BSUID
    assert "wa_id" not in value["contacts"][0] and value["contacts"][0]["user_id"] == BSUID
    # The simulator still knows the number: one patient, both messages.
    assert [m["id"] for m in conversation(sim, PATIENT)["messages"]] == [first, hidden]


def test_the_same_user_id_cannot_belong_to_two_numbers(sim):
    control(sim, "/_sim/inbound", **{"from": PATIENT, "from_user_id": BSUID}, text="Ciao")
    response = HTTP.post(
        sim.url + "/_sim/inbound",
        json={"from": "393339999999", "from_user_id": BSUID, "text": "Ciao"},
        timeout=5,
    )
    assert response.status_code == 409
    bad = HTTP.post(sim.url + "/_sim/inbound", json={"text": "Nobody"}, timeout=5)
    assert bad.status_code == 400 and "from_user_id" in bad.json()["error"]


def test_the_client_sends_to_a_user_id_and_statuses_carry_recipient_user_id(sim, receiver, client):
    control(sim, "/_sim/inbound", from_user_id=BSUID, name="Maria", text="Ciao")
    result = client.send_text(BSUID, "Buongiorno Maria")
    assert (result.wa_id, result.user_id, result.input) == (None, BSUID, BSUID)
    [sent] = HTTP.get(sim.url + "/_sim/messages", params={"to": BSUID}, timeout=5).json()
    assert sent["payload"]["recipient"] == BSUID and "to" not in sent["payload"]
    statuses = receiver.wait_statuses(result.message_id, 3)
    assert [s["status"] for s in statuses] == ["sent", "delivered", "read"]
    for status in statuses:
        assert status["recipient_user_id"] == BSUID and "recipient_id" not in status
    bodies = [b for b in receiver.bodies() if b["entry"][0]["changes"][0]["value"].get("statuses")]
    events = [e for b in bodies for e in parse_payload(b)]
    assert {(e.recipient_id, e.recipient_user_id) for e in events} == {("", BSUID)}
    # A template goes to the user id too.
    control(
        sim,
        "/_sim/templates",
        name="reminder",
        language="it",
        components=[{"type": "BODY", "text": "A domani."}],
    )
    assert client.send_template(BSUID, "reminder", "it").user_id == BSUID


def test_a_number_send_to_a_patient_with_a_user_id_reports_both(sim, receiver, client):
    control(sim, "/_sim/inbound", **{"from": PATIENT, "from_user_id": BSUID}, text="Ciao")
    result = client.send_text(PATIENT, "Buongiorno")
    assert (result.wa_id, result.user_id) == (PATIENT, None)
    [status, *_] = wait_for(lambda: receiver.statuses(result.message_id))
    assert (status["recipient_id"], status["recipient_user_id"]) == (PATIENT, BSUID)


@pytest.mark.parametrize("recipient", [OTHER_BSUID, PARENT, "not-an-id", 12])
def test_an_unknown_user_id_is_meta_s_invalid_parameter(sim, recipient):
    control(sim, "/_sim/inbound", from_user_id=BSUID, text="Ciao")
    response = HTTP.post(
        f"{sim.url}/v23.0/{sim.phone_number_id}/messages",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={
            "messaging_product": "whatsapp",
            "recipient": recipient,
            "type": "text",
            "text": {"body": "Buongiorno"},
        },
        timeout=5,
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == 100
    assert "recipient" in response.json()["error"]["error_data"]["details"]


def test_typing_indicator_marks_read_and_is_recorded(sim, receiver, client):
    wamid = control(sim, "/_sim/inbound", **{"from": PATIENT}, text="Avete posto domani?")["id"]
    delivered(receiver, wamid)
    time.sleep(0.1)  # nothing marks it read by itself
    [message] = conversation(sim, PATIENT)["messages"]
    assert (message["status"], message.get("typing")) == ("received", None)
    assert client.send_typing_indicator(wamid) is True
    [message] = conversation(sim, PATIENT)["messages"]
    assert (message["status"], message["typing"]) == ("read", True)
    request = HTTP.post(
        f"{sim.url}/v23.0/{sim.phone_number_id}/messages",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={**payloads.build_typing_indicator(wamid), "typing_indicator": {"type": "audio"}},
        timeout=5,
    )
    assert request.status_code == 400 and request.json()["error"]["code"] == 100


def test_a_plain_read_receipt_does_not_claim_typing(sim, receiver, client):
    wamid = control(sim, "/_sim/inbound", **{"from": PATIENT}, text="Grazie")["id"]
    assert client.mark_as_read(wamid) is True
    [message] = conversation(sim, PATIENT)["messages"]
    assert (message["status"], message.get("typing")) == ("read", None)


def test_numbers_can_be_set_up_with_a_user_id(sim, receiver):
    number = control(
        sim, "/_sim/numbers", wa_id=PATIENT, user_id=BSUID, username="@m", hide_number=True
    )
    assert (number["user_id"], number["username"], number["hide_number"]) == (BSUID, "@m", True)
    only = control(sim, "/_sim/numbers", user_id=OTHER_BSUID, name="Luca")
    assert (only["wa_id"], only["user_id"], only["name"]) == ("", OTHER_BSUID, "Luca")
    wamid = control(sim, "/_sim/inbound", **{"from": PATIENT}, text="Ciao")["id"]
    message = delivered(receiver, wamid)["json"]["entry"][0]["changes"][0]["value"]["messages"][0]
    assert "from" not in message and message["from_user_id"] == BSUID
