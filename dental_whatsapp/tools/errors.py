"""Cloud API failures as one exception type, classified by what the sender should do next.

Imports no Odoo. ``classify`` turns Meta's error code (and, failing that, the HTTP
status) into one of four kinds; the models decide from the kind alone whether to retry,
to switch to a template, to give up, or to ask an administrator for a new token.
"""

import email.utils
import re
import time

RETRYABLE = "retryable"
NEEDS_TEMPLATE = "needs_template"
PERMANENT = "permanent"
AUTH = "auth"

KINDS = (RETRYABLE, NEEDS_TEMPLATE, PERMANENT, AUTH)

# The two codes the module explains to staff in words of their own.
CODE_REENGAGEMENT = 131047  # more than 24 h since the patient wrote: templates only
CODE_UNDELIVERABLE = 131026  # not on WhatsApp, or the practice is blocked
# Meta held a marketing message back: the patient had enough marketing lately. Reported
# in the status webhook after the send was accepted; worth a try another day only.
CODE_MARKETING_LIMIT = 131049
# A send to a patient the practice blocked (Block Users API): unblock them first.
CODE_BLOCKED_BY_BUSINESS = 130403

# The Block Users API (developers.facebook.com/documentation/business-messaging/whatsapp/
# block-users, "Error codes"). 139100 is the top-level error of a request in which some
# users failed (their own codes are in the per-user lists); 139101 the 64,000-user
# blocklist is full; 139102 the blocklist changed while it was being paged through (read
# it again); 139103 "Internal error, please try again".
CODE_BLOCK_FAILED = 139100
CODE_BLOCKLIST_FULL = 139101
CODE_BLOCKLIST_CHANGED = 139102
CODE_BLOCK_INTERNAL = 139103

# Codes from Meta's error-code table for the WhatsApp Cloud API
# (developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes):
#   throttling (4 app rate limit, 80007 WABA rate limit, 130429 throughput, 131056
#   business/consumer pair rate limit) and temporary service trouble (2, 131000,
#   131016, 133004) go away by waiting; 131057 is the account in maintenance mode.
#   131047 "re-engagement message": more than 24 hours since the customer last wrote,
#   only an approved template can be sent.
#   190 (expired or invalid token), 0 (AuthException), 10 and 200-299 (permission
#   not granted or removed) need an administrator, not a retry.
#   The rest below are faults of the request, the recipient or the template: sending the
#   same thing again will fail the same way. So are a send to a patient the practice
#   blocked (130403), a block that failed (139100; 131021 is blocking the practice's own
#   number) and a full blocklist (139101); a blocklist that changed while it was read
#   (139102) and the Block Users API's internal error (139103) go away by trying again.
CODE_KINDS = (
    (
        frozenset({2, 4, 80007, 130429, 131000, 131016, 131056, 131057, 133004})
        | frozenset({CODE_BLOCKLIST_CHANGED, CODE_BLOCK_INTERNAL}),
        RETRYABLE,
    ),
    (frozenset({CODE_REENGAGEMENT}), NEEDS_TEMPLATE),
    (frozenset({0, 10, 190}) | frozenset(range(200, 300)), AUTH),
    (
        frozenset({100, 368, 131008, 131009, 131021, CODE_UNDELIVERABLE, 131030, 131031})
        | frozenset({131042, CODE_MARKETING_LIMIT})
        | frozenset({131045, 131051, 131052, 131053, 132068, 132069, 133010, 135000})
        | frozenset({CODE_BLOCKED_BY_BUSINESS, CODE_BLOCK_FAILED, CODE_BLOCKLIST_FULL})
        | frozenset(range(132000, 132017)),
        PERMANENT,
    ),
)

# Without a known code the HTTP status decides; no status at all means nothing answered
# (timeout, refused connection), which is worth another try.
STATUS_KINDS = ((frozenset({429}) | frozenset(range(500, 600)), RETRYABLE), ({401}, AUTH))

_TAG = re.compile(r"<[^>]*>")
_QUERY = re.compile(r"\?[^\s'\"()]*")


