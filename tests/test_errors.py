"""Meta's errors become one exception type with the right classification."""

import json

import pytest
from conftest import FIXTURES

from dental_whatsapp.tools import errors
from dental_whatsapp.tools.errors import WhatsAppApiError, classify

ERRORS = FIXTURES / "meta-cloud-api" / "errors"
STATUS = {"badrequest": 400, "unauthorized": 401, "forbidden": 403, "notfound": 404,
          "toomanyrequests": 429, "internalservererror": 500}


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("toomanyrequests-ratelimitexceeded.json", errors.RETRYABLE),
        ("unauthorized-invalidaccesstoken.json", errors.AUTH),
        ("unauthorized-missingaccesstoken.json", errors.AUTH),
        ("notfound-templatenotfound.json", errors.PERMANENT),
        # Meta answers this one with code 200, a permissions error: an administrator must
        # act (like a bad token), so it is auth, not permanent.
        ("forbidden-templatenotapproved.json", errors.AUTH),
        ("forbidden-insufficientpermissions.json", errors.AUTH),
        ("badrequest-invalidtemplateparameters.json", errors.PERMANENT),
        ("internalservererror-unexpectederror.json", errors.RETRYABLE),
    ],
)
def test_meta_error_fixtures(name, kind):
    body = json.loads((ERRORS / name).read_text())
    status = STATUS[name.split("-")[0]]
    error = WhatsAppApiError.from_response(status, body)
    assert error.kind == kind
    assert error.code == body["error"].get("code")
    assert error.http_status == status
    assert error.fbtrace_id == body["error"].get("fbtrace_id")
    assert error.details == (body["error"].get("error_data") or {}).get("details", "")


@pytest.mark.parametrize(
    ("code", "status", "kind"),
    [
        (4, 400, errors.RETRYABLE),  # code beats status
        (80007, 400, errors.RETRYABLE),
        (130429, 400, errors.RETRYABLE),
        (131056, 400, errors.RETRYABLE),
        (131000, 500, errors.RETRYABLE),
        (131016, 503, errors.RETRYABLE),
        (131057, 400, errors.RETRYABLE),
        (133004, 503, errors.RETRYABLE),
        (2, 503, errors.RETRYABLE),
        (131047, 400, errors.NEEDS_TEMPLATE),
        (131026, 400, errors.PERMANENT),
        (131030, 400, errors.PERMANENT),
        (131051, 400, errors.PERMANENT),
        (132000, 400, errors.PERMANENT),
        (132016, 400, errors.PERMANENT),
        (133010, 400, errors.PERMANENT),
        (368, 403, errors.PERMANENT),
        (100, 500, errors.PERMANENT),  # code beats a 5xx
        (190, 401, errors.AUTH),
        (0, 401, errors.AUTH),
        (None, 429, errors.RETRYABLE),
        (None, 502, errors.RETRYABLE),
        (None, 401, errors.AUTH),
        (None, 404, errors.PERMANENT),
        (None, None, errors.RETRYABLE),  # timeout, connection refused
        (999999, 503, errors.RETRYABLE),  # unknown code: the status decides
        (999999, 400, errors.PERMANENT),
    ],
)
def test_classify(code, status, kind):
    assert classify(code, status) == kind


def test_non_json_body_is_still_an_error_in_words():
    error = WhatsAppApiError.from_response(502, None, "<html><h1>Bad Gateway</h1></html>")
    assert error.kind == errors.RETRYABLE
    assert "Bad Gateway" in error.message
    assert error.code is None


def test_connection_failure_is_retryable():
    error = WhatsAppApiError.from_exception(ConnectionRefusedError("refused"))
    assert error.retryable
    assert "could not be reached" in str(error)
