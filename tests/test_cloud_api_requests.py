"""The Cloud API client: its request bodies equal Meta's own examples, and its HTTP layer
is checked against a tiny local server (real sockets, real ``requests`` transport)."""

import contextlib
import email.parser
import email.policy
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from conftest import FIXTURES

from dental_whatsapp.tools import cloud_api, payloads
from dental_whatsapp.tools.cloud_api import CloudApiClient, SendResult
from dental_whatsapp.tools.errors import AUTH, PERMANENT, RETRYABLE, WhatsAppApiError

META = FIXTURES / "meta-cloud-api"
TOKEN = "TEST-TOKEN-123"  # a made-up token for the local server


def load(folder, name):
    return json.loads((META / folder / name).read_text())


def meta_example(name):
    """A request example of Meta's spec, minus its one documented over-requirement:
    ``language.policy``, which the live API does not need (fixtures README)."""
    body = load("send-requests", name)
    body.get("template", {}).get("language", {}).pop("policy", None)
    return body


# ---------------------------------------------------------------- builders vs Meta's examples
def _text(ex):
    text, reply_to = ex["text"], ex.get("context", {}).get("message_id")
    return CloudApiClient.build_text(ex["to"], text["body"], text["preview_url"], reply_to)


def _template(ex):
    template = ex["template"]
    components = {"header": None, "body": None, "buttons": []}
    for component in template["components"]:
        parameters = component["parameters"]
        if component["type"] == "header":
            kind = parameters[0]["type"]
            components["header"] = {"type": kind, **parameters[0][kind]}
        elif component["type"] == "body":
            components["body"] = [p["text"] if p["type"] == "text" else p for p in parameters]
        else:
            assert component["index"] == str(len(components["buttons"]))
            components["buttons"].append(parameters[0]["payload"])
    built = CloudApiClient.template_components(**components)
    name, language = template["name"], template["language"]["code"]
    return CloudApiClient.build_template(ex["to"], name, language, built)


def _reply_buttons(ex):
    buttons = [
        (b["reply"]["id"], b["reply"]["title"]) for b in ex["interactive"]["action"]["buttons"]
    ]
    return CloudApiClient.build_reply_buttons(ex["to"], ex["interactive"]["body"]["text"], buttons)


def _list(ex):
    interactive = ex["interactive"]
    sections = [
        (
            section.get("title"),
            [(row["id"], row["title"], row.get("description")) for row in section["rows"]],
        )
        for section in interactive["action"]["sections"]
    ]
    return CloudApiClient.build_list(
        ex["to"],
        interactive["body"]["text"],
        interactive["action"]["button"],
        sections,
        header=interactive["header"]["text"],
        footer=interactive["footer"]["text"],
    )


def _media(ex):
    media = ex[ex["type"]]
    source = {"media_id": media.get("id"), "link": media.get("link")}
    extra = {"caption": media.get("caption"), "filename": media.get("filename")}
    return CloudApiClient.build_media(ex["to"], ex["type"], **source, **extra)


EXAMPLES = {
    "send-text-message.json": _text,
    "send-text-message-with-preview-url.json": _text,
    "send-reply-to-text-message.json": _text,
    "send-message-template-text.json": _template,
    "send-message-template-media.json": _template,
    # Fits the builder: image header by link, text/currency/date_time body parameters and
    # two quick-reply buttons whose index is their position as a string ("0", "1").
    "send-message-template-interactive.json": _template,
    "send-reply-button.json": _reply_buttons,
    "send-list-message.json": _list,
    "send-image-message-by-id.json": _media,
    "send-image-message-by-url.json": _media,
    "send-document-message-by-id.json": _media,
    "send-document-message-by-url.json": _media,
}
# This one example leaves out two fields; the client always sends them, with the values
# Meta documents as their defaults (recipient_type "individual", type "text"). The
# comparison adds exactly these two to the example, nothing else.
OMITTED_BY_EXAMPLE = {
    "send-text-message-with-preview-url.json": {"recipient_type": "individual", "type": "text"}
}


