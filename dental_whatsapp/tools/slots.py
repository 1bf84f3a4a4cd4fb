"""Which free appointment times to offer a patient on WhatsApp.

A patient asks to move an appointment (or a new patient asks for a first visit) and the
practice answers with a WhatsApp list of the dentist's next free times: at most nine
rows, plus a "call me" row the Odoo side adds. These are the pure sums behind that list.
The Odoo side hands over:

* the practice's opening intervals, aware ``(start, end)`` pairs as
  ``resource.calendar`` gives them, lunch break and holidays already removed (as
  :mod:`office_hours` takes them: touching or overlapping intervals are one opening);
* each dentist's busy intervals (calendar events and the dentist's own time off), in
  the order the practice prefers its dentists;
* the appointment type's duration and the practice's minimum notice.

The rules, in words:

* An appointment lies inside one opening: it never runs over the lunch break or past
  closing time.
* Times are offered on a grid: an opening's start plus whole steps (09:00, 09:30, ...),
  counted in elapsed time; openings start at wall-clock times and clocks change at
  night, so the grid reads the same on the clock before and after a change.
* An appointment that ends exactly when another begins is fine (10:00-10:30 busy leaves
  10:30 free).
* "Days of notice" are days the practice is open: a request on Friday evening with one
  day's notice is offered Monday morning (Tuesday after a Monday holiday).
* Every datetime taken must be timezone-aware (a naive one raises ``ValueError``); every
  datetime returned is aware and in UTC, ready for Odoo's naive UTC fields
  (:func:`dates.naive_utc`). Local days and labels are read in the practice's zone.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo

from .office_hours import Interval, next_opening, normalize

try:  # Odoo ships Babel; the pure test suite may not have it.
    from babel import Locale, UnknownLocaleError
    from babel.dates import format_datetime
except ImportError:
    Locale = UnknownLocaleError = format_datetime = None

UTC = timezone.utc

DEFAULT_STEP = timedelta(minutes=30)

LABEL_MAX = 24  # WhatsApp's limit on a list row's title
LABEL_FORMAT = "EEE d MMM, HH:mm"  # "gio 26 nov, 10:30"
_SHORT_FORMAT = "d MMM, HH:mm"  # when a language's names make the long one too long


@dataclass(frozen=True)
class Slot:
    """A time the practice can offer: ``start`` and ``stop`` aware, in UTC, and the
    key of the dentist who is free then (e.g. a ``res.users`` id)."""

    start: datetime
    stop: datetime
    dentist: Hashable | None = None


# -- checks ---------------------------------------------------------------------------


def _check_aware(name: str, moment: datetime) -> None:
    if not isinstance(moment, datetime):
        raise TypeError(f"{name} must be a datetime, got {moment!r}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def _check_positive(name: str, value: timedelta) -> None:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise ValueError(f"{name} must be a positive timedelta, got {value!r}")


def _check_count(name: str, value: int, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, got {value!r}")


def _busy_index(busy: Iterable[Interval]) -> tuple[list[datetime], list[datetime]]:
    """One dentist's busy intervals merged, as sorted lists of starts and of ends (both
    sorted, since merged intervals do not overlap), for a binary search."""
    merged = normalize(busy)
    return [start for start, _end in merged], [end for _start, end in merged]


def _overlaps(start: datetime, stop: datetime, index) -> bool:
    """Whether ``start``-``stop`` overlaps a busy interval; touching ends do not."""
    starts, ends = index
    first = bisect_right(ends, start)  # the first busy interval ending after start
    return first < len(starts) and starts[first] < stop


# -- notice ---------------------------------------------------------------------------


def earliest_start(
    now: datetime,
    openings: Iterable[Interval],
    tz: tzinfo,
    notice_days: int = 1,
    notice_hours: float = 0,
) -> datetime | None:
    """The first moment a slot may start (UTC), from the practice's minimum notice.

    ``notice_days`` counts days the practice is open, read in its zone ``tz``:

    * ``0``: today, from ``now`` plus ``notice_hours`` (at 10:05 with two hours'
      notice, from 12:05; on a Saturday, from Monday's opening).
    * ``N >= 1``: from the first opening of the N-th day after today on which the
      practice opens at all; weekends and holidays (days without an opening
      interval) do not count, so one day's notice on Friday evening means Monday at
      opening, Tuesday after a Monday holiday.

    Never before ``now`` plus ``notice_hours`` either, and always a moment the practice
    is open. ``None`` when ``openings`` hold no such moment (the Odoo side gave too
    few weeks of openings, or the practice is closed for good).
    """
    _check_aware("now", now)
    _check_count("notice_days", notice_days, 0)
    if isinstance(notice_hours, bool) or not isinstance(notice_hours, (int, float)):
        raise ValueError(f"notice_hours must be a number, got {notice_hours!r}")
    if not notice_hours >= 0:  # also refuses NaN
        raise ValueError(f"notice_hours cannot be negative, got {notice_hours!r}")
    merged = normalize(openings)
    floor = now.astimezone(UTC) + timedelta(hours=notice_hours)
    if notice_days:
        today = now.astimezone(tz).date()
        open_days: list = []  # the practice's later open days, each with its first opening
        for start, _end in merged:
            day = start.astimezone(tz).date()
            if day > today and (not open_days or open_days[-1][0] != day):
                open_days.append((day, start))
        if len(open_days) < notice_days:
            return None
        floor = max(floor, open_days[notice_days - 1][1].astimezone(UTC))
    first = next_opening(floor, merged)
    return None if first is None else first.astimezone(UTC)


# -- free slots -----------------------------------------------------------------------


def free_slots(  # noqa: PLR0917 - the agreed signature
    openings: Iterable[Interval],
    busy_by_dentist: Mapping[Hashable, Iterable[Interval]],
    duration: timedelta,
    earliest: datetime | None,
    tz: tzinfo,
    step: timedelta = DEFAULT_STEP,
    limit: int = 9,
    per_day: int | None = 3,
    exclude: Iterable[datetime] = (),
) -> list[Slot]:
    """The next free slots to offer, in time order.

    * A slot starts at an opening's start plus whole steps of ``step`` (09:00, 09:30),
      lasts ``duration`` and lies fully inside one opening: a 60-minute visit is never
      offered at 12:30 when lunch is at 13:00, nor at 18:30 when the practice closes at
      19:00.
    * It starts at or after ``earliest`` (see :func:`earliest_start`); ``None``, what
      that gives when nothing is open, gives no slots.
    * ``busy_by_dentist`` maps each dentist's key to the dentist's busy intervals, in
      the practice's order of preference (one dentist is a one-key dict; an empty dict,
      nobody to see the patient, gives no slots). For each time the first dentist in
      that order who is free for the whole slot is taken: one slot per time. A busy
      interval that only touches the slot does not take it.
    * At most ``per_day`` slots on a day (in the practice's zone ``tz``), so that the
      list spreads over several days; ``None`` for no such cap. At most ``limit`` in all.
    * ``exclude``: start times not to offer, e.g. the appointment's current time.
    """
    _check_positive("duration", duration)
    _check_positive("step", step)
    _check_count("limit", limit, 1)
    if per_day is not None:
        _check_count("per_day", per_day, 1)
    skipped = set()
    for moment in exclude:
        _check_aware("an excluded start", moment)
        skipped.add(moment.astimezone(UTC))
    merged = normalize(openings)
    dentists = [(key, _busy_index(busy)) for key, busy in busy_by_dentist.items()]
    if earliest is None or not dentists:
        return []
    _check_aware("earliest", earliest)
    earliest = earliest.astimezone(UTC)
    slots: list[Slot] = []
    per_day_count: Counter = Counter()
    for opening_start, opening_end in merged:
        first, end = opening_start.astimezone(UTC), opening_end.astimezone(UTC)
        if end - first < duration or end - duration < earliest:
            continue
        start = first
        if earliest > first:
            steps, rest = divmod(earliest - first, step)
            start = first + (steps + bool(rest)) * step
        while start + duration <= end:
            stop = start + duration
            day = start.astimezone(tz).date()
            if start not in skipped and (per_day is None or per_day_count[day] < per_day):
                for key, index in dentists:
                    if not _overlaps(start, stop, index):
                        slots.append(Slot(start, stop, key))
                        per_day_count[day] += 1
                        if len(slots) == limit:
                            return slots
                        break
            start += step
    return slots


def slot_is_free(
    start: datetime,
    stop: datetime,
    openings: Iterable[Interval],
    busy: Iterable[Interval],
    earliest: datetime | None,
) -> bool:
    """Whether the slot a patient picks is still free, checked again at that moment
    (someone else may have booked it since the list went out): inside one opening, not
    before ``earliest`` (``None``: nothing may start, not free) and overlapping none of
    ``busy``, the intervals of the dentist it was offered with."""
    _check_aware("start", start)
    _check_aware("stop", stop)
    if stop <= start:
        raise ValueError(f"a slot ends after it starts: {start} >= {stop}")
    merged = normalize(openings)
    index = _busy_index(busy)
    if earliest is None:
        return False
    _check_aware("earliest", earliest)
    if start < earliest:
        return False
    if not any(o_start <= start and stop <= o_end for o_start, o_end in merged):
        return False
    return not _overlaps(start, stop, index)


# -- labels ---------------------------------------------------------------------------

# Only when Babel is missing (never under Odoo, which ships it): CLDR's abbreviations,
# without their dots, for the practice's languages; any other language reads English.
_NAMES = {
    "it": (
        "lun mar mer gio ven sab dom",
        "gen feb mar apr mag giu lug ago set ott nov dic",
    ),
    "es": (
        "lun mar mié jue vie sáb dom",
        "ene feb mar abr may jun jul ago sept oct nov dic",
    ),
    "pt": (
        "seg ter qua qui sex sáb dom",
        "jan fev mar abr mai jun jul ago set out nov dez",
    ),
    "en": (
        "Mon Tue Wed Thu Fri Sat Sun",
        "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
    ),
}

_TRAILING_DOT = re.compile(r"\.(?=[\s,]|$)")


def _babel_locale(lang: str | None):
    # Odoo's "sr@latin" is Babel's "sr_Latn"; "xx_YY" Babel does not know reads "xx".
    lang = (lang or "").replace("@latin", "_Latn")
    for code in (lang, lang.split("_")[0].split("@")[0], "en"):
        if code:
            try:
                return Locale.parse(code)
            except (ValueError, TypeError, UnknownLocaleError):
                continue
    return Locale.parse("en")  # pragma: no cover - Babel always knows English


def _table_label(local: datetime, lang: str | None, with_weekday: bool = True) -> str:
    days, months = _NAMES.get((lang or "").split("_")[0].lower(), _NAMES["en"])
    text = f"{local.day} {months.split()[local.month - 1]}, {local:%H:%M}"
    return f"{days.split()[local.weekday()]} {text}" if with_weekday else text


def slot_label(start: datetime, lang: str | None, tz: tzinfo) -> str:
    """The list row's title as the patient reads it, on the practice's clock (``tz``):
    "gio 26 nov, 10:30" in Italian, "jue 26 nov, 10:30" in Spanish, "Thu 26 Nov, 10:30"
    in English. ``lang`` is an Odoo code (``it_IT``, ``es_ES``, ``pt_BR``); an unknown
    one reads English. Abbreviations lose their dots (Spanish "jue." reads "jue"), so
    the rows look alike in every language, and the title keeps within WhatsApp's 24
    characters: a language whose names are too long loses the weekday first, the time
    is always kept."""
    _check_aware("start", start)
    local = start.astimezone(tz)
    if format_datetime is None:
        labels = [_table_label(local, lang), _table_label(local, lang, with_weekday=False)]
    else:
        locale = _babel_locale(lang)
        labels = [
            _TRAILING_DOT.sub("", format_datetime(local, format=pattern, locale=locale))
            for pattern in (LABEL_FORMAT, _SHORT_FORMAT)
        ]
    for label in labels:
        if len(label) <= LABEL_MAX:
            return label
    return f"{local:%d/%m %H:%M}"  # pragma: no cover - no language's names are that long
