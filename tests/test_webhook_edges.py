"""Webhook bodies that are not Meta's never get past decoding as anything but
WebhookFormatError (the controller answers 400, never 500)."""

import json
import random

import pytest

from dental_whatsapp.tools.webhook import (
    MAX_BODY_BYTES,
    WebhookFormatError,
    decode_body,
    parse_payload,
    routing_key,
    verify_signature,
)


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 10000 + b"]" * 10000,
        json.dumps({"object": "whatsapp_business_account"}).encode("utf-16"),
        b'{"x": "\x00"}',
        b'{"x": "\\u0000"}',
        b"\xff\xfe",
        b"{not json",
        b"a" * (MAX_BODY_BYTES + 1),
    ],
)
def test_bodies_that_are_not_meta_s_are_a_format_error(raw):
    with pytest.raises(WebhookFormatError):
        decode_body(raw)


def test_a_real_body_decodes():
    assert decode_body('{"a": "è"}'.encode()) == {"a": "è"}


@pytest.mark.parametrize("header", ["sha256=é", "sha256=" + "zz" * 32, "sha256=\x00", "é"])
def test_odd_signature_headers_are_false_not_an_error(header):
    assert verify_signature("secret", b"{}", header) is False


def _random_value(rng, depth=0):
    kinds = ["str", "int", "none", "bool", "float"] + (["list", "dict"] * (depth < 4))
    kind = rng.choice(kinds)
    if kind == "list":
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if kind == "dict":
        keys = [
            "id",
            "changes",
            "value",
            "field",
            "messages",
            "statuses",
            "metadata",
            "from",
            "type",
            "text",
            "timestamp",
            "status",
            "errors",
            "contacts",
            "image",
            "x",
            # Meta's 2026 fields: senders by user id, edits, revokes, system changes.
            "from_user_id",
            "user_id",
            "recipient_user_id",
            "profile",
            "username",
            "edit",
            "revoke",
            "system",
            "message",
            "original_message_id",
        ]
        return {rng.choice(keys): _random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}
    return {"str": "é", "int": 7, "none": None, "bool": True, "float": 1e308}[kind]


def test_random_shapes_raise_only_format_errors():
    rng = random.Random(20261201)
    for _ in range(3000):
        payload = {"object": "whatsapp_business_account", "entry": [_random_value(rng)]}
        try:
            events = parse_payload(payload)
        except WebhookFormatError:
            continue
        for event in events:
            assert routing_key(event)[0] in ("phone", "waba")
