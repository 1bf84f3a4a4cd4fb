"""The state machine of a WhatsApp message, as a table (pure, tested without Odoo).

    queued -> sent -> delivered -> read        (forward only: a late "delivered"
    queued/sent -> failed                        after "read" changes nothing)
    queued -> cancelled                        (not sent: refused, obsolete, by hand)
    received                                   (inbound: never changes)

"failed", "cancelled" and "received" are final; "failed" cannot follow delivered or
read (Meta does not un-deliver a message).
"""

FORWARD = ("queued", "sent", "delivered", "read")
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
    "sent": "pending",
    "delivered": "sent",
    "read": "sent",
    "failed": "exception",
    "cancelled": "canceled",
}


def can_move(old: str, new: str) -> bool:
    """Whether a message in state ``old`` may move to ``new``."""
    if old == new or old in FINAL:
        return False
    if new == "failed":
        return old in ("queued", "sent")
    if new == "cancelled":
        return old == "queued"
    if new in FORWARD and old in FORWARD:
        return FORWARD.index(new) > FORWARD.index(old)
    return False
