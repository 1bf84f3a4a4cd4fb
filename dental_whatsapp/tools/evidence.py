"""The evidence chain of a conversation: each message sealed with SHA-256 over the
previous seal and the message's canonical form, so that a changed, removed or
reordered message shows.

Pure Python (no Odoo): the models build an *entry* (a dict of what must not change)
for each message; this module serialises it canonically, seals it and verifies a chain.

Canonical form: JSON with sorted keys, no whitespace, UTF-8 (non-ASCII kept as is, not
escaped), no floats (a float's text is not stable across platforms), datetimes as ISO
8601 UTC strings (``2026-11-24T09:00:00Z``), dates as ISO dates. Only str, int, bool,
None, lists/tuples and dicts with str keys are accepted: anything else is a bug in the
caller and raises.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

# The seal before the first message: 64 zeros, the hash of nothing in particular.
GENESIS = "0" * 64


def _normalise(value):
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        raise TypeError("floats are not allowed in an evidence entry")
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_normalise(item) for item in value]
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("evidence entry keys must be strings")
        return {key: _normalise(item) for key, item in value.items()}
    raise TypeError(f"{type(value).__name__} is not allowed in an evidence entry")


def iso_utc(value):
    """``value`` (naive: Odoo's UTC; or aware) as ``YYYY-MM-DDTHH:MM:SSZ`` (microseconds
    kept when there are any)."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.isoformat() + "Z"


def canonical(entry):
    """The entry's canonical bytes: sorted-key compact JSON in UTF-8."""
    return json.dumps(
        _normalise(entry),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    ).encode("utf-8")


def seal(prev_hash, entry):
    """SHA-256 (hex) over the previous seal (its 64 hex characters, ASCII) followed by
    the entry's canonical bytes."""
    if not isinstance(prev_hash, str) or len(prev_hash) != 64:
        raise ValueError("the previous seal must be 64 hex characters")
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    digest.update(canonical(entry))
    return digest.hexdigest()


def chain(entries, prev_hash=GENESIS):
    """The seals of ``entries`` in order, starting after ``prev_hash``."""
    hashes = []
    for entry in entries:
        prev_hash = seal(prev_hash, entry)
        hashes.append(prev_hash)
    return hashes


@dataclass
class Verification:
    """What :func:`verify` found.

    ``first``: index of the first entry whose seal does not match (None when intact);
    ``reason``: ``"differs"`` (the entry or its seal was changed), ``"missing"`` (an
    entry before it is gone: its position says so), ``"order"`` (entries were moved)
    or ``"count"`` (not as many seals as entries); ``tampered``: every entry whose
    seal does not match its own content and the seal before it; ``broken``: the
    entries after ``first``, whose seals no longer follow from the start of the chain;
    ``last_hash``: the last seal recomputed from the start."""

    intact: bool
    count: int
    last_hash: str
    first: int | None = None
    reason: str | None = None
    tampered: list = field(default_factory=list)
    broken: list = field(default_factory=list)


def verify(entries, hashes, prev_hash=GENESIS, position_key="seq"):
    """Recompute the chain of ``entries`` and compare it with the stored ``hashes``.

    When entries carry their 1-based position in the chain (``position_key``), a gap
    says that a message is missing before the entry found after it."""
    entries, hashes = list(entries), list(hashes)
    count = len(entries)
    if len(hashes) != count:
        return Verification(
            False, count, chain(entries, prev_hash)[-1] if entries else prev_hash, 0, "count"
        )
    recomputed = chain(entries, prev_hash)
    last_hash = recomputed[-1] if recomputed else prev_hash
    tampered = []
    misplaced, misplaced_reason = None, None
    positions = [entry.get(position_key) if isinstance(entry, dict) else None for entry in entries]
    previous_stored = prev_hash
    for index, (entry, stored) in enumerate(zip(entries, hashes, strict=True)):
        if seal(previous_stored, entry) != stored:
            tampered.append(index)
        position = positions[index]
        if misplaced is None and position is not None and position != index + 1:
            misplaced = index
            # the expected one further down: moved; nowhere: gone
            misplaced_reason = "order" if index + 1 in positions[index:] else "missing"
        previous_stored = stored
    first = next(
        (
            index
            for index, (mine, stored) in enumerate(zip(recomputed, hashes, strict=True))
            if mine != stored
        ),
        None,
    )
    if misplaced is not None and (first is None or misplaced <= first):
        first, reason = misplaced, misplaced_reason
    elif first is not None:
        reason = "differs"
    else:
        return Verification(True, count, last_hash)
    return Verification(
        False,
        count,
        last_hash,
        first,
        reason,
        tampered,
        list(range(first + 1, count)),
    )
