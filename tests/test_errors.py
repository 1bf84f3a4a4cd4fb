"""Meta's errors become one exception type, classified by what the sender should do."""

import email.utils
import json
import time

import pytest
import requests
from conftest import FIXTURES

from dental_whatsapp.tools import errors
from dental_whatsapp.tools.errors import (
    AUTH,
    NEEDS_TEMPLATE,
    PERMANENT,
    RETRYABLE,
    WhatsAppApiError,
    classify,
)

ERRORS = FIXTURES / "meta-cloud-api" / "errors"
# The HTTP status each example is filed under in Meta's spec (its file-name prefix).
STATUS = {
    "badrequest": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "notfound": 404,
    "toomanyrequests": 429,
    "internalservererror": 500,
}
# Every error example of the spec with the kind it must get. The other files in errors/
# (block-users answers) are successful responses filed there by the spec.
ERROR_FIXTURES = {
    "badrequest-invalidtemplateparameters.json": PERMANENT,
    "badrequest-malformedrequest.json": PERMANENT,
    "badrequest-missingfeaturesetting.json": PERMANENT,
    "forbidden-featurenotsupported.json": AUTH,  # code 10: permission denied
    "forbidden-insufficientpermissions.json": AUTH,  # code 200
    # The spec files "Template not approved" under code 200, which Meta's error-code table
    # defines as "permission not granted or removed" (200-299): the code decides, so it is
    # auth like the other permission errors, not permanent. A real unapproved, paused or
    # missing template answers 132001/132015/132016, which are permanent (tested below).
    "forbidden-templatenotapproved.json": AUTH,
    "internalservererror-unexpectederror.json": RETRYABLE,  # code 1, unlisted: HTTP 500
    "notfound-phonenumbernotfound.json": PERMANENT,
    "notfound-templatenotfound.json": PERMANENT,  # code 132000
    "toomanyrequests-ratelimitexceeded.json": RETRYABLE,  # code 4
    "unauthorized-invalidaccesstoken.json": AUTH,  # code 190
    "unauthorized-missingaccesstoken.json": AUTH,  # code 104, unlisted: HTTP 401
}


def test_every_error_example_is_covered():
    examples = {p.name for p in ERRORS.glob("*.json") if "error" in json.loads(p.read_text())}
    assert examples == set(ERROR_FIXTURES)


@pytest.mark.parametrize(("name", "kind"), sorted(ERROR_FIXTURES.items()), ids=lambda v: v)
def test_meta_error_example(name, kind):
    body = json.loads((ERRORS / name).read_text())
    status = STATUS[name.split("-")[0]]
    error = WhatsAppApiError.from_response(status, body, json.dumps(body))
    assert isinstance(error, Exception)
    assert error.kind == kind
    assert error.retryable is (kind == RETRYABLE)
    assert error.code == body["error"]["code"]
    assert error.http_status == status
    assert error.message == body["error"]["message"]
    assert error.error_type == "OAuthException"
    assert error.fbtrace_id == body["error"].get("fbtrace_id")
    assert error.details == body["error"].get("error_data", {}).get("details", "")


def test_full_graph_error_shape():
    body = {
        "error": {
            "message": "(#131047) Re-engagement message",
            "type": "OAuthException",
            "code": 131047,
            "error_subcode": 2494010,
            "error_data": {
                "messaging_product": "whatsapp",
                "details": "Message failed to send because more than 24 hours have passed "
                "since the customer last replied to this number.",
            },
            "fbtrace_id": "AfAbCdEfGh12345",
        }
    }
    error = WhatsAppApiError.from_response(400, body)
    assert (error.code, error.subcode, error.http_status) == (131047, 2494010, 400)
    assert error.kind == NEEDS_TEMPLATE
    assert not error.retryable
    assert error.fbtrace_id == "AfAbCdEfGh12345"
    assert error.details.startswith("Message failed to send because more than 24 hours")
    assert "(code 131047)" in str(error)
    assert error.details in str(error)


LISTED = [
    *[(code, RETRYABLE) for code in (2, 4, 80007, 130429, 131000, 131016, 131056, 131057)],
    (133004, RETRYABLE),
    (131047, NEEDS_TEMPLATE),
    *[(code, PERMANENT) for code in (100, 368, 131008, 131009, 131021, 131026, 131030)],
    *[(code, PERMANENT) for code in (131031, 131042, 131045, 131051, 131052, 131053)],
    *[(code, PERMANENT) for code in (132068, 132069, 133010, 135000)],
    # 131049, the marketing limit: never again at once (a greeting is retried a day later)
    (131049, PERMANENT),
    *[(code, PERMANENT) for code in range(132000, 132017)],
    *[(code, AUTH) for code in (0, 10, 190, 200, 250, 299)],
]


@pytest.mark.parametrize("status", [400, 500], ids=["http400", "http500"])
@pytest.mark.parametrize(("code", "kind"), LISTED, ids=str)
def test_classify_listed_code_beats_status(code, kind, status):
    assert classify(code, status) == kind


