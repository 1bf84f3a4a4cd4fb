"""When may a message go out: maths on the practice's opening intervals.

The Odoo side gets the intervals from the company's working schedule
(``resource.calendar``, holidays removed); these functions only compare aware datetimes.
"""

from datetime import timedelta


def _check(*moments):
    for moment in moments:
        if moment is not None and moment.tzinfo is None:
            raise ValueError("office-hours maths needs timezone-aware datetimes")


def normalize(intervals):
    """Sorted, merged copy of ``(start, end)`` pairs."""
    merged = []
    for start, end in sorted(intervals):
        _check(start, end)
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif start < end:
            merged.append((start, end))
    return merged


def is_open(moment, intervals):
    _check(moment)
    return any(start <= moment < end for start, end in normalize(intervals))


def next_opening(moment, intervals):
    """``moment`` if the practice is open then, else the start of the next opening."""
    _check(moment)
    for start, end in normalize(intervals):
        if moment < end:
            return max(moment, start)
    return None


def latest_opening_at_or_before(target, intervals, margin=timedelta(minutes=1), not_before=None):
    """``target`` if open then, else shortly before the end of the last opening before it
    (used for reminders, which must go out before the appointment, never at night)."""
    _check(target, not_before)
    best = None
    for start, end in normalize(intervals):
        if start <= target < end:
            best = target
            break
        if end <= target:
            best = max(start, end - margin)
    if best is not None and not_before is not None and best < not_before:
        return None
    return best
