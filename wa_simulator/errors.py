"""Errors in the Graph API's JSON shape, and the Meta error codes the simulator uses."""

import secrets

# code -> (default HTTP status, Meta's title for it)
KNOWN_CODES = {
    1: (500, "An unknown error occurred"),
    2: (503, "Service temporarily unavailable"),
    4: (429, "Application request limit reached"),
    10: (403, "Permission denied"),
    100: (400, "Invalid parameter"),
    190: (401, "Invalid OAuth access token"),
    200: (403, "Permission error"),
    80007: (429, "Rate limit issues"),
    130403: (400, "Unable to deliver the message"),
    130429: (429, "Rate limit hit"),
    131000: (500, "Something went wrong"),
    131008: (400, "Required parameter is missing"),
    131009: (400, "Parameter value is not valid"),
    131016: (503, "Service unavailable"),
    131026: (400, "Message undeliverable"),
    131047: (400, "Re-engagement message"),
    131048: (400, "Spam rate limit hit"),
    131049: (
        400,
        "This message was not delivered to maintain healthy ecosystem engagement.",
    ),
    131056: (400, "(Business Account, Consumer Account) pair rate limit hit"),
    132000: (400, "Number of parameters does not match the expected number of params"),
    132001: (404, "Template name does not exist in the translation"),
    132012: (400, "Parameter format does not match format in the created template"),
    132015: (400, "Template is Paused"),
    132016: (400, "Template is Disabled"),
    133010: (400, "Phone number Not Registered"),
    139100: (400, "Failed to block/unblock users"),
    139101: (400, "Blocklist limit reached"),
    139102: (400, "Blocklist concurrent update"),
    139103: (500, "Internal error"),
}


def fbtrace_id():
    return "A" + secrets.token_urlsafe(16)


class GraphError(Exception):
    """An error the simulator answers in Graph shape:
    ``{"error": {"message", "type", "code", "error_data", "fbtrace_id"}}``."""

    def __init__(
        self, status, code, message=None, details=None, *, subcode=None, error_type="OAuthException"
    ):
        if message is None:
            message = f"(#{code}) {KNOWN_CODES.get(code, (0, 'Error'))[1]}"
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.subcode = subcode
        self.error_type = error_type

    def body(self):
        error = {"message": self.message, "type": self.error_type, "code": self.code}
        if self.subcode:
            error["error_subcode"] = self.subcode
        if self.details:
            error["error_data"] = {"messaging_product": "whatsapp", "details": self.details}
        error["fbtrace_id"] = fbtrace_id()
        return {"error": error}


def invalid(details):
    """400, code 100 "(#100) Invalid parameter": a malformed or missing parameter."""
    return GraphError(400, 100, "(#100) Invalid parameter", details)


def required(param):
    return GraphError(400, 100, f"(#100) The parameter {param} is required.")


def not_valid(details):
    """400, code 131009 "Parameter value is not valid": well-formed but out of range."""
    return GraphError(400, 131009, None, details)


def unknown_object(method, object_id):
    """What the Graph API answers for an id it does not know (code 100, subcode 33)."""
    return GraphError(
        400,
        100,
        f"Unsupported {method.lower()} request. Object with ID '{object_id}' does not exist, "
        "cannot be loaded due to missing permissions, or does not support this operation. "
        "Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
        subcode=33,
        error_type="GraphMethodException",
    )


def status_error(code, details):
    """An entry of ``errors`` in a failed status webhook."""
    title = KNOWN_CODES.get(code, (0, "Error"))[1]
    return {
        "code": code,
        "title": title,
        "message": title,
        "error_data": {"details": details},
        "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
    }


class ControlError(Exception):
    """A bad call to the control API: answered 400 (or ``status``) with ``{"error": ...}``."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status