@pytest.mark.parametrize("name", sorted(EXAMPLES), ids=lambda n: n.removesuffix(".json"))
def test_builder_equals_meta_example(name):
    expected = meta_example(name)
    for key in OMITTED_BY_EXAMPLE.get(name, {}):
        assert key not in expected
    assert EXAMPLES[name](expected) == {**expected, **OMITTED_BY_EXAMPLE.get(name, {})}


def test_read_receipt_is_the_example_without_typing_indicator():
    expected = meta_example("send-typing-indicator-and-read-receipt.json")
    del expected["typing_indicator"]
    assert CloudApiClient.build_read_receipt(expected["message_id"]) == expected


def test_typing_indicator_is_the_example():
    expected = meta_example("send-typing-indicator-and-read-receipt.json")
    assert CloudApiClient.build_typing_indicator(expected["message_id"]) == expected
    with pytest.raises(ValueError):
        CloudApiClient.build_typing_indicator("")


def test_template_document_header_and_recipient_spelling():
    header = {"type": "document", "id": "77", "filename": "fattura.pdf"}
    components = cloud_api.template_components(header=header, body=["Maria", 3])
    payload = cloud_api.build_template("+39 333 123 4567", "reminder", "it", components, "wamid.X")
    assert (payload["to"], payload["context"]) == ("+393331234567", {"message_id": "wamid.X"})
    document = {"type": "document", "document": {"id": "77", "filename": "fattura.pdf"}}
    maria, three = {"type": "text", "text": "Maria"}, {"type": "text", "text": "3"}
    assert payload["template"]["components"] == [
        {"type": "header", "parameters": [document]},
        {"type": "body", "parameters": [maria, three]},
    ]
    assert cloud_api.template_components() == []
    assert "components" not in cloud_api.build_template("39333", "hello_world", "en_US")["template"]
    text_header = {"type": "header", "parameters": [{"type": "text", "text": "Dr Rossi"}]}
    assert cloud_api.template_components(header="Dr Rossi") == [text_header]


