"""When an appointment reminder goes out.

A rule says "48 hours before" or "2 hours before"; the practice's opening hours decide
the real moment, because nothing leaves at night:

* open at the rule's moment: then;
* closed: the last open moment before it ("the day before at 18:59" for a 48 h reminder
  falling on a Sunday), never later than the appointment;
* a same-day reminder (the rule's moment is on the appointment's day, in the practice's
  time zone) is not moved onto a previous day: "your appointment is in two hours" read
  the evening before is wrong. It goes at that day's opening instead, and is skipped when
  that leaves fewer than ``min_notice`` (60 minutes) before the appointment.

Intervals are the practice's opening hours as aware ``(start, end)`` pairs (see
:mod:`office_hours`); every datetime here is timezone-aware.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from .office_hours import latest_opening_at_or_before, next_opening

MIN_NOTICE = timedelta(minutes=60)

NO_OPENING = "no_opening"  # the practice is closed from long before until the appointment
TOO_LATE = "too_late"  # a same-day reminder would leave less than MIN_NOTICE


def due_time(
    start: datetime,
    offset: timedelta,
    intervals,
    tz: tzinfo,
    min_notice: timedelta = MIN_NOTICE,
) -> tuple[datetime | None, str | None]:
    """``(moment, None)`` when the reminder for an appointment at ``start`` goes out,
    or ``(None, reason)`` when it must not go at all."""
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("due_time needs a timezone-aware appointment start")
    intervals = list(intervals)
    target = start - offset
    day = start.astimezone(tz).date()
    same_day = target.astimezone(tz).date() == day
    due = latest_opening_at_or_before(target, intervals)
    if same_day and (due is None or due.astimezone(tz).date() != day):
        due = next_opening(target, intervals)
        if due is None or due >= start or due.astimezone(tz).date() != day:
            return None, TOO_LATE
    if due is None:
        return None, NO_OPENING
    if same_day and start - due < min_notice:
        return None, TOO_LATE
    return due, None


def still_worth_sending(start: datetime, now: datetime, min_notice=MIN_NOTICE) -> bool:
    """Whether a due reminder (perhaps late: the server was down) may still go: not in
    the appointment's last ``min_notice``, when it can only disturb."""
    return start - now >= min_notice
