"""Office-hours maths on a real practice's week, in Rome, across holidays and DST."""

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from dental_whatsapp.tools.office_hours import (
    is_open,
    latest_opening_at_or_before,
    next_opening,
    normalize,
)

ROME = ZoneInfo("Europe/Rome")
UTC = timezone.utc
SHIFTS = ((time(9), time(13)), (time(14), time(19)))  # Mon-Fri, lunch 13-14


def rome(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=ROME)


def practice_week(first_day, days=14, holidays=(), tz=ROME):
    """The intervals resource.calendar would give: Mon-Fri 9-13 and 14-19, in ``tz``
    (Rome by default), holidays skipped."""
    intervals = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        if day.weekday() >= 5 or day in holidays:
            continue
        for start, end in SHIFTS:
            intervals.append((datetime.combine(day, start, tz), datetime.combine(day, end, tz)))
    return intervals


# Friday 3 April 2026; Monday 6 April 2026 is Easter Monday (Pasquetta), a holiday.
EASTER = practice_week(date(2026, 3, 30), holidays={date(2026, 4, 6)})


def test_friday_night_message_waits_for_tuesday_after_a_monday_holiday():
    friday_night = rome(2026, 4, 3, 21, 30)
    assert not is_open(friday_night, EASTER)
    opening = next_opening(friday_night, EASTER)
    assert opening == rome(2026, 4, 7, 9)
    assert opening.astimezone(UTC) == datetime(2026, 4, 7, 7, tzinfo=UTC)  # CEST


def test_same_answer_when_asked_in_utc():
    friday_night_utc = datetime(2026, 4, 3, 19, 30, tzinfo=UTC)  # 21:30 in Rome
    assert next_opening(friday_night_utc, EASTER) == rome(2026, 4, 7, 9)


def test_lunch_break():
    lunch = rome(2026, 4, 2, 13, 20)
    assert not is_open(lunch, EASTER)
    assert next_opening(lunch, EASTER) == rome(2026, 4, 2, 14)
    assert is_open(rome(2026, 4, 2, 12, 59), EASTER)


def test_open_moment_is_its_own_next_opening():
    moment = rome(2026, 4, 2, 10, 17)
    assert is_open(moment, EASTER)
    assert next_opening(moment, EASTER) == moment


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (rome(2026, 4, 2, 9), True),  # start inclusive
        (rome(2026, 4, 2, 8, 59), False),
        (rome(2026, 4, 2, 13), False),  # end exclusive
        (rome(2026, 4, 2, 12, 59), True),
        (rome(2026, 4, 2, 14), True),
        (rome(2026, 4, 2, 19), False),
        (rome(2026, 4, 2, 18, 59), True),
        (rome(2026, 4, 4, 10), False),  # Saturday
        (rome(2026, 4, 6, 10), False),  # Easter Monday
    ],
    ids=["09:00", "08:59", "13:00", "12:59", "14:00", "19:00", "18:59", "saturday", "holiday"],
)
def test_boundaries(moment, expected):
    assert is_open(moment, EASTER) is expected


def test_closing_time_is_already_closed():
    assert next_opening(rome(2026, 4, 2, 19), EASTER) == rome(2026, 4, 3, 9)
    assert next_opening(rome(2026, 4, 2, 13), EASTER) == rome(2026, 4, 2, 14)


def test_nothing_after_the_last_interval():
    assert next_opening(rome(2026, 4, 30, 10), EASTER) is None
    assert next_opening(rome(2026, 4, 2, 10), []) is None


# Last Sunday of October 2026 is the 25th (CEST -> CET); of March 2026 the 29th.
def test_autumn_dst_change_keeps_nine_local():
    week = practice_week(date(2026, 10, 19))
    friday = next_opening(rome(2026, 10, 22, 20), week)
    monday = next_opening(rome(2026, 10, 24, 12), week)
    assert friday.astimezone(UTC) == datetime(2026, 10, 23, 7, tzinfo=UTC)
    assert monday.astimezone(UTC) == datetime(2026, 10, 26, 8, tzinfo=UTC)
    assert (monday.astimezone(ROME).hour, monday.astimezone(ROME).minute) == (9, 0)


def test_spring_dst_change_keeps_nine_local():
    week = practice_week(date(2026, 3, 23))
    friday = next_opening(rome(2026, 3, 26, 20), week)
    monday = next_opening(datetime(2026, 3, 29, 1, 30, tzinfo=UTC), week)  # the night of
    assert friday.astimezone(UTC) == datetime(2026, 3, 27, 8, tzinfo=UTC)
    assert monday.astimezone(UTC) == datetime(2026, 3, 30, 7, tzinfo=UTC)
    assert monday.astimezone(ROME).hour == 9