REFUSED = {
    "no-button": (cloud_api.build_reply_buttons, ("1", "b", []), {}),
    "four-buttons": (cloud_api.build_reply_buttons, ("1", "b", [("a", "A")] * 4), {}),
    "title-21-chars": (cloud_api.build_reply_buttons, ("1", "b", [("a", "x" * 21)]), {}),
    "same-button-id": (cloud_api.build_reply_buttons, ("1", "b", [("a", "A"), ("a", "B")]), {}),
    "no-list-row": (cloud_api.build_list, ("1", "b", "Times", [(None, [])]), {}),
    "eleven-rows": (
        cloud_api.build_list,
        ("1", "b", "Times", [(None, [(str(i), "x") for i in range(11)])]),
        {},
    ),
    "row-title-25": (cloud_api.build_list, ("1", "b", "Times", [(None, [("a", "x" * 25)])]), {}),
    "list-button-21": (cloud_api.build_list, ("1", "b", "x" * 21, [(None, [("a", "A")])]), {}),
    "same-row-id": (
        cloud_api.build_list,
        ("1", "b", "Times", [(None, [("a", "A"), ("a", "B")])]),
        {},
    ),
    "untitled-sections": (
        cloud_api.build_list,
        ("1", "b", "Times", [(None, [("a", "A")]), ("S", [("b", "B")])]),
        {},
    ),
    "callback-data-513": (payloads.with_callback_data, ({"to": "1"}, "x" * 513), {}),
    "no-callback-data": (payloads.with_callback_data, ({"to": "1"}, ""), {}),
    "no-media-source": (cloud_api.build_media, ("1", "image"), {}),
    "two-media-sources": (cloud_api.build_media, ("1", "image"), {"media_id": "1", "link": "x"}),
    "bad-media-type": (cloud_api.build_media, ("1", "gif"), {"media_id": "1"}),
    "image-filename": (cloud_api.build_media, ("1", "image"), {"link": "x", "filename": "a.jpg"}),
    "audio-caption": (cloud_api.build_media, ("1", "audio"), {"media_id": "1", "caption": "c"}),
    "header-no-source": (cloud_api.template_components, (), {"header": {"type": "image"}}),
    "no-recipient": (cloud_api.build_text, (" ", "hi"), {}),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_builders_refuse_what_meta_refuses(case):
    build, args, kwargs = REFUSED[case]
    with pytest.raises(ValueError):
        build(*args, **kwargs)


def test_twenty_character_titles_and_three_buttons_are_fine():
    buttons = [("a", "x" * 20), ("b", "B"), ("c", "C")]
    payload = cloud_api.build_reply_buttons("1", "Confirm?", buttons, header="Dr Rossi", footer="f")
    assert len(payload["interactive"]["action"]["buttons"]) == 3
    assert payload["interactive"]["header"] == {"type": "text", "text": "Dr Rossi"}
    assert payload["interactive"]["footer"] == {"text": "f"}


def test_send_result_from_meta_example():
    body = load("send-responses", "200-example-response.json")
    result = SendResult.from_response(body)
    assert result == SendResult(
        "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJCOTY3NDc0NDFDRUI3NTA0Q0UA", "16505551234", "+16505551234"
    )
    assert result.raw is body
    with pytest.raises(AttributeError):
        result.message_id = "other"  # frozen


@pytest.mark.parametrize(
    "body", [{"messaging_product": "whatsapp"}, {"messages": []}, {"messages": [{}]}]
)
def test_accepted_without_message_id_is_permanent(body):
    with pytest.raises(WhatsAppApiError) as caught:
        SendResult.from_response(body)
    assert caught.value.kind == PERMANENT


# ---------------------------------------------------------------- the local stub server
MESSAGES, MEDIA, NUMBER = "/v23.0/1234/messages", "/v23.0/1234/media", "/v23.0/1234"
TEMPLATES, MEDIA_ID = "/v23.0/5678/message_templates", "2621233374848975"
BLOCK = "/v23.0/1234/block_users"
SENT = load("send-responses", "200-example-response.json")


def messages_route(request):
    """A read receipt is answered ``{"success": true}``, a message with Meta's example."""
    return 200, {"success": True} if b'"read"' in request.body else SENT


class Seen(NamedTuple):
    method: str
    path: str
    query: dict
    headers: object
    body: bytes


class Stub:
    """Records every request; answers from ``routes[(method, path)]``: (status, body[,
    headers]) or a function of the request returning that. A dict body is sent as JSON."""

    def __init__(self):
        self.seen, self.routes, self.url = [], {}, None

    def answer(self, request):
        route = self.routes.get((request.method, request.path))
        if route is None:
            return 404, {"error": {"message": "no route", "type": "GraphMethodException"}}
        return route(request) if callable(route) else route


@pytest.fixture
def stub():
    server_stub = Stub()

    class Handler(BaseHTTPRequestHandler):
        def handle_one(self):
            size = int(self.headers.get("Content-Length") or 0)
            where = urlsplit(self.path)
            query, body = parse_qs(where.query), self.rfile.read(size)
            request = Seen(self.command, where.path, query, self.headers, body)
            server_stub.seen.append(request)
            status, body, *headers = server_stub.answer(request)
            data = json.dumps(body).encode() if isinstance(body, dict) else body
            self.send_response(status)
            ctype = "application/json" if isinstance(body, dict) else "text/html"
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers[0] if headers else {}).items():
                self.send_header(name, value)
            self.end_headers()
            with contextlib.suppress(ConnectionError):  # a client that timed out left
                self.wfile.write(data)

        do_GET = do_POST = do_DELETE = handle_one

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads, server.block_on_close = True, False
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    server_stub.url = f"http://127.0.0.1:{server.server_port}"
    yield server_stub
    server.shutdown()
    server.server_close()


def make_client(url, **kwargs):
    kwargs.setdefault("timeout", 5)
    return CloudApiClient(TOKEN, "1234", kwargs.pop("waba_id", "5678"), base_url=url, **kwargs)


@pytest.fixture
def client(stub):
    return make_client(stub.url)


