"""When care messages go out: therapy doses, post-operative check-ins, birthday wishes,
recalls, and the retry after Meta's per-user marketing limit.

Pure schedules for the Odoo side to call. The rules, in words:

* A patient's own times (therapy doses, the birthday hour) are local wall-clock times in
  the patient's zone: a dose agreed at 08:00 is at 08:00 on the clock the patient sees,
  before and after a daylight-saving change, so the UTC moment moves by an hour.
* The practice's times (check-ins, retries) come from its opening intervals, aware
  ``(start, end)`` pairs as :mod:`office_hours` takes them; "a later day" is a later
  calendar day in the practice's zone, not in UTC.
* Durations ("24 hours after the end") are elapsed time, as in :mod:`reminder_schedule`.
* Every datetime taken is timezone-aware (a naive one raises ``ValueError``); every
  datetime returned is aware and in UTC, ready for Odoo's naive UTC fields
  (:func:`dates.naive_utc`). Dates (``date``, never ``datetime``) are calendar days.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from itertools import pairwise
from zoneinfo import ZoneInfo

from .office_hours import Interval, next_opening, normalize

UTC = timezone.utc

CARE_WINDOW = (time(8), time(20))  # both ends included: no care message at night

NEXT_DAY = "next_day"  # check-in rule: the first opening on a later day

RECALL_FIRST = "first"
RECALL_SECOND = "second"
RECALL_STOP = "stop"

_MAX_GAP = timedelta(days=2)  # no zone skips more than a day (Samoa, 30 December 2011)


def _check_aware(name: str, moment: datetime | None) -> None:
    if moment is None:
        return
    if not isinstance(moment, datetime):
        raise TypeError(f"{name} must be a datetime, got {moment!r}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def _check_day(name: str, day: date) -> None:
    # A datetime is a date too, but its .date() is the day in whatever zone it is in:
    # refused, so the caller says which calendar day it means.
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"{name} must be a date (a calendar day), got {day!r}")


def _check_count(name: str, value: int, minimum: int = 1) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, got {value!r}")


def _exists(naive: datetime, tz: tzinfo) -> bool:
    """Whether the wall-clock time ``naive`` happens in ``tz`` (not in a spring gap)."""
    back = naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    return back == naive  # two wall-clock readings, compared as such on purpose


def _zone(tz: tzinfo) -> tzinfo:
    """A pytz zone (Odoo's) as the standard library's: pytz zones only work through
    their own ``localize``, and ``replace(tzinfo=...)`` with one gives the zone's first
    historical offset (Rome's 1893 mean time)."""
    name = getattr(tz, "zone", None)
    return ZoneInfo(name) if name and hasattr(tz, "localize") else tz


def wall_clock(day: date, at: time, tz: tzinfo) -> datetime:
    """The moment (in UTC) the clocks in ``tz`` show ``at`` on ``day``.

    A time the clocks skip (the spring gap, 02:30 on the last Sunday of March in Europe)
    moves forward to the first minute that exists (03:00); a time the clocks show twice
    (02:30 on the last Sunday of October) is the first of the two.
    """
    tz = _zone(tz)
    naive = datetime.combine(day, at).replace(tzinfo=None, fold=0)
    if not _exists(naive, tz):
        limit = naive + _MAX_GAP
        naive = naive.replace(second=0, microsecond=0)
        while not _exists(naive, tz):
            naive += timedelta(minutes=1)
            if naive > limit:
                raise ValueError(f"{day} {at} never happens in {tz}")
    return naive.replace(tzinfo=tz).astimezone(UTC)


def _hhmm(at: time) -> str:
    return at.isoformat(timespec="seconds" if at.second else "minutes")


# -- therapy --------------------------------------------------------------------------

# A dose reminder that could not leave at its time (the server was down, Meta was slow)
# still helps this long after; later it would only confuse: the patient took the dose
# or skipped it, and the next reminder is the useful one.
DOSE_LATE = timedelta(minutes=30)
# Two agreed dose times closer than this are one dose written twice, or a mistake.
DOSE_MIN_GAP = timedelta(hours=1)

_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.h](\d{2}))?\s*$")


