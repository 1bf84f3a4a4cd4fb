"""Every webhook Meta documents parses; signatures are checked in constant time."""

import hashlib
import hmac
import json
from datetime import datetime, timezone

import pytest
from conftest import FIXTURES

from dental_whatsapp.tools.webhook import (
    InboundMessage,
    OtherChange,
    StatusUpdate,
    TemplateUpdate,
    WebhookFormatError,
    compute_signature,
    parse_payload,
    verify_signature,
)

WEBHOOKS = FIXTURES / "meta-cloud-api" / "webhooks"
PYWA = FIXTURES / "pywa-updates"
SENDER = "16505551234"
BUSINESS = {"phone_number_id": "106540352242922", "display_phone_number": "15550783881"}


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


# What a user of each Meta example must see: the event class and the facts the
# inbox, the reminder replies and the media download rely on.
EXPECTED = {
    "button-message": {
        "type": "button",
        "text": "Unsubscribe",
        "payload": "Unsubscribe",
        "context_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJFNjk2OTMwNEZCQjhGMzUyQUYA",
    },
    "contact-sharing-message": {"type": "contacts", "text": "Lucía Gómez", "media": None},
    "group-create-message": {"other": "group_lifecycle_update"},
    "group-remove-participants": {"other": "group_participants_update"},
    "group-settings-update": {"other": "group_settings_update"},
    "image-message": {
        "type": "image",
        "text": "Taj Mahal",
        "media": {
            "id": "1003383421387256",
            "mime_type": "image/jpeg",
            "sha256": "SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=",
            "filename": None,
            "caption": "Taj Mahal",
            "kind": "image",
        },
    },
    "interactive-button-reply-message": {
        "type": "interactive",
        "text": "Cancel",
        "payload": "cancel-button",
        "context_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MEM2RUJFNkI0RENGQTVDRjUA",
    },
    "interactive-list-reply-message": {
        "type": "interactive",
        "text": "Priority Mail Express",
        "payload": "priority_express",
    },
    "location-message": {
        "type": "location",
        "text": "Philz Coffee, 101 Forest Ave, Palo Alto, CA 94301",
        "payload": None,
    },
    "order-message": {"type": "order", "text": "", "media": None},
    "reaction-message": {
        "type": "reaction",
        "text": "👍",
        "reaction_to": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0RTJEOTc2ODVERUY5RDlGNkYA",
        "context_id": None,
    },
    "system-message": {
        "type": "system",
        "profile_name": "",
        "text": "User Sheena Nelson changed from 16505551234 to 12195555358",
    },
    "text-message-from-click-to-whatsapp-ad": {
        "type": "text",
        "text": "Hello! Can I get more info on this?",
        "context_id": None,
    },
    "text-message-with-context-product-inquiry": {
        "type": "text",
        "text": "Is this still available?",
        "context_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGA9wcm9kdWN0X2lucXVpcnkA",
    },
    "text-message": {
        "type": "text",
        "text": "Does it come in another color?",
        "payload": None,
        "media": None,
        "errors": [],
        "timestamp": datetime(2025, 6, 8, 20, 59, 43, tzinfo=timezone.utc),
    },
    "unsupported-message": {
        "type": "unsupported",
        "text": "",
        "errors": [
            {
                "code": 131051,
                "title": "Message type unknown",
                "message": "Message type unknown",
                "details": "Message type is currently not supported.",
            }
        ],
    },
}


def test_every_fixture_is_described():
    """A new example in the fixtures folder must get its expectations here."""
    assert sorted(p.stem for p in WEBHOOKS.glob("*.json")) == sorted(EXPECTED)


@pytest.mark.parametrize("path", sorted(WEBHOOKS.glob("*.json")), ids=lambda p: p.stem)
def test_every_fixture_parses_to_the_expected_event(path):
    body = load(path)
    expected = dict(EXPECTED[path.stem])
    events = parse_payload(body)
    assert len(events) == 1
    event = events[0]
    if "other" in expected:
        assert isinstance(event, OtherChange)
        assert event.field == expected["other"]
        assert event.raw is body["entry"][0]["changes"][0]
        return
    assert isinstance(event, InboundMessage)
    raw = body["entry"][0]["changes"][0]["value"]["messages"][0]
    assert event.raw is raw
    assert event.message_id == raw["id"]
    assert event.wa_id == SENDER
    assert event.waba_id == body["entry"][0]["id"]
    assert event.phone_number_id == BUSINESS["phone_number_id"]
    assert event.display_phone_number == BUSINESS["display_phone_number"]
    assert event.timestamp == datetime.fromtimestamp(int(raw["timestamp"]), tz=timezone.utc)
    assert event.timestamp.utcoffset().total_seconds() == 0
    expected.setdefault("profile_name", "Sheena Nelson")
    for name, value in expected.items():
        assert getattr(event, name) == value, name


