"""The state machine of a WhatsApp message, as a table (pure, tested without Odoo).

    queued -> sending -> sent -> delivered -> read   (forward only: a late "delivered"
    queued/sending/unknown/sent -> failed              after "read" changes nothing)
    queued -> cancelled                              (not sent: refused, obsolete, by hand)
    sending -> unknown -> sent/delivered/read        (the answer never came; a status
                                                      carrying our reference settles it)
    sending/unknown -> queued                        (it did not leave, or no status came
                                                      within the wait: send again)
    received                                         (inbound: never changes)

"sending" is committed before the request goes out, so that a crash, a restart or a
deploy finds the message marked as possibly sent instead of sending it blindly again.
"failed", "cancelled" and "received" are final; "failed" cannot follow delivered or
read (Meta does not un-deliver a message).
"""

FORWARD = ("queued", "sending", "sent", "delivered", "read")
# The request may have reached Meta: nothing may withdraw or re-send these blindly.
MAYBE_SENT = frozenset({"sending", "unknown"})
FINAL = frozenset({"failed", "cancelled", "received"})
# The date field each state stamps when reached.
DATE_FIELDS = {
    "sent": "sent_date",
    "delivered": "delivered_date",
    "read": "read_date",
    "failed": "failed_date",
}


# How each state shows on the chatter entry (mail.notification's status): the chatter's
# own icons, and "exception" puts a failure in the messaging menu's tray.
NOTIFICATION_STATUS = {
    "queued": "ready",
    "sending": "ready",
    "unknown": "process",
    "sent": "pending",
    "delivered": "sent",
    "read": "sent",
    "failed": "exception",
    "cancelled": "canceled",
}


# Moves outside the forward order: (old, new) -> allowed.
_SPECIAL = {
    "failed": frozenset({"queued", "sending", "unknown", "sent"}),
    "cancelled": frozenset({"queued"}),
    "queued": MAYBE_SENT,
    "unknown": frozenset({"sending"}),
}


def can_move(old: str, new: str) -> bool:
    """Whether a message in state ``old`` may move to ``new``."""
    if old == new or old in FINAL:
        return False
    if new in _SPECIAL:
        return old in _SPECIAL[new]
    if old == "unknown":
        return new in ("sent", "delivered", "read")
    return new in FORWARD and old in FORWARD and FORWARD.index(new) > FORWARD.index(old)
