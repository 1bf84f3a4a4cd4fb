"""Every webhook Meta documents parses; signatures are checked in constant time."""

import hashlib
import hmac
import json

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


def load(path):
    return json.loads(path.read_text())


@pytest.mark.parametrize("path", sorted(WEBHOOKS.glob("*.json")), ids=lambda p: p.stem)
def test_every_fixture_parses(path):
    events = parse_payload(load(path))
    assert events
    for event in events:
        assert isinstance(event, InboundMessage | StatusUpdate | TemplateUpdate | OtherChange)


def first(name):
    return parse_payload(load(WEBHOOKS / f"{name}.json"))[0]


def test_text_message():
    event = first("text-message")
    assert (event.wa_id, event.profile_name, event.type) == ("16505551234", "Sheena Nelson", "text")
    assert event.text == "Does it come in another color?"
    assert event.timestamp.tzinfo is not None
    assert event.timestamp.year == 2025


def test_image_message_carries_the_media_to_download():
    event = first("image-message")
    assert event.type == "image"
    assert event.media["id"] and event.media["mime_type"].startswith("image/")


def test_button_and_interactive_replies_carry_their_payload_and_context():
    button = first("button-message")
    assert button.payload and button.context_id
    interactive = first("interactive-button-reply-message")
    assert interactive.payload and interactive.text and interactive.context_id
    listed = first("interactive-list-reply-message")
    assert listed.payload and listed.text


def test_reaction_location_unsupported_and_product_context():
    reaction = first("reaction-message")
    assert reaction.reaction_to and reaction.text
    location = first("location-message")
    assert location.location["latitude"]
    unsupported = first("unsupported-message")
    assert unsupported.errors and unsupported.errors[0]["code"]
    inquiry = first("text-message-with-context-product-inquiry")
    assert inquiry.context_id


@pytest.mark.parametrize("name", ["group-create-message", "group-settings-update"])
def test_unhandled_changes_do_not_raise(name):
    assert parse_payload(load(WEBHOOKS / f"{name}.json"))


# pywa's examples, by key: the status each carries ("with_tracker" and "group" are
# variants of sent and read).
PYWA_STATUSES = {"sent": "sent", "delivered": "delivered", "read": "read", "played": "played",
                 "failed": "failed", "with_tracker": "sent", "group": "read"}


@pytest.mark.parametrize("key", sorted(load(PYWA / "message_status.json")))
def test_pywa_statuses(key):
    events = parse_payload(load(PYWA / "message_status.json")[key])
    assert len(events) == 1
    event = events[0]
    status = PYWA_STATUSES[key]
    assert isinstance(event, StatusUpdate)
    assert event.status == status
    assert event.message_id
    if status == "failed":
        assert isinstance(event.errors[0]["code"], int)


def test_template_updates():
    statuses = load(PYWA / "template_status_update.json")
    approved = parse_payload(statuses["approved"])[0]
    assert (approved.event, approved.template_name, approved.language) == (
        "APPROVED", "order_confirmation", "en_US")
    rejected = parse_payload(statuses["rejected"])[0]
    assert rejected.event == "REJECTED" and rejected.reason == "INVALID_FORMAT"
    for name in ("template_quality_update.json", "template_category_update.json"):
        data = load(PYWA / name)
        for body in data.values() if "object" not in data else [data]:
            assert all(isinstance(e, TemplateUpdate) for e in parse_payload(body))


@pytest.mark.parametrize("body", [[], {}, {"object": "page", "entry": []},
                                  {"object": "whatsapp_business_account", "entry": {}},
                                  {"object": "whatsapp_business_account", "entry": [
                                      {"changes": [{"field": "messages", "value": {
                                          "messages": [{"from": "1", "type": "text"}]}}]}]}])
def test_malformed_bodies(body):
    with pytest.raises(WebhookFormatError):
        parse_payload(body)


def test_signature_matches_an_independent_hmac():
    body = (WEBHOOKS / "text-message.json").read_bytes()
    independent = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert compute_signature("s3cret", body) == independent
    assert verify_signature("s3cret", body, independent)
    assert not verify_signature("s3cret", body + b" ", independent)
    assert not verify_signature("other", body, independent)
    assert not verify_signature("s3cret", body, None)
    assert not verify_signature("s3cret", body, independent.replace("sha256=", "sha1="))
    assert not verify_signature("", body, independent)
