"""A patient edits or deletes a message, or changes number or user id: the parser reads
Meta's ``edit``, ``revoke`` and ``system`` messages, and the simulator sends them (over
real HTTP) when told to through its control API."""

import json
import random

import pytest
import requests
from conftest import FIXTURES
from test_simulator import wait_for

from dental_whatsapp.tools.cloud_api import CloudApiClient
from dental_whatsapp.tools.errors import WhatsAppApiError
from dental_whatsapp.tools.webhook import InboundMessage, WebhookFormatError, parse_payload
from wa_simulator import Simulator

TOKEN = "edit-token"
PATIENT = "393331234567"
BSUID = "US.13491208655302741918"
ORIGINAL = "wamid.ORIGINAL"
HTTP = requests.Session()
HTTP.trust_env = False


def parse_message(message, contacts=None):
    value = {"metadata": {"phone_number_id": "1001", "display_phone_number": "390612345678"}}
    value["messages"] = [{"id": "wamid.EVENT", "timestamp": "1780000000", **message}]
    if contacts is not None:
        value["contacts"] = contacts
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "2002", "changes": [{"field": "messages", "value": value}]}],
    }
    [event] = parse_payload(body)
    assert isinstance(event, InboundMessage)
    return event


# ---------------------------------------------------------------------------- parser: edit
def test_an_edited_text_has_the_original_id_and_the_new_text():
    event = parse_message(
        {
            "from": PATIENT,
            "type": "edit",
            "edit": {
                "original_message_id": ORIGINAL,
                "message": {
                    "context": {"id": "wamid.REMINDER"},
                    "type": "text",
                    "text": {"body": "Vengo alle 11, non alle 10"},
                },
            },
        },
        contacts=[{"profile": {"name": "Maria"}, "wa_id": PATIENT}],
    )
    assert (event.type, event.edit_of, event.text) == (
        "edit",
        ORIGINAL,
        "Vengo alle 11, non alle 10",
    )
    assert (event.revoke_of, event.system_type, event.profile_name) == (None, None, "Maria")
    assert event.context_id == "wamid.REMINDER"  # what the edited message replied to


def test_an_edited_caption_is_the_new_text():
    # Meta's own example of the edit webhook is an image whose caption changed.
    image = {"caption": "La protesi, lato destro", "mime_type": "image/jpeg", "id": "77"}
    event = parse_message(
        {
            "from": PATIENT,
            "type": "edit",
            "edit": {"original_message_id": ORIGINAL, "message": {"type": "image", "image": image}},
        }
    )
    assert (event.edit_of, event.text, event.media) == (ORIGINAL, "La protesi, lato destro", None)


@pytest.mark.parametrize(
    "message",
    [
        {
            "type": "edit",
            "edit": {"id": ORIGINAL, "message": {"type": "text", "text": {"body": "x"}}},
        },
        {"type": "edit", "context": {"id": ORIGINAL}, "edit": {"text": {"body": "x"}}},
        {"type": "edit", "edit": {"original_message_id": ORIGINAL, "text": {"body": "x"}}},
    ],
    ids=["edit-id", "context-id", "bare-text"],
)
def test_edits_are_read_leniently(message):
    event = parse_message({"from": PATIENT, **message})
    assert (event.edit_of, event.text) == (ORIGINAL, "x")


def test_an_edit_of_nothing_readable_still_parses():
    event = parse_message({"from": PATIENT, "type": "edit", "edit": "garbage"})
    assert (event.type, event.edit_of, event.text) == ("edit", None, "")


# ---------------------------------------------------------------------------- parser: revoke
@pytest.mark.parametrize(
    "message",
    [
        {"revoke": {"original_message_id": ORIGINAL}},
        {"revoke": {"id": ORIGINAL}},
        {"revoke": {}, "context": {"id": ORIGINAL}},
    ],
    ids=["meta", "revoke-id", "context-id"],
)
def test_a_revoke_names_the_deleted_message(message):
    event = parse_message({"from_user_id": BSUID, "type": "revoke", **message})
    assert (event.type, event.revoke_of, event.edit_of, event.text) == (
        "revoke",
        ORIGINAL,
        None,
        "",
    )
    assert (event.wa_id, event.user_id) == ("", BSUID)