def test_reminder_before_an_early_tuesday_appointment_goes_monday_before_closing():
    week = practice_week(date(2026, 4, 13))
    target = rome(2026, 4, 14, 7)  # Tuesday 07:00, practice closed
    sent = latest_opening_at_or_before(target, week)
    assert sent == rome(2026, 4, 13, 18, 59)
    assert is_open(sent, week)


def test_reminder_target_inside_opening_hours_is_kept():
    week = practice_week(date(2026, 4, 13))
    target = rome(2026, 4, 14, 10, 30)
    assert latest_opening_at_or_before(target, week) == target


def test_reminder_target_in_lunch_break_goes_before_lunch():
    week = practice_week(date(2026, 4, 13))
    sent = latest_opening_at_or_before(rome(2026, 4, 14, 13, 30), week, margin=timedelta(hours=5))
    assert sent == rome(2026, 4, 14, 9)  # margin longer than the shift: its start
    sent = latest_opening_at_or_before(
        rome(2026, 4, 14, 13, 30), week, margin=timedelta(minutes=10)
    )
    assert sent == rome(2026, 4, 14, 12, 50)


def test_reminder_target_at_a_closing_time_goes_a_margin_before():
    week = practice_week(date(2026, 4, 13))
    assert latest_opening_at_or_before(rome(2026, 4, 14, 19), week) == rome(2026, 4, 14, 18, 59)
    assert latest_opening_at_or_before(rome(2026, 4, 14, 9), week) == rome(2026, 4, 14, 9)


def test_reminder_over_a_weekend_and_a_holiday():
    # Tuesday 7 April 08:00 after Easter Monday: the last opening is Friday 3 April.
    assert latest_opening_at_or_before(rome(2026, 4, 7, 8), EASTER) == rome(2026, 4, 3, 18, 59)


def test_reminder_not_before():
    week = practice_week(date(2026, 4, 13))
    target = rome(2026, 4, 14, 7)
    now = rome(2026, 4, 13, 20)  # Monday evening: Monday's slot has passed
    assert latest_opening_at_or_before(target, week, not_before=now) is None
    earlier = rome(2026, 4, 13, 18)
    assert latest_opening_at_or_before(target, week, not_before=earlier) == rome(
        2026, 4, 13, 18, 59
    )


def test_reminder_with_no_opening_before_the_target():
    week = practice_week(date(2026, 4, 13))
    assert latest_opening_at_or_before(rome(2026, 4, 13, 8), week) is None


def test_margin_must_be_positive():
    with pytest.raises(ValueError):
        latest_opening_at_or_before(rome(2026, 4, 14, 7), EASTER, margin=timedelta(0))


def test_normalize_sorts_and_merges_mixed_time_zones():
    a = (rome(2026, 4, 2, 14), rome(2026, 4, 2, 19))
    b = (rome(2026, 4, 2, 9), rome(2026, 4, 2, 13))
    # 11:00-14:30 Rome written in UTC overlaps both
    c = (datetime(2026, 4, 2, 9, tzinfo=UTC), datetime(2026, 4, 2, 12, 30, tzinfo=UTC))
    empty = (rome(2026, 4, 3, 9), rome(2026, 4, 3, 9))
    merged = normalize([a, empty, c, b])
    assert merged == [(rome(2026, 4, 2, 9), rome(2026, 4, 2, 19))]
    assert is_open(rome(2026, 4, 2, 13, 30), [a, c, b])


def test_touching_intervals_merge_and_stay_open_at_the_seam():
    first = (rome(2026, 4, 2, 9), rome(2026, 4, 2, 13))
    second = (rome(2026, 4, 2, 13), rome(2026, 4, 2, 19))
    assert normalize([second, first]) == [(rome(2026, 4, 2, 9), rome(2026, 4, 2, 19))]
    assert is_open(rome(2026, 4, 2, 13), [second, first])


def test_reversed_interval_is_refused():
    with pytest.raises(ValueError):
        normalize([(rome(2026, 4, 2, 13), rome(2026, 4, 2, 9))])


NAIVE = datetime(2026, 4, 2, 10)


@pytest.mark.parametrize(
    "call",
    [
        lambda: is_open(NAIVE, EASTER),
        lambda: next_opening(NAIVE, EASTER),
        lambda: latest_opening_at_or_before(NAIVE, EASTER),
        lambda: latest_opening_at_or_before(rome(2026, 4, 2, 10), EASTER, not_before=NAIVE),
        lambda: normalize([(NAIVE, NAIVE + timedelta(hours=1))]),
        lambda: is_open(rome(2026, 4, 2, 10), [(NAIVE, rome(2026, 4, 2, 11))]),
        lambda: next_opening(rome(2026, 4, 2, 10), [*EASTER, (NAIVE, NAIVE)]),
    ],
    ids=["is_open", "next_opening", "latest", "not_before", "normalize", "mixed", "in-list"],
)
def test_naive_datetimes_raise(call):
    with pytest.raises(ValueError):
        call()
