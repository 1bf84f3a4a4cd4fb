"""The send policy: may this message go to this patient, and from when?

Pure decisions on facts the Odoo models gather (consent, opt-out, the patient's last
inbound message, the practice's opening intervals). Both the producer (before queueing)
and the dispatcher (right before sending) ask the same questions here, so a message
queued while allowed is still refused if the patient opted out in the meantime.

Refusals are reason codes; the Odoo side turns them into translated words.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from .office_hours import next_opening

WINDOW = timedelta(hours=24)

NO_NUMBER = "no_number"
NO_CONSENT = "no_consent"
OPTED_OUT = "opted_out"
WINDOW_CLOSED = "window_closed"
TEMPLATE_NOT_USABLE = "template_not_usable"
NO_OPENING = "no_opening"
CONTENT_BLOCKED = "content_blocked"
BLOCKED = "blocked"


@dataclass(frozen=True)
class Decision:
    refusals: tuple = ()
    send_at: datetime | None = None

    @property
    def allowed(self):
        return not self.refusals


def window_open(last_inbound, now):
    """Free text is allowed for 24 hours after the patient's last message."""
    if last_inbound is None:
        return False
    if last_inbound.tzinfo is None or now.tzinfo is None:
        raise ValueError("window_open needs timezone-aware datetimes")
    return now - last_inbound < WINDOW


def decide(
    *,
    now,
    has_number,
    has_consent,
    opted_out,
    essential,
    is_template,
    template_usable=True,
    last_inbound=None,
    opening_intervals=None,
    not_before=None,
    content_blocks=(),
    blocked=False,
):
    """Return a :class:`Decision` for one outgoing message.

    ``essential`` categories (care) are not stopped by an opt-out; every category still
    needs its own consent. ``opening_intervals`` are the practice's opening hours as
    aware ``(start, end)`` pairs (holidays already removed); ``None`` skips the timing
    question (the Odoo side always passes the practice's intervals). ``blocked``: the
    practice blocked this patient, nothing at all goes to them.
    """
    refusals = [BLOCKED] if blocked else []
    if not has_number:
        refusals.append(NO_NUMBER)
    if not has_consent:
        refusals.append(NO_CONSENT)
    if opted_out and not essential:
        refusals.append(OPTED_OUT)
    if is_template and not template_usable:
        refusals.append(TEMPLATE_NOT_USABLE)
    if not is_template and not window_open(last_inbound, now):
        refusals.append(WINDOW_CLOSED)
    if content_blocks:
        refusals.append(CONTENT_BLOCKED)
    send_at = max(now, not_before) if not_before else now
    if opening_intervals is not None:
        send_at = next_opening(send_at, opening_intervals)
        if send_at is None:
            refusals.append(NO_OPENING)
    # A free-text reply must leave inside the window: if the practice opens only after
    # the window closed, a template is needed then.
    if (
        not is_template
        and send_at is not None
        and last_inbound is not None
        and WINDOW_CLOSED not in refusals
        and send_at - last_inbound >= WINDOW
    ):
        refusals.append(WINDOW_CLOSED)
    return Decision(refusals=tuple(refusals), send_at=send_at)