def parse_dose_times(text: str) -> list[time]:
    """The dose times written in a plan ("08:00, 14:00, 20:00"; "8.30"; "20"), sorted.

    Commas, semicolons, slashes, "e"/"y"/"and" or spaces separate them. Anything that is
    not a time of the day raises ``ValueError`` naming it; so does a time given twice
    or two times less than :data:`DOSE_MIN_GAP` apart (one reminder an hour at most).
    """
    parts = [p for p in re.split(r"[,;/]|\s+(?:e|y|and)\s+|\s+", text or "") if p.strip()]
    if not parts:
        raise ValueError("no dose time given")
    found = []
    for part in parts:
        match = _TIME.match(part)
        hour, minute = (int(match[1]), int(match[2] or 0)) if match else (99, 99)
        if hour > 23 or minute > 59:
            raise ValueError(f"{part.strip()!r} is not a time of the day (use 08:00, 20:00)")
        found.append(time(hour, minute))
    found.sort()
    for before, after in pairwise(found):
        gap = datetime.combine(date.min, after) - datetime.combine(date.min, before)
        if gap < DOSE_MIN_GAP:
            raise ValueError(
                f"dose times {_hhmm(before)} and {_hhmm(after)} are less than an hour apart"
            )
    return found


def format_dose_times(times: Iterable[time]) -> str:
    """The times as the plan shows them: "08:00, 20:00"."""
    return ", ".join(_hhmm(at) for at in sorted(times))


def therapy_doses(
    start_date: date,
    days: int,
    times: Iterable[time],
    tz: tzinfo,
    care_window: tuple[time, time] = CARE_WINDOW,
    *,
    not_before: datetime | None = None,
) -> list[datetime]:
    """The reminders of a therapy plan, in order, as UTC moments.

    The plan runs ``days`` calendar days from ``start_date`` (a day in the patient's
    zone ``tz``) with one reminder a day at each of ``times``, the local wall-clock
    times the patient agreed to: ``days * len(times)`` reminders, 5 days at 08:00 and
    20:00 are 10. The same time given twice is one reminder.

    * A time outside ``care_window`` (both ends included, 08:00-20:00 by default) is
      refused with a ``ValueError`` naming it: a dose reminder never wakes anyone up.
    * Daylight-saving days keep the wall-clock time (see :func:`wall_clock`: a time
      skipped in spring moves to the first minute that exists, a time shown twice in
      autumn is the first one).
    * A plan set up after some of its first doses (``not_before``, aware) skips the
      reminders before that moment (one at exactly ``not_before`` stays); the plan
      still ends on its last day, nothing is added at the end.
    """
    _check_day("start_date", start_date)
    _check_count("days", days)
    _check_aware("not_before", not_before)
    low, high = care_window
    if high < low:
        raise ValueError(f"the care window ends before it starts: {low} > {high}")
    wanted = set()
    for at in times:
        if not isinstance(at, time) or at.tzinfo is not None:
            raise ValueError(f"a dose time is a local wall-clock time, got {at!r}")
        if not low <= at <= high:
            raise ValueError(
                f"dose time {_hhmm(at)} is outside the care window "
                f"{_hhmm(low)}-{_hhmm(high)}: no reminder at night"
            )
        wanted.add(at.replace(fold=0))
    if not wanted:
        raise ValueError("a therapy plan needs at least one dose time")
    doses = set()
    for offset in range(days):
        day = start_date + timedelta(days=offset)
        for at in wanted:
            moment = wall_clock(day, at, tz)
            if not_before is None or moment >= not_before:
                doses.add(moment)
    return sorted(doses)


# -- post-operative check-in and the marketing retry ----------------------------------


def first_opening_after_day(
    moment: datetime, tz: tzinfo, intervals: Iterable[Interval]
) -> datetime | None:
    """The start (in UTC) of the first opening that starts on a later calendar day than
    ``moment``, days read in the practice's zone ``tz``: the next working day's opening
    (Friday evening gives Monday morning), never another opening the same day.
    ``None`` when the intervals hold no such opening."""
    _check_aware("moment", moment)
    day = moment.astimezone(tz).date()
    for start, _end in normalize(intervals):
        if start.astimezone(tz).date() > day:
            return start.astimezone(UTC)
    return None


def checkin_at(
    appointment_end: datetime,
    rule: str | timedelta,
    opening_intervals: Iterable[Interval],
    tz: tzinfo,
) -> datetime | None:
    """When the post-operative check-in goes out (UTC), or ``None`` when the intervals
    given hold no opening for it.

    ``rule`` is either :data:`NEXT_DAY`: the first opening that starts on a later day
    than the appointment's end, in the practice's zone ``tz`` (an extraction on Friday
    afternoon is asked after on Monday at opening); or a positive ``timedelta``: that
    long after the end in elapsed time (72 hours across the spring change is 73 on the
    clock), and when the practice is closed then, the next opening.
    """
    _check_aware("appointment_end", appointment_end)
    if isinstance(rule, timedelta):
        if rule <= timedelta(0):
            raise ValueError(f"a check-in comes after the appointment, got {rule}")
        # In UTC: Python adds a timedelta to a zoned datetime on the wall clock.
        due = next_opening(appointment_end.astimezone(UTC) + rule, opening_intervals)
        return None if due is None else due.astimezone(UTC)
    if rule == NEXT_DAY:
        return first_opening_after_day(appointment_end, tz, opening_intervals)
    raise ValueError(f"unknown check-in rule {rule!r}: {NEXT_DAY!r} or a timedelta")