def raised(call, *args, **kwargs):
    with pytest.raises(WhatsAppApiError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_send_carries_bearer_token_and_json_body(stub, client):
    stub.routes["POST", MESSAGES] = (200, SENT)
    result = client.send_text("+39 333 123 4567", "Ciao Maria", reply_to="wamid.IN")
    assert result == SendResult.from_response(SENT)
    [request] = stub.seen
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Content-Type"] == "application/json"
    expected = cloud_api.build_text("+393331234567", "Ciao Maria", reply_to="wamid.IN")
    assert json.loads(request.body) == expected


def test_send_methods_post_the_builders_payloads(stub, client):
    stub.routes["POST", MESSAGES] = messages_route
    components = cloud_api.template_components(body=["Maria"])
    client.send_template("391", "reminder", "it", components)
    client.send_reply_buttons("391", "Ok?", [("y", "Yes")], footer="Studio")
    client.send_media("391", "document", media_id="7", filename="f.pdf", caption="Fattura")
    assert client.mark_as_read("wamid.IN") is True
    assert client.send_typing_indicator("wamid.IN") is True
    assert components == [{"type": "body", "parameters": [{"type": "text", "text": "Maria"}]}]
    assert [json.loads(r.body) for r in stub.seen] == [
        cloud_api.build_template("391", "reminder", "it", components),
        cloud_api.build_reply_buttons("391", "Ok?", [("y", "Yes")], footer="Studio"),
        cloud_api.build_media("391", "document", media_id="7", filename="f.pdf", caption="Fattura"),
        {"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.IN"},
        {
            "messaging_product": "whatsapp",
            "status": "read",
            "message_id": "wamid.IN",
            "typing_indicator": {"type": "text"},
        },
    ]


def test_list_templates_follows_paging(stub, client):
    example = load("templates", "get-200-example-response.json")
    first, second = example["data"]

    def templates(request):
        if "after" not in request.query:
            next_url = f"{stub.url}{request.path}?limit=1&after=MjQZD"
            return 200, {"data": [first], "paging": {"next": next_url}}
        return 200, {"data": [second], "paging": example["paging"]}

    stub.routes["GET", TEMPLATES] = templates
    assert client.list_templates(limit=1) == [first, second]
    assert [r.query for r in stub.seen] == [{"limit": ["1"]}, {"limit": ["1"], "after": ["MjQZD"]}]
    assert all(r.headers["Authorization"] == f"Bearer {TOKEN}" for r in stub.seen)


def test_list_templates_stops_at_the_page_cap(stub, client, monkeypatch):
    monkeypatch.setattr(cloud_api, "MAX_TEMPLATE_PAGES", 3)
    stub.routes["GET", TEMPLATES] = lambda r: (
        200,
        {"data": [{"name": "t"}], "paging": {"next": f"{stub.url}{r.path}?after={len(stub.seen)}"}},
    )
    assert raised(client.list_templates).kind == PERMANENT
    assert len(stub.seen) == 4


def test_create_template_and_phone_number(stub, client):
    created = load("templates", "post-200-example-response.json")
    stub.routes["POST", TEMPLATES] = (200, created)
    stub.routes["GET", NUMBER] = (200, {"id": "1234", "verified_name": "Studio Rossi"})
    components = [{"type": "BODY", "text": "Ciao {{1}}", "example": {"body_text": [["Maria"]]}}]
    assert client.create_template("reminder", "it", "UTILITY", components) == created
    assert client.get_phone_number()["verified_name"] == "Studio Rossi"
    assert json.loads(stub.seen[0].body) == {
        "name": "reminder",
        "language": "it",
        "category": "UTILITY",
        "components": components,
        "allow_category_change": True,
    }
    fields = (
        "display_phone_number,verified_name,quality_rating,code_verification_status,"
        "messaging_limit_tier"
    )
    assert stub.seen[1].query == {"fields": [fields]}


def test_upload_is_multipart_with_three_fields(stub, client):
    stub.routes["POST", MEDIA] = (200, load("media", "upload-200-upload-image-json.json"))
    media_id = client.upload_media(b"%PDF-1.4 fattura", "application/pdf", "fattura.pdf")
    assert media_id == "4490709327384033"
    [request] = stub.seen
    assert request.headers.get_content_type() == "multipart/form-data"
    head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
    form = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.body)
    parts = {p.get_param("name", header="content-disposition"): p for p in form.iter_parts()}
    assert set(parts) == {"file", "type", "messaging_product"}
    assert parts["file"].get_filename() == "fattura.pdf"
    assert parts["file"].get_content_type() == "application/pdf"
    assert parts["file"].get_payload(decode=True) == b"%PDF-1.4 fattura"
    assert parts["type"].get_payload(decode=True) == b"application/pdf"
    assert parts["messaging_product"].get_payload(decode=True) == b"whatsapp"


