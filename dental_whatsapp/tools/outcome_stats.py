"""The small sums behind "what the messages achieve" (pure, no Odoo).

``open_minutes`` counts how long a patient waited in the practice's opening time only
(the intervals come from the company's working schedule, holidays removed, as
``office_hours`` takes them); ``median`` and ``rate`` are the figures' arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from .office_hours import Interval, _check, normalize


def open_minutes(start: datetime, end: datetime, intervals: Iterable[Interval] | None) -> float:
    """Minutes of opening time between ``start`` and ``end`` (aware datetimes); the
    wall-clock minutes when the practice has no opening hours (``intervals`` None)."""
    _check(start, end)
    if end <= start:
        return 0.0
    if intervals is None:
        return (end - start).total_seconds() / 60
    seconds = 0.0
    for low, high in normalize(intervals):
        overlap = (min(high, end) - max(low, start)).total_seconds()
        if overlap > 0:
            seconds += overlap
    return seconds / 60


def median(values: Iterable[float | None]) -> float | None:
    """The median of the values that are not None (the mean of the middle two for an
    even count); None when there are none."""
    numbers = sorted(v for v in values if v is not None)
    if not numbers:
        return None
    middle = len(numbers) // 2
    if len(numbers) % 2:
        return float(numbers[middle])
    return (numbers[middle - 1] + numbers[middle]) / 2


def rate(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent, None when ``whole`` is 0 (nothing to compare)."""
    return 100.0 * part / whole if whole else None