# ---------------------------------------------------------------------------- parser: system
def test_meta_s_system_message_example():
    body = json.loads((FIXTURES / "meta-cloud-api/webhooks/system-message.json").read_text())
    [event] = parse_payload(body)
    assert (event.type, event.system_type) == ("system", "user_changed_number")
    assert (event.wa_id, event.new_wa_id, event.new_user_id) == (
        "16505551234",
        "12195555358",
        None,
    )
    assert event.text == "User Sheena Nelson changed from 16505551234 to 12195555358"


def test_a_user_id_change_without_a_number():
    event = parse_message(
        {
            "from_user_id": BSUID,
            "type": "system",
            "system": {
                "body": "User Maria changed their user ID",
                "type": "user_changed_user_id",
                "user_id": "US.55555555555555555555",
                "previous_user_id": BSUID,
            },
        }
    )
    assert (event.wa_id, event.user_id) == ("", BSUID)
    assert (event.system_type, event.new_user_id, event.new_wa_id) == (
        "user_changed_user_id",
        "US.55555555555555555555",
        None,
    )
    assert event.text == "User Maria changed their user ID"


def test_system_new_ids_under_their_other_names():
    event = parse_message(
        {
            "from": PATIENT,
            "type": "system",
            "system": {
                "type": "user_changed_number",
                "new_wa_id": 393339999999,
                "new_user_id": "IT.1",
            },
        }
    )
    assert (event.new_wa_id, event.new_user_id) == ("393339999999", "IT.1")


def test_other_types_leave_the_new_fields_empty():
    event = parse_message({"from": PATIENT, "type": "text", "text": {"body": "ciao"}})
    assert (event.edit_of, event.revoke_of, event.system_type) == (None, None, None)
    assert (event.new_wa_id, event.new_user_id, event.user_id, event.username) == (
        None,
        None,
        None,
        None,
    )


# ---------------------------------------------------------------------------- simulator
@pytest.fixture
def sim(receiver):
    simulator = Simulator(port=0, access_token=TOKEN, webhook_url=receiver.url, delivery_delay=0.02)
    simulator.start()
    yield simulator
    simulator.stop()


def control(sim, path, status=200, **body):
    response = HTTP.post(sim.url + path, json=body, timeout=10)
    assert response.status_code == status, response.text
    return response.json()


def webhook_of(receiver, wamid):
    """The ``value`` and the parsed event of the delivered message ``wamid``."""
    body = wait_for(
        lambda: next(
            (
                b
                for b in receiver.bodies()
                if any(
                    m["id"] == wamid
                    for m in b["entry"][0]["changes"][0]["value"].get("messages", [])
                )
            ),
            None,
        )
    )
    [event] = parse_payload(body)
    return body["entry"][0]["changes"][0]["value"], event


def thread(sim, key):
    return next(
        c for c in HTTP.get(sim.url + "/_sim/conversations", timeout=5).json() if c["id"] == key
    )


def test_the_patient_edits_a_message(sim, receiver):
    original = control(sim, "/_sim/inbound", **{"from": PATIENT}, name="Maria", text="Alle 10")[
        "id"
    ]
    edit = control(sim, "/_sim/edit", message_id=original, text="Alle 11")
    assert edit["original_message_id"] == original and edit["id"] != original
    value, event = webhook_of(receiver, edit["id"])
    [message] = value["messages"]
    assert message["type"] == "edit" and message["from"] == PATIENT
    assert message["edit"] == {
        "original_message_id": original,
        "message": {"type": "text", "text": {"body": "Alle 11"}},
    }
    assert value["contacts"] == [{"profile": {"name": "Maria"}, "wa_id": PATIENT}]
    assert (event.type, event.edit_of, event.text, event.wa_id) == (
        "edit",
        original,
        "Alle 11",
        PATIENT,
    )
    shown = thread(sim, PATIENT)["messages"][0]
    assert (shown["id"], shown["view"]["text"], shown["edited"]) == (original, "Alle 11", True)


