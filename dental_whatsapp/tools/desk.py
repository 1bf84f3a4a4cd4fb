"""The conversation desk's clock and its small judgements, without Odoo.

- :func:`is_bare_acknowledgement`: "ok", "grazie", "👍": a message that needs no answer
  and gets no automatic acknowledgement;
- :func:`acknowledgement`: whether and which automatic acknowledgement a patient's
  message gets.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import regex

from .keywords import normalize_text
from .office_hours import is_open

ACK_COOLDOWN = timedelta(hours=12)

CLOSED = "closed"  # the practice is closed: acknowledge at once, with the next opening
BUSY = "busy"  # open, but nobody answered within the delay

# Whole messages that only acknowledge (any language the practice works in).
BARE_ACKNOWLEDGEMENTS = frozenset(
    {
        "ok",
        "okay",
        "okey",
        "oki",
        "k",
        "va bene",
        "perfetto",
        "grazie",
        "grazie mille",
        "ok grazie",
        "grazie ok",
        "thanks",
        "thank you",
        "thx",
        "ok thanks",
        "ok thank you",
        "great",
        "fine",
        "gracias",
        "muchas gracias",
        "vale",
        "ok gracias",
        "perfecto",
        "de acuerdo",
        "d accordo",
    }
)
_ONLY_EMOJI_OR_PUNCT = regex.compile(
    r"^[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Emoji_Component}\u200d\ufe0f\s\p{P}]+$"
)


def is_bare_acknowledgement(text: str | None) -> bool:
    """True for a message that only acknowledges: "ok", "Grazie!", "👍🏻", "🙏🙏"."""
    if not text or not text.strip():
        return False
    stripped = text.strip()
    if _ONLY_EMOJI_OR_PUNCT.match(stripped) and regex.search(
        r"\p{Extended_Pictographic}", stripped
    ):
        return True
    words = normalize_text(regex.sub(r"\p{Extended_Pictographic}", " ", stripped))
    return words in BARE_ACKNOWLEDGEMENTS


def acknowledgement(
    *,
    now: datetime,
    intervals,
    last_ack: datetime | None,
    text: str | None,
    handled: bool,
) -> str | None:
    """Which automatic acknowledgement a patient's message written at ``now`` needs:
    :data:`CLOSED` (send it now), :data:`BUSY` (send it if nobody answers within the
    delay) or None: not for a message a feature already answered (``handled``: a
    reminder answer, an opt-out), nor for a bare "ok/thanks/emoji", nor twice within
    :data:`ACK_COOLDOWN`."""
    if handled or is_bare_acknowledgement(text):
        return None
    if last_ack is not None and now - last_ack < ACK_COOLDOWN:
        return None
    if intervals is not None and not is_open(now, intervals):
        return CLOSED
    return BUSY