def classify(code, http_status):
    """What to do about an error: one of RETRYABLE, NEEDS_TEMPLATE, PERMANENT, AUTH.

    A code listed above beats the HTTP status (code 4 under HTTP 400 still retries,
    code 100 under HTTP 500 stays permanent). An unknown code falls back on the status:
    429 and 5xx retry, 401 is auth, any other status is permanent.
    """
    for table, key in ((CODE_KINDS, code), (STATUS_KINDS, http_status)):
        if key is None:
            continue
        for values, kind in table:
            if key in values:
                return kind
    return RETRYABLE if http_status is None else PERMANENT


def _as_int(value):
    try:
        return int(value) if value is not None and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None


def parse_retry_after(value):
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if value is None or value == "":
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        try:
            when = email.utils.parsedate_to_datetime(str(value))
        except (TypeError, ValueError, IndexError):
            return None
        seconds = when.timestamp() - time.time()
    return max(seconds, 0.0)


def _snippet(text, limit=200):
    """The readable start of a body that is not JSON (an HTML error page)."""
    return " ".join(_TAG.sub(" ", text or "").split())[:limit]


class WhatsAppApiError(Exception):
    """An error answered by the Cloud API, or the failure to reach it at all."""

    def __init__(
        self,
        message,
        *,
        code=None,
        subcode=None,
        http_status=None,
        error_type=None,
        details="",
        fbtrace_id=None,
        retry_after=None,
        kind=None,
    ):
        super().__init__(message)
        if kind is not None and kind not in KINDS:
            raise ValueError(f"Unknown error kind {kind!r}")
        self.message = message
        self.code = code
        self.subcode = subcode
        self.http_status = http_status
        self.error_type = error_type
        self.details = details or ""
        self.fbtrace_id = fbtrace_id
        self.retry_after = retry_after
        self.kind = kind or classify(code, http_status)
        # True when the request may have been processed although no answer came (a
        # read timeout, a connection lost mid-answer): the send must not be repeated
        # before a status says whether it arrived. An error answer never is.
        self.outcome_unknown = False

    @property
    def retryable(self):
        return self.kind == RETRYABLE

    def __str__(self):
        code = f" (code {self.code})" if self.code is not None else ""
        status = f" [HTTP {self.http_status}]" if self.http_status else ""
        details = f": {self.details}" if self.details else ""
        return f"{self.message}{code}{status}{details}"

    def __repr__(self):
        return (
            f"WhatsAppApiError({self.message!r}, code={self.code!r}, "
            f"http_status={self.http_status!r}, kind={self.kind!r})"
        )

    @classmethod
    def from_response(cls, http_status, body=None, text="", retry_after=None):
        """Read Meta's Graph error shape::

            {"error": {"message", "type", "code", "error_subcode",
                       "error_data": {"messaging_product", "details"}, "fbtrace_id"}}

        Anything else (an HTML 502 page from a proxy, an empty body) still becomes an
        error, classified by its HTTP status, with the start of the text as message.
        """
        retry_after = parse_retry_after(retry_after)
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, str) and error:
            error = {"message": error}
        if not isinstance(error, dict):
            snippet = _snippet(text)
            message = f"HTTP {http_status} from the WhatsApp API"
            return cls(
                f"{message}: {snippet}" if snippet else message,
                http_status=http_status,
                retry_after=retry_after,
            )
        data = error.get("error_data")
        details = data.get("details") if isinstance(data, dict) else None
        return cls(
            str(error.get("message") or f"HTTP {http_status} from the WhatsApp API"),
            code=_as_int(error.get("code")),
            subcode=_as_int(error.get("error_subcode")),
            http_status=http_status,
            error_type=error.get("type"),
            details=str(details) if details else "",
            fbtrace_id=error.get("fbtrace_id"),
            retry_after=retry_after,
        )

    @classmethod
    def from_exception(cls, exc):
        """A timeout or a connection failure (requests' Timeout / ConnectionError):
        nothing was answered, so it is worth another try later.

        Query strings are cut from the text: Graph paging URLs carry the access token.
        """
        text = _QUERY.sub("?…", str(exc))
        return cls(
            f"The WhatsApp API could not be reached ({type(exc).__name__}: {text})",
            kind=RETRYABLE,
        )