def test_location_keeps_coordinates():
    event = parse_payload(load(WEBHOOKS / "location-message.json"))[0]
    assert event.location["latitude"] == pytest.approx(37.44221496582)
    assert event.location["longitude"] == pytest.approx(-122.16165924072)
    assert event.location["url"] == "https://philzcoffee.com/"
    assert event.media is None


def test_profile_name_is_matched_by_wa_id_not_position():
    body = load(WEBHOOKS / "text-message.json")
    value = body["entry"][0]["changes"][0]["value"]
    value["contacts"].insert(0, {"profile": {"name": "Someone Else"}, "wa_id": "390000000"})
    assert parse_payload(body)[0].profile_name == "Sheena Nelson"


def test_document_media_keeps_filename_and_kind():
    body = load(WEBHOOKS / "image-message.json")
    msg = body["entry"][0]["changes"][0]["value"]["messages"][0]
    document = {"id": "42", "mime_type": "application/pdf", "sha256": "x", "filename": "r.pdf"}
    msg.update(type="document", document=document)
    del msg["image"]
    event = parse_payload(body)[0]
    assert event.media == {**document, "caption": None, "kind": "document"}
    assert event.text == ""


def test_one_body_with_several_messages_and_statuses_keeps_them_all_in_order():
    body = load(WEBHOOKS / "text-message.json")
    value = body["entry"][0]["changes"][0]["value"]
    value["messages"].append(dict(value["messages"][0], id="wamid.second"))
    status = {"id": "wamid.out", "status": "delivered", "timestamp": "1749416390"}
    value["statuses"] = [status]
    events = parse_payload(body)
    kinds = [type(e) for e in events]
    assert kinds == [InboundMessage, InboundMessage, StatusUpdate]
    ids = [e.message_id for e in events]
    assert ids == [value["messages"][0]["id"], "wamid.second", "wamid.out"]


# pywa's status examples by key: the status each carries ("with_tracker" and "group"
# are variants of sent and read).
PYWA_STATUSES = {
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "played": "played",
    "failed": "failed",
    "with_tracker": "sent",
    "group": "read",
}


def test_every_pywa_status_is_described():
    assert sorted(load(PYWA / "message_status.json")) == sorted(PYWA_STATUSES)


@pytest.mark.parametrize("key", sorted(PYWA_STATUSES))
def test_pywa_statuses(key):
    body = load(PYWA / "message_status.json")[key]
    events = parse_payload(body)
    assert len(events) == 1
    event = events[0]
    raw = body["entry"][0]["changes"][0]["value"]["statuses"][0]
    assert isinstance(event, StatusUpdate)
    assert event.raw is raw
    assert event.status == PYWA_STATUSES[key]
    assert event.message_id == raw["id"]
    assert event.recipient_id == raw["recipient_id"]
    assert event.timestamp == datetime.fromtimestamp(int(raw["timestamp"]), tz=timezone.utc)
    if key in ("sent", "delivered", "read", "played", "with_tracker"):
        assert event.conversation_id == "7270432eae37498234f4444b35ffc5"
        assert event.pricing_category == "service"
        assert event.phone_number_id == "1122334455667"
        assert (event.pricing_billable, event.pricing_model) == (True, "CBP")
    if key == "failed":
        assert event.errors == [
            {
                "code": 130472,
                "title": "User's number is part of an experiment",
                "message": "User's number is part of an experiment",
                "details": "Failed to send message because this user's phone number is part "
                "of an experiment",
            }
        ]
        assert event.conversation_id is None
    else:
        assert event.errors == []


def test_status_error_code_sent_as_text_becomes_an_int():
    body = load(PYWA / "message_status.json")["failed"]
    body["entry"][0]["changes"][0]["value"]["statuses"][0]["errors"][0]["code"] = "131047"
    assert parse_payload(body)[0].errors[0]["code"] == 131047


def test_template_status_updates():
    statuses = load(PYWA / "template_status_update.json")
    approved = parse_payload(statuses["approved"])[0]
    assert isinstance(approved, TemplateUpdate)
    assert (approved.field, approved.event, approved.template_id) == (
        "message_template_status_update",
        "APPROVED",
        "1689556908129832",
    )
    assert (approved.template_name, approved.language, approved.category) == (
        "order_confirmation",
        "en_US",
        "UTILITY",
    )
    assert approved.waba_id == "102290129340398"
    rejected = parse_payload(statuses["rejected"])[0]
    assert (rejected.event, rejected.reason, rejected.template_name) == (
        "REJECTED",
        "INVALID_FORMAT",
        "abandoned_cart",
    )


def test_template_quality_update():
    body = load(PYWA / "template_quality_update.json")["yellow"]
    update = parse_payload(body)[0]
    assert isinstance(update, TemplateUpdate)
    assert update.field == "message_template_quality_update"
    assert (update.quality_score, update.template_id, update.template_name) == (
        "YELLOW",
        "806312974732579",
        "welcome_template",
    )
    assert update.event is None