def test_an_edited_caption_keeps_the_media(sim, receiver):
    original = control(sim, "/_sim/inbound", **{"from": PATIENT}, type="image", caption="Dente")[
        "id"
    ]
    edit = control(sim, "/_sim/edit", message_id=original, text="Dente rotto")
    value, event = webhook_of(receiver, edit["id"])
    content = value["messages"][0]["edit"]["message"]
    assert content["type"] == "image" and content["image"]["caption"] == "Dente rotto"
    assert content["image"]["id"] == sim.state.by_id[original]["payload"]["image"]["id"]
    assert (event.edit_of, event.text) == (original, "Dente rotto")


def test_a_username_only_patient_deletes_a_message(sim, receiver):
    original = control(sim, "/_sim/inbound", from_user_id=BSUID, username="@maria", text="Oops")[
        "id"
    ]
    revoke = control(sim, "/_sim/revoke", message_id=original)
    value, event = webhook_of(receiver, revoke["id"])
    [message] = value["messages"]
    assert "from" not in message and message["from_user_id"] == BSUID
    assert message["revoke"] == {"original_message_id": original}
    assert (event.type, event.revoke_of, event.user_id, event.wa_id) == (
        "revoke",
        original,
        BSUID,
        "",
    )
    assert thread(sim, BSUID)["messages"][0]["revoked"] is True
    # Deleted: it can no longer be edited, nor deleted again.
    control(sim, "/_sim/edit", status=409, message_id=original, text="x")
    control(sim, "/_sim/revoke", status=409, message_id=original)


def test_only_the_patient_s_own_recent_messages_can_change(sim, receiver):
    client = CloudApiClient(TOKEN, sim.phone_number_id, base_url=sim.url, timeout=5)
    original = control(sim, "/_sim/inbound", **{"from": PATIENT}, text="Ciao")["id"]
    ours = client.send_text(PATIENT, "Buongiorno").message_id
    control(sim, "/_sim/edit", status=404, message_id=ours, text="x")  # the studio's
    control(sim, "/_sim/revoke", status=404, message_id="wamid.nothing")
    control(sim, "/_sim/edit", status=400, message_id=original)  # no text
    location = control(
        sim, "/_sim/inbound", **{"from": PATIENT}, type="location", latitude=1, longitude=2
    )
    control(sim, "/_sim/edit", status=400, message_id=location["id"], text="x")
    sim.state.by_id[original]["time"] -= 16 * 60  # WhatsApp allows edits for 15 minutes
    control(sim, "/_sim/edit", status=409, message_id=original, text="x")
    control(sim, "/_sim/revoke", message_id=original)  # deleting is allowed for two days


def test_the_patient_changes_number(sim, receiver):
    client = CloudApiClient(TOKEN, sim.phone_number_id, base_url=sim.url, timeout=5)
    first = control(sim, "/_sim/inbound", **{"from": PATIENT}, name="Maria", text="Ciao")["id"]
    changed = control(
        sim,
        "/_sim/system",
        **{"from": PATIENT},
        type="user_changed_number",
        new_number="393339999999",
    )
    assert (changed["wa_id"], changed["user_id"]) == ("393339999999", None)
    value, event = webhook_of(receiver, changed["id"])
    assert "contacts" not in value  # Meta's system messages have none
    assert value["messages"][0]["system"] == {
        "body": "User Maria changed from 393331234567 to 393339999999",
        "wa_id": "393339999999",
        "type": "user_changed_number",
    }
    assert (event.wa_id, event.system_type, event.new_wa_id) == (
        PATIENT,
        "user_changed_number",
        "393339999999",
    )
    # The world moved: one patient under the new number, with the old history.
    keys = [c["id"] for c in HTTP.get(sim.url + "/_sim/conversations", timeout=5).json()]
    assert keys == ["393339999999"]
    assert thread(sim, "393339999999")["messages"][0]["id"] == first
    later = control(sim, "/_sim/inbound", **{"from": "393339999999"}, text="Sono io")["id"]
    assert [m["id"] for m in thread(sim, "393339999999")["messages"]] == [
        first,
        changed["id"],
        later,
    ]
    assert client.send_text("393339999999", "Ricevuto").wa_id == "393339999999"
    control(
        sim,
        "/_sim/system",
        status=404,
        **{"from": PATIENT},
        type="user_changed_number",
        new_number="1",
    )


