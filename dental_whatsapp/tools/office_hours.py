"""When may a message go out: maths on the practice's opening intervals.

The Odoo side gets the intervals from the company's working schedule
(``resource.calendar``, holidays already removed) and passes them here as
``(start, end)`` pairs of timezone-aware datetimes, in any time zone and any order.
These functions only compare aware datetimes: a naive one raises ``ValueError``
(the project rule: nothing compares naive datetimes, so a forgotten time zone is a
loud bug instead of a message sent an hour early).

An interval includes its start and excludes its end: with ``09:00-13:00`` the practice
is open at 09:00 and at 12:59:59, closed at 13:00. Returned datetimes keep the time zone
of the value they come from (the caller's ``moment`` or an interval bound).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

Interval = tuple[datetime, datetime]

DEFAULT_MARGIN = timedelta(minutes=1)


def _check(*moments: datetime | None) -> None:
    for moment in moments:
        if moment is None:
            continue
        if not isinstance(moment, datetime):
            raise TypeError(f"expected a datetime, got {moment!r}")
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("office-hours maths needs timezone-aware datetimes")


def normalize(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted copy of ``(start, end)`` pairs with overlapping or touching ones merged.

    Empty intervals (``start == end``) are dropped; a reversed one is a bug upstream
    and raises ``ValueError``.
    """
    pairs = []
    for start, end in intervals:
        _check(start, end)
        if end < start:
            raise ValueError(f"interval ends before it starts: {start} > {end}")
        if start < end:
            pairs.append((start, end))
    merged: list[Interval] = []
    for start, end in sorted(pairs):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def is_open(moment: datetime, intervals: Iterable[Interval]) -> bool:
    """Whether the practice is open at ``moment`` (start inclusive, end exclusive)."""
    _check(moment)
    return any(start <= moment < end for start, end in normalize(intervals))


def next_opening(moment: datetime, intervals: Iterable[Interval]) -> datetime | None:
    """``moment`` if the practice is open then, else the start of the next opening;
    ``None`` when no interval ends after ``moment``."""
    _check(moment)
    for start, end in normalize(intervals):
        if moment < end:
            return moment if start <= moment else start
    return None


def latest_opening_at_or_before(
    target: datetime,
    intervals: Iterable[Interval],
    margin: timedelta = DEFAULT_MARGIN,
    not_before: datetime | None = None,
) -> datetime | None:
    """The latest open moment at or before ``target``, for messages that must go out
    *before* something (an appointment reminder), never at night.

    ``target`` itself if the practice is open then; else the end of the last opening
    that ends at or before ``target``, minus ``margin`` so the moment is still inside
    it (its start, if the opening is shorter than ``margin``). ``None`` if there is no
    such opening or the answer would be earlier than ``not_before`` (too late: the
    caller decides whether to send now or not at all).
    """
    _check(target, not_before)
    if margin <= timedelta(0):
        raise ValueError("margin must be positive: an interval's end is already closed")
    best = None
    for start, end in normalize(intervals):
        if start > target:
            break
        if target < end:
            best = target
            break
        best = max(start, end - margin)
    if best is not None and not_before is not None and best < not_before:
        return None
    return best