@pytest.mark.parametrize(
    ("code", "status", "kind"),
    [
        pytest.param(4, 400, RETRYABLE, id="rate-limit-code-under-400"),
        pytest.param(131056, 400, RETRYABLE, id="pair-rate-limit-under-400"),
        pytest.param(100, 500, PERMANENT, id="invalid-parameter-under-500"),
        pytest.param(131047, 500, NEEDS_TEMPLATE, id="window-closed-under-500"),
        pytest.param(190, 400, AUTH, id="bad-token-under-400"),
        pytest.param(10, 403, AUTH, id="permission-403"),
        pytest.param(None, 429, RETRYABLE, id="no-code-429"),
        pytest.param(None, 500, RETRYABLE, id="no-code-500"),
        pytest.param(None, 502, RETRYABLE, id="no-code-502"),
        pytest.param(None, 599, RETRYABLE, id="no-code-599"),
        pytest.param(None, 401, AUTH, id="no-code-401"),
        pytest.param(None, 400, PERMANENT, id="no-code-400"),
        pytest.param(None, 404, PERMANENT, id="no-code-404"),
        pytest.param(None, 418, PERMANENT, id="no-code-418"),
        pytest.param(None, None, RETRYABLE, id="nothing-answered"),
        pytest.param(1, 500, RETRYABLE, id="unlisted-code-5xx"),
        pytest.param(104, 401, AUTH, id="unlisted-code-401"),
        pytest.param(999999, 429, RETRYABLE, id="unlisted-code-429"),
        pytest.param(999999, 400, PERMANENT, id="unlisted-code-4xx"),
        # the edges of the ranges: just outside, the status decides
        pytest.param(131999, 503, RETRYABLE, id="below-132000"),
        pytest.param(132017, 503, RETRYABLE, id="above-132016"),
        pytest.param(199, 403, PERMANENT, id="below-200"),
        pytest.param(300, 403, PERMANENT, id="above-299"),
    ],
)
def test_classify_precedence_and_fallback(code, status, kind):
    assert classify(code, status) == kind


def test_code_table_is_unambiguous_data():
    tables = [codes for codes, _kind in errors.CODE_KINDS]
    for i, codes in enumerate(tables):
        for other in tables[i + 1 :]:
            assert not codes & other
    assert {kind for _codes, kind in errors.CODE_KINDS} == set(errors.KINDS)


def test_html_502_page_is_still_an_error():
    page = "<html><head><title>502</title></head><body><h1>Bad Gateway</h1></body></html>"
    error = WhatsAppApiError.from_response(502, None, page)
    assert error.kind == RETRYABLE
    assert (error.code, error.http_status, error.details) == (None, 502, "")
    assert "Bad Gateway" in error.message
    assert "<" not in error.message


@pytest.mark.parametrize("body", [None, {}, {"error": None}, [], "oops", {"data": []}], ids=repr)
def test_unexpected_bodies_fall_back_on_the_status(body):
    error = WhatsAppApiError.from_response(503, body, "")
    assert error.message == "HTTP 503 from the WhatsApp API"
    assert error.kind == RETRYABLE
    assert WhatsAppApiError.from_response(400, body).kind == PERMANENT


def test_loose_fields_are_read_leniently():
    error = WhatsAppApiError.from_response(400, {"error": {"code": "4", "error_subcode": "x"}})
    assert error.code == 4
    assert error.subcode is None
    assert error.kind == RETRYABLE
    assert WhatsAppApiError.from_response(400, {"error": "boom"}).message == "boom"


def test_retry_after_is_seconds():
    assert WhatsAppApiError.from_response(429, None, retry_after="30").retry_after == 30.0
    assert WhatsAppApiError.from_response(429, None, retry_after="soon").retry_after is None
    assert WhatsAppApiError.from_response(429, None).retry_after is None
    later = email.utils.formatdate(time.time() + 120, usegmt=True)
    assert 100 < WhatsAppApiError.from_response(429, None, retry_after=later).retry_after <= 120


@pytest.mark.parametrize(
    "exc",
    [
        requests.exceptions.ReadTimeout("read timed out"),
        requests.exceptions.ConnectTimeout("connect timed out"),
        requests.exceptions.ConnectionError("connection refused"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_transport_failures_are_retryable(exc):
    error = WhatsAppApiError.from_exception(exc)
    assert error.kind == RETRYABLE
    assert error.retryable
    assert (error.code, error.http_status) == (None, None)
    assert type(exc).__name__ in error.message


def test_transport_failure_text_drops_query_strings():
    exc = requests.exceptions.ConnectionError(
        "Max retries exceeded with url: /v23.0/1/message_templates?access_token=SECRET&after=x"
    )
    error = WhatsAppApiError.from_exception(exc)
    assert "SECRET" not in str(error)
    assert "/v23.0/1/message_templates" in str(error)


def test_kind_can_be_forced_but_must_be_known():
    assert WhatsAppApiError("no id", code=4, kind=PERMANENT).kind == PERMANENT
    with pytest.raises(ValueError):
        WhatsAppApiError("x", kind="maybe")