def test_the_patient_s_user_id_changes(sim, receiver):
    client = CloudApiClient(TOKEN, sim.phone_number_id, base_url=sim.url, timeout=5)
    control(sim, "/_sim/inbound", from_user_id=BSUID, name="Maria", text="Ciao")
    fresh = "US.22222222222222222222"
    changed = control(
        sim, "/_sim/system", from_user_id=BSUID, type="user_changed_user_id", new_user_id=fresh
    )
    assert (changed["wa_id"], changed["user_id"]) == ("", fresh)
    value, event = webhook_of(receiver, changed["id"])
    system = value["messages"][0]["system"]
    assert (system["type"], system["user_id"], system["previous_user_id"]) == (
        "user_changed_user_id",
        fresh,
        BSUID,
    )
    assert "wa_id" not in system and "from" not in value["messages"][0]
    assert (event.user_id, event.new_user_id, event.new_wa_id) == (BSUID, fresh, None)
    assert client.send_text(fresh, "Buongiorno").user_id == fresh
    with pytest.raises(WhatsAppApiError) as caught:
        client.send_text(BSUID, "Buongiorno")  # the old id is gone
    assert (caught.value.code, caught.value.http_status) == (100, 400)
    control(sim, "/_sim/system", status=400, from_user_id=fresh, type="user_changed_name")


def test_a_number_change_renews_the_user_id(sim, receiver):
    control(sim, "/_sim/inbound", **{"from": PATIENT, "from_user_id": BSUID}, text="Ciao")
    changed = control(
        sim,
        "/_sim/system",
        from_user_id=BSUID,
        type="user_changed_number",
        new_number="393339999999",
    )
    assert changed["wa_id"] == "393339999999"
    assert changed["user_id"].startswith("US.") and changed["user_id"] != BSUID
    _value, event = webhook_of(receiver, changed["id"])
    assert (event.user_id, event.new_wa_id, event.new_user_id) == (
        BSUID,
        "393339999999",
        changed["user_id"],
    )
    assert "from" not in event.raw  # named by its user id only: the number is not shown


# ---------------------------------------------------------------------------- odd shapes
ODD = [
    None,
    "",
    "x",
    7,
    True,
    [],
    {},
    {"original_message_id": ["x"]},
    {"id": 3, "message": "x"},
    {"message": {"type": "edit", "edit": {"message": {}}}},
    {"message": {"type": 5}, "text": "plain"},
    {"message": {"type": ["text"], "text": {"body": "x"}}},
    {"type": "user_changed_number", "wa_id": {}, "user_id": 12},
]


def test_odd_new_fields_parse_or_are_a_format_error():
    rng = random.Random(20260601)
    keys = ["from", "from_user_id", "edit", "revoke", "system", "context", "text"]
    for _ in range(2000):
        message = {"id": "wamid.X", "timestamp": "1780000000"}
        message["type"] = rng.choice(["edit", "revoke", "system", "text", None, 3, ["x"], {}])
        message.update({key: rng.choice(ODD) for key in rng.sample(keys, rng.randint(0, 7))})
        contacts = rng.choice([None, [], [rng.choice(ODD)], [{"user_id": rng.choice(ODD)}]])
        value = {"messages": [message]}
        if contacts is not None:
            value["contacts"] = contacts
        body = {
            "object": "whatsapp_business_account",
            "entry": [{"changes": [{"field": "messages", "value": value}]}],
        }
        try:
            [event] = parse_payload(body)
        except WebhookFormatError:
            continue
        assert event.wa_id or event.user_id  # someone sent it
        for name in ("user_id", "username", "edit_of", "revoke_of", "new_wa_id", "new_user_id"):
            assert getattr(event, name) is None or isinstance(getattr(event, name), str)