def test_media_url_then_bytes_with_the_token(stub, client):
    info = {**load("media", "get-200-retrieve-media-url.json"), "url": f"{stub.url}/dl/x?ext=1"}
    stub.routes["GET", f"/v23.0/{MEDIA_ID}"] = (200, info)
    stub.routes["GET", "/dl/x"] = (200, b"\xff\xd8jpeg bytes")
    deleted = load("media", "delete-200-delete-media.json")
    stub.routes["DELETE", f"/v23.0/{MEDIA_ID}"] = (200, deleted)
    assert client.get_media(MEDIA_ID) == info
    assert client.download_media(info["url"]) == b"\xff\xd8jpeg bytes"
    assert client.delete_media(MEDIA_ID) is True
    assert stub.seen[1].query == {"ext": ["1"]}
    assert stub.seen[1].headers["Authorization"] == f"Bearer {TOKEN}"


def test_graph_error_with_retry_after(stub, client):
    error = {"message": "(#130429) Rate limit hit", "code": 130429, "fbtrace_id": "Ab1"}
    stub.routes["POST", MESSAGES] = (400, {"error": error}, {"Retry-After": "7"})
    error = raised(client.send_text, "391", "hi")
    assert (error.code, error.http_status, error.kind) == (130429, 400, RETRYABLE)
    assert (error.retry_after, error.fbtrace_id) == (7.0, "Ab1")


def test_html_500_is_retryable(stub, client):
    stub.routes["GET", NUMBER] = (500, b"<html><body><h1>Internal Server Error</h1></body></html>")
    error = raised(client.get_phone_number)
    assert (error.kind, error.http_status, error.code) == (RETRYABLE, 500, None)
    assert "Internal Server Error" in error.message


def test_slow_server_times_out_as_retryable(stub):
    stub.routes["GET", NUMBER] = lambda r: time.sleep(1) or (200, {})
    started = time.monotonic()
    error = raised(make_client(stub.url, timeout=0.2).get_phone_number)
    assert time.monotonic() - started < 0.9
    assert (error.kind, error.code, error.http_status) == (RETRYABLE, None, None)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_refused_connection_is_retryable_and_keeps_the_token_secret(caplog):
    caplog.set_level("DEBUG")
    client = make_client(f"http://127.0.0.1:{free_port()}")
    # Graph paging URLs carry the token in their query string
    error = raised(client._request, "GET", None, url=f"{client.base_url}/x?access_token={TOKEN}")
    assert error.kind == RETRYABLE
    assert error.__cause__ is None
    assert TOKEN not in str(error)
    assert TOKEN not in repr(client)
    assert any(r.name == cloud_api.__name__ for r in caplog.records)  # it did log the call
    assert TOKEN not in caplog.text


def test_an_error_body_echoing_the_token_is_redacted(stub, client):
    message, data = f"Malformed access token {TOKEN}", {"details": TOKEN}
    echo = {"message": message, "code": 190, "error_data": data}
    stub.routes["GET", NUMBER] = (401, {"error": echo})
    error = raised(client.get_phone_number)
    assert (error.kind, error.message, error.details) == (AUTH, "Malformed access token ***", "***")
    assert TOKEN not in str(error)


def test_waba_id_is_required_for_templates(stub):
    client = make_client(stub.url, waba_id=None)
    for call in (client.list_templates, lambda: client.create_template("t", "it", "UTILITY", [])):
        with pytest.raises(ValueError, match="waba_id"):
            call()
    assert stub.seen == []


