"""Cloud API errors as one exception type, classified by what the sender should do.

The classification follows Meta's error-code table for the WhatsApp Cloud API
(developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes): throttling and
temporary service errors are retried, 131047 means "outside the 24-hour window, send a
template", request/recipient/template errors are permanent, token problems are auth.
"""

RETRYABLE = "retryable"
NEEDS_TEMPLATE = "needs_template"
PERMANENT = "permanent"
AUTH = "auth"

RETRYABLE_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131056, 131057, 133004})
NEEDS_TEMPLATE_CODES = frozenset({131047})
AUTH_CODES = frozenset({0, 10, 190}) | frozenset(range(200, 300))
PERMANENT_CODES = (
    frozenset({100, 368, 131008, 131009, 131021, 131026, 131030, 131031, 131042, 131045,
               131051, 131052, 131053, 132068, 132069, 133010, 135000})
    | frozenset(range(132000, 132017))
)


def classify(code, http_status):
    """What to do about an error: one of RETRYABLE, NEEDS_TEMPLATE, PERMANENT, AUTH.

    A known Meta code decides; otherwise the HTTP status does (429 and 5xx retry, 401
    is auth, any other 4xx is permanent); no status at all (timeout, connection) retries.
    """
    if code is not None:
        for codes, kind in (
            (RETRYABLE_CODES, RETRYABLE),
            (NEEDS_TEMPLATE_CODES, NEEDS_TEMPLATE),
            (AUTH_CODES, AUTH),
            (PERMANENT_CODES, PERMANENT),
        ):
            if code in codes:
                return kind
    if http_status is None or http_status == 429 or http_status >= 500:
        return RETRYABLE
    if http_status == 401:
        return AUTH
    return PERMANENT


class WhatsAppApiError(Exception):
    """An error answered by the Cloud API, or the failure to reach it."""

    def __init__(self, message, *, code=None, subcode=None, http_status=None, error_type=None,
                 details="", fbtrace_id=None, retry_after=None, kind=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.subcode = subcode
        self.http_status = http_status
        self.error_type = error_type
        self.details = details or ""
        self.fbtrace_id = fbtrace_id
        self.retry_after = retry_after
        self.kind = kind or classify(code, http_status)

    @property
    def retryable(self):
        return self.kind == RETRYABLE

    def __str__(self):
        code = f" (code {self.code})" if self.code is not None else ""
        status = f" [HTTP {self.http_status}]" if self.http_status else ""
        return f"{self.message}{code}{status}"

    @classmethod
    def from_response(cls, http_status, body=None, text="", retry_after=None):
        """Read Meta's Graph error shape; tolerate bodies that are not (an HTML 502)."""
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            snippet = " ".join((text or "").split())[:200]
            return cls(f"HTTP {http_status} from the WhatsApp API" + (f": {snippet}" if snippet else ""),
                       http_status=http_status, retry_after=retry_after)
        data = error.get("error_data") if isinstance(error.get("error_data"), dict) else {}
        code = error.get("code")
        try:
            code = int(code) if code is not None else None
        except (TypeError, ValueError):
            code = None
        return cls(
            error.get("message") or error.get("error_user_msg") or f"HTTP {http_status}",
            code=code,
            subcode=error.get("error_subcode"),
            http_status=http_status,
            error_type=error.get("type"),
            details=data.get("details") or error.get("error_user_msg") or "",
            fbtrace_id=error.get("fbtrace_id"),
            retry_after=retry_after,
        )

    @classmethod
    def from_exception(cls, exc):
        """A timeout or connection failure: nothing was answered, so try again later."""
        name = type(exc).__name__
        return cls(f"The WhatsApp API could not be reached ({name}: {exc})", kind=RETRYABLE)
