"""The client's request bodies equal Meta's own examples (../shared/fixtures)."""

import json

import pytest
from conftest import FIXTURES

from dental_whatsapp.tools import payloads

SEND = FIXTURES / "meta-cloud-api" / "send-requests"
TO = "{{Recipient-Phone-Number}}"


def fixture(name):
    body = json.loads((SEND / name).read_text())
    # Meta's spec marks language.policy as required; the live API does not (README quirk).
    body.get("template", {}).get("language", {}).pop("policy", None)
    return body


def _template_case(name):
    body = fixture(name)
    template = body["template"]
    built = payloads.build_template(TO, template["name"], template["language"]["code"],
                                    template.get("components"))
    return built, body


CASES = {
    "send-text-message.json": lambda: payloads.build_text(TO, "text-message-content"),
    "send-text-message-with-preview-url.json": lambda: payloads.build_text(
        TO, fixture("send-text-message-with-preview-url.json")["text"]["body"], preview_url=True),
    "send-reply-button.json": lambda: payloads.build_reply_buttons(
        TO, "<BUTTON_TEXT>",
        [("<UNIQUE_BUTTON_ID_1>", "<BUTTON_TITLE_1>"), ("<UNIQUE_BUTTON_ID_2>", "<BUTTON_TITLE_2>")]),
    "send-image-message-by-id.json": lambda: payloads.build_media(
        TO, "image", media_id=fixture("send-image-message-by-id.json")["image"]["id"]),
    "send-image-message-by-url.json": lambda: payloads.build_media(
        TO, "image", link=fixture("send-image-message-by-url.json")["image"]["link"]),
    "send-document-message-by-id.json": lambda: payloads.build_media(
        TO, "document", **_doc_args("send-document-message-by-id.json")),
    "send-document-message-by-url.json": lambda: payloads.build_media(
        TO, "document", **_doc_args("send-document-message-by-url.json")),
    "send-reply-to-text-message.json": lambda: payloads.build_text(
        TO, fixture("send-reply-to-text-message.json")["text"]["body"],
        preview_url=fixture("send-reply-to-text-message.json")["text"].get("preview_url", False),
        reply_to=fixture("send-reply-to-text-message.json")["context"]["message_id"]),
}


def _doc_args(name):
    doc = fixture(name)["document"]
    return {"media_id": doc.get("id"), "link": doc.get("link"), "caption": doc.get("caption"),
            "filename": doc.get("filename")}


# Fields the live API defaults when left out: some of Meta's examples omit them, the
# client always sends them. Only these are tolerated, and only when the example omits them.
DEFAULTED = {"recipient_type": "individual", "type": "text"}


def without_defaulted(built, expected):
    return {k: v for k, v in built.items()
            if not (k in DEFAULTED and k not in expected and v == DEFAULTED[k])}


@pytest.mark.parametrize("name", sorted(CASES))
def test_builder_equals_meta_example(name):
    expected = fixture(name)
    assert without_defaulted(CASES[name](), expected) == expected


def test_template_with_text_currency_and_date_time_parameters():
    body = fixture("send-message-template-text.json")
    params = body["template"]["components"][0]["parameters"]
    components = payloads.template_components(body=["text-string", params[1], params[2]])
    built = payloads.build_template(TO, "template-name", "language-and-locale-code", components)
    assert built == body


@pytest.mark.parametrize("name", ["send-message-template-media.json",
                                  "send-message-template-interactive.json"])
def test_template_with_header_and_buttons(name):
    built, body = _template_case(name)
    assert built == body


def test_document_header_and_quick_reply_payloads():
    components = payloads.template_components(
        header={"type": "document", "id": "123", "filename": "fattura.pdf"},
        body=["Maria"], buttons=["CONFIRM", "CANCEL"])
    assert components == [
        {"type": "header", "parameters": [
            {"type": "document", "document": {"id": "123", "filename": "fattura.pdf"}}]},
        {"type": "body", "parameters": [{"type": "text", "text": "Maria"}]},
        {"type": "button", "sub_type": "quick_reply", "index": "0",
         "parameters": [{"type": "payload", "payload": "CONFIRM"}]},
        {"type": "button", "sub_type": "quick_reply", "index": "1",
         "parameters": [{"type": "payload", "payload": "CANCEL"}]},
    ]


def test_read_receipt_is_the_example_without_typing_indicator():
    body = fixture("send-typing-indicator-and-read-receipt.json")
    body.pop("typing_indicator", None)
    assert payloads.build_read_receipt(body["message_id"]) == body


@pytest.mark.parametrize("buttons", [[], [("a", "A")] * 4, [("a", "A title longer than twenty")]])
def test_reply_buttons_limits(buttons):
    with pytest.raises(ValueError):
        payloads.build_reply_buttons(TO, "body", buttons)


def test_media_needs_exactly_one_source():
    with pytest.raises(ValueError):
        payloads.build_media(TO, "image")
    with pytest.raises(ValueError):
        payloads.build_media(TO, "image", media_id="1", link="https://x")