def test_template_category_update():
    body = load(PYWA / "template_category_update.json")["marketing"]
    update = parse_payload(body)[0]
    assert isinstance(update, TemplateUpdate)
    assert update.field == "template_category_update"
    assert (update.new_category, update.template_id, update.language) == (
        "MARKETING",
        "12345678",
        "he",
    )


def _text_body(**message):
    msg = {
        "from": "1",
        "id": "wamid.1",
        "timestamp": "1700000000",
        "type": "text",
        "text": {"body": "hi"},
    }
    msg.update(message)
    msg = {k: v for k, v in msg.items() if v is not None}
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": {"messages": [msg]}}]}],
    }


def test_the_minimal_text_body_parses():
    event = parse_payload(_text_body())[0]
    assert (event.text, event.profile_name, event.phone_number_id) == ("hi", "", "")


def _waba(entry):
    return {"object": "whatsapp_business_account", "entry": entry}


def _change(value):
    return _waba([{"changes": [{"field": "messages", "value": value}]}])


MALFORMED = {
    "list": [],
    "empty": {},
    "string": "whatsapp_business_account",
    "wrong-object": {"object": "page", "entry": []},
    "no-entry": {"object": "whatsapp_business_account"},
    "entry-dict": _waba({}),
    "entry-str": _waba(["x"]),
    "changes-dict": _waba([{"changes": {}}]),
    "change-without-value": _waba([{"changes": [{"field": "x"}]}]),
    "message-without-id": _text_body(id=None),
    "message-without-sender": _text_body(**{"from": None}),
    "bad-timestamp": _text_body(timestamp="yesterday"),
    "messages-dict": _change({"messages": {"id": "x"}}),
    "status-without-status": _change({"statuses": [{"id": "wamid.x"}]}),
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_bodies(body):
    with pytest.raises(WebhookFormatError):
        parse_payload(body)


def test_webhook_format_error_is_a_value_error():
    assert issubclass(WebhookFormatError, ValueError)


# ------------------------------------------------------------------------------ signature
SECRET = "s3cret-app-secret"


def test_signature_matches_an_independent_hmac():
    body = (WEBHOOKS / "text-message.json").read_bytes()
    independent = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert compute_signature(SECRET, body) == independent
    assert compute_signature(SECRET.encode(), body) == independent
    assert verify_signature(SECRET, body, independent)
    assert verify_signature(SECRET.encode(), body, independent)


def test_known_vector():
    # RFC 4231 test case 2 (HMAC-SHA-256 of "what do ya want for nothing?" with "Jefe")
    expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    assert compute_signature("Jefe", b"what do ya want for nothing?") == "sha256=" + expected


def test_signature_refusals():
    body = (WEBHOOKS / "text-message.json").read_bytes()
    good = compute_signature(SECRET, body)
    assert not verify_signature(SECRET, body.replace(b"color", b"colour"), good)
    assert not verify_signature(SECRET, body + b" ", good)
    assert not verify_signature("another-secret", body, good)
    assert not verify_signature(SECRET, body, None)
    assert not verify_signature(SECRET, body, "")
    assert not verify_signature(SECRET, body, good.replace("sha256=", "sha1="))
    assert not verify_signature(SECRET, body, good[len("sha256=") :])
    assert not verify_signature(SECRET, body, "sha256=" + "zz" * 32)
    assert not verify_signature(SECRET, body, "sha256=")
    assert not verify_signature(SECRET, body, good[:-2])
    assert not verify_signature("", body, compute_signature("", body))
    assert not verify_signature(None, body, good)


def test_uppercase_hex_is_the_same_signature():
    body = b'{"object":"whatsapp_business_account","entry":[]}'
    good = compute_signature(SECRET, body)
    assert verify_signature(SECRET, body, "sha256=" + good[len("sha256=") :].upper())


def test_per_message_pricing_and_our_reference_are_read_from_a_status():
    body = load(PYWA / "message_status.json")["sent"]
    status = body["entry"][0]["changes"][0]["value"]["statuses"][0]
    status["pricing"] = {
        "billable": False,
        "pricing_model": "PMP",
        "category": "utility",
        "type": "free_customer_service",
    }
    status["biz_opaque_callback_data"] = "dwa:message:42"
    [event] = parse_payload(body)
    assert (event.pricing_category, event.pricing_billable) == ("utility", False)
    assert (event.pricing_model, event.pricing_type) == ("PMP", "free_customer_service")
    assert event.biz_opaque_callback_data == "dwa:message:42"
    del status["pricing"], status["biz_opaque_callback_data"]
    [bare] = parse_payload(body)
    assert (bare.pricing_billable, bare.pricing_type, bare.biz_opaque_callback_data) == (
        None,
        None,
        None,
    )