@pytest.mark.parametrize("timeout", [None, 0, 0.0, -1, (None, 5), (5, 0), (1, 2, 3), "10", True])
def test_constructor_refuses_a_missing_timeout(timeout):
    with pytest.raises(ValueError):
        CloudApiClient(TOKEN, "1234", timeout=timeout)


# ---------------------------------------------------------------- every call has a timeout
class RecordingSession(requests.Session):
    """A real session (the request still goes to the local server) that notes kwargs."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def send(self, request, **kwargs):
        self.calls.append((request.method, urlsplit(request.url).path, kwargs))
        return super().send(request, **kwargs)


OPERATIONS = {
    "send": lambda c: c.send(cloud_api.build_text("391", "hi")),
    "send_text": lambda c: c.send_text("391", "hi"),
    "send_template": lambda c: c.send_template("391", "hello_world", "en_US"),
    "send_reply_buttons": lambda c: c.send_reply_buttons("391", "Ok?", [("y", "Yes")]),
    "send_list": lambda c: c.send_list("391", "When?", "Times", [(None, [("a", "Mon 9:00")])]),
    "send_media": lambda c: c.send_media("391", "image", link="https://example.com/a.jpg"),
    "mark_as_read": lambda c: c.mark_as_read("wamid.IN"),
    "send_typing_indicator": lambda c: c.send_typing_indicator("wamid.IN"),
    "upload_media": lambda c: c.upload_media(b"x", "image/jpeg", "a.jpg"),
    "get_media": lambda c: c.get_media(MEDIA_ID),
    "download_media": lambda c: c.download_media(c.base_url + "/dl/x"),
    "delete_media": lambda c: c.delete_media(MEDIA_ID),
    "list_templates": lambda c: c.list_templates(),
    "create_template": lambda c: c.create_template("r", "it", "UTILITY", [{"type": "BODY"}]),
    "get_phone_number": lambda c: c.get_phone_number(),
    "block_users": lambda c: c.block_users(["+16505551234"]),
    "unblock_users": lambda c: c.unblock_users(["+16505551234"]),
    "list_blocked_users": lambda c: c.list_blocked_users(),
}


def test_every_public_operation_is_listed():
    public = {n for n, v in vars(CloudApiClient).items() if not n.startswith("_") and callable(v)}
    builders = {n for n in public if n.startswith("build_")} | {"template_components"}
    assert public - builders == set(OPERATIONS)


@pytest.mark.parametrize("timeout", [3, (1.5, 4)], ids=["seconds", "connect-read-pair"])
def test_client_never_calls_without_a_timeout(stub, timeout):
    def templates(request):
        paging = {} if request.query.get("after") else {"next": f"{stub.url}{TEMPLATES}?after=A"}
        return 200, {"data": [], "paging": paging}

    stub.routes.update(
        {
            ("POST", MESSAGES): messages_route,
            ("POST", MEDIA): (200, {"id": "4490709327384033"}),
            ("GET", f"/v23.0/{MEDIA_ID}"): (200, load("media", "get-200-retrieve-media-url.json")),
            ("DELETE", f"/v23.0/{MEDIA_ID}"): (200, {"success": True}),
            ("GET", "/dl/x"): (200, b"bytes"),
            ("GET", TEMPLATES): templates,
            ("POST", TEMPLATES): (200, load("templates", "post-200-example-response.json")),
            ("GET", NUMBER): (200, {"id": "1234"}),
            ("POST", BLOCK): (200, load("errors", "blockusersresponse-block-user-s.json")),
            ("DELETE", BLOCK): (200, load("errors", "unblockusersresponse-unblock-user-s.json")),
            ("GET", BLOCK): (200, load("errors", "getblockedusersresponse-get-blocked-users.json")),
        }
    )
    session = RecordingSession()
    client = make_client(stub.url, timeout=timeout, session=session)
    for name, operation in OPERATIONS.items():
        before = len(session.calls)
        operation(client)
        assert len(session.calls) > before, f"{name} made no HTTP call"
    assert len(session.calls) == len(OPERATIONS) + 1  # list_templates read two pages
    assert len(stub.seen) == len(session.calls)  # every call really reached the server
    for method, path, kwargs in session.calls:
        assert kwargs.get("timeout") == timeout, (method, path)