def marketing_retry_at(
    failed_at: datetime, tz: tzinfo, opening_intervals: Iterable[Interval]
) -> datetime | None:
    """When to try again a marketing message Meta refused for its per-user marketing
    limit (error 131049, the patient has had enough marketing lately): at the first
    opening of a later day in the practice's zone ``tz``, never the same day, since
    trying again within hours only collects more refusals. ``None`` when the intervals
    hold no later day's opening."""
    return first_opening_after_day(failed_at, tz, opening_intervals)


# -- birthdays ------------------------------------------------------------------------


def birthday_on(birth_date: date, year: int) -> date:
    """The day the birthday is kept in ``year``.

    Someone born on 29 February has it on 28 February in a year without one: the wish
    then still arrives in the patient's birth month and never after the day (1 March
    would read as a late wish). Every other birthday is its own day and month.
    """
    _check_day("birth_date", birth_date)
    if birth_date.month == 2 and birth_date.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return birth_date.replace(year=year)


def next_birthday_send(
    birth_date: date | None,
    now: datetime,
    tz: tzinfo,
    hour: int,
    last_sent: datetime | None = None,
) -> datetime | None:
    """When the next birthday wish goes out (UTC); ``None`` without a birth date.

    The wish goes at ``hour`` o'clock on the birthday (:func:`birthday_on`) in the
    patient's zone ``tz``, at most once a calendar year of that zone: a year in which
    one went (``last_sent``) is skipped. When the hour has passed on the birthday itself
    and nothing went this year (the server was down, the patient was added at noon),
    the wish is due at once, ``now``, for as long as the birthday lasts in the patient's
    zone; once the day is over it waits for the next year: no belated wishes. The day
    of birth is not a birthday: the first is a year later.
    """
    if not birth_date:
        return None
    _check_day("birth_date", birth_date)
    _check_aware("now", now)
    _check_aware("last_sent", last_sent or None)
    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
        raise ValueError(f"the birthday hour is a whole hour from 0 to 23, got {hour!r}")
    today = now.astimezone(tz).date()
    sent_year = last_sent.astimezone(tz).year if last_sent else None
    year = max(today.year, birth_date.year + 1)
    while True:
        day = birthday_on(birth_date, year)
        if year != sent_year and day >= today:
            due = wall_clock(day, time(hour), tz)
            return max(due, now.astimezone(UTC)) if day == today else due
        year += 1


# -- recall ---------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, kept within the month it lands in:
    31 August + 6 months is the last day of February (28, or 29 in a leap year)."""
    _check_day("day", day)
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def recall_due(last_attended: date, months: int, second_after_weeks: int) -> tuple[date, date]:
    """The days of a recall's two messages: the first ``months`` calendar months after
    the last attended visit (:func:`add_months`), the second ``second_after_weeks``
    weeks after the first."""
    _check_day("last_attended", last_attended)
    _check_count("months", months)
    _check_count("second_after_weeks", second_after_weeks)
    first = add_months(last_attended, months)
    return first, first + timedelta(weeks=second_after_weeks)


def recall_state(
    first: date,
    second: date,
    today: date,
    booked: bool,
    answered: bool,
    *,
    sent: str | None = None,
) -> str | None:
    """What the recall does ``today``: :data:`RECALL_FIRST` or :data:`RECALL_SECOND`
    (send that message), :data:`RECALL_STOP` (close the recall, send nothing more) or
    ``None`` (nothing today).

    * An appointment booked or an answer from the patient stops it, on any day.
    * Before ``first`` nothing; from ``first`` the first message is due, from ``second``
      the second. ``sent`` is the last message that went (``None``, ``"first"`` or
      ``"second"``), so a daily run sends each once, and a run that missed days (the
      server was down) still sends the one due; a first message whose time has passed
      unsent is skipped rather than sent the day before the second: one message, not
      two in a row.
    * Once the second has gone the recall is over: stop.
    """
    for name, day in (("first", first), ("second", second), ("today", today)):
        _check_day(name, day)
    if second < first:
        raise ValueError(f"the second recall ({second}) comes before the first ({first})")
    if sent not in (None, RECALL_FIRST, RECALL_SECOND):
        raise ValueError(f"sent is None, {RECALL_FIRST!r} or {RECALL_SECOND!r}, got {sent!r}")
    if booked or answered or sent == RECALL_SECOND:
        return RECALL_STOP
    if today >= second:
        return RECALL_SECOND
    if today >= first and sent is None:
        return RECALL_FIRST
    return None
