"""When appointment reminders go out, on a practice week in Rome (Mon-Fri 9-13, 14-19)."""

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from dental_whatsapp.tools.reminder_schedule import (
    NO_OPENING,
    TOO_LATE,
    due_time,
    still_worth_sending,
)

ROME = ZoneInfo("Europe/Rome")
UTC = timezone.utc
H48, H2 = timedelta(hours=48), timedelta(hours=2)


def week(first_day, days=21, holidays=()):
    intervals = []
    for n in range(days):
        day = first_day + timedelta(days=n)
        if day.weekday() >= 5 or day in holidays:
            continue
        for start, end in ((time(9), time(13)), (time(14), time(19))):
            intervals.append((datetime.combine(day, start, ROME), datetime.combine(day, end, ROME)))
    return intervals


NOV = week(date(2026, 11, 16))
OCT_DST = week(date(2026, 10, 12))  # clocks go back on Sunday 25 October 2026
MAR_DST = week(date(2027, 3, 15))  # clocks go forward on Sunday 28 March 2027


def rome(*args):
    return datetime(*args, tzinfo=ROME)


def test_inside_hours_the_reminder_goes_at_its_exact_time():
    due, reason = due_time(rome(2026, 11, 26, 10, 30), H48, NOV, ROME)
    assert (due, reason) == (rome(2026, 11, 24, 10, 30), None)
    due, _ = due_time(rome(2026, 11, 26, 16, 0), H2, NOV, ROME)
    assert due == rome(2026, 11, 26, 14, 0)


def test_a_48h_reminder_on_a_sunday_goes_on_friday_evening():
    due, _ = due_time(rome(2026, 11, 30, 10, 0), H48, NOV, ROME)  # Monday
    assert due == rome(2026, 11, 27, 18, 59)


def test_lunch_break_moves_a_same_day_reminder_earlier_the_same_day():
    due, _ = due_time(rome(2026, 11, 25, 15, 30), H2, NOV, ROME)  # 13:30 is lunch
    assert due == rome(2026, 11, 25, 12, 59)


def test_a_same_day_reminder_is_never_moved_to_the_evening_before():
    # 10:30 appointment: 08:30 is closed; the opening at 09:00 still leaves 90 minutes.
    due, _ = due_time(rome(2026, 11, 25, 10, 30), H2, NOV, ROME)
    assert due == rome(2026, 11, 25, 9, 0)
    assert due.date() == date(2026, 11, 25)


def test_a_same_day_reminder_with_less_than_an_hour_left_is_skipped():
    assert due_time(rome(2026, 11, 25, 9, 30), H2, NOV, ROME) == (None, TOO_LATE)
    assert due_time(rome(2026, 11, 25, 9, 59), H2, NOV, ROME) == (None, TOO_LATE)
    due, _ = due_time(rome(2026, 11, 25, 10, 0), H2, NOV, ROME)
    assert due == rome(2026, 11, 25, 9, 0)


def test_no_reminder_when_the_practice_was_closed_all_along():
    assert due_time(rome(2026, 11, 18, 10, 0), H48, week(date(2026, 11, 17)), ROME) == (
        None,
        NO_OPENING,
    )


def test_dst_autumn_friday_evening_is_in_summer_time():
    # Monday 26 Oct 2026 09:30 CET (UTC+1); 48 h earlier is Saturday: closed. The last
    # opening is Friday 23 Oct, still summer time (UTC+2): 18:59 CEST = 16:59 UTC.
    due, _ = due_time(rome(2026, 10, 26, 9, 30), H48, OCT_DST, ROME)
    assert due.astimezone(UTC) == datetime(2026, 10, 23, 16, 59, tzinfo=UTC)


def test_dst_spring_48_hours_are_elapsed_time_not_wall_clock():
    # Tuesday 30 Mar 2027 at 10:00 CEST is 08:00 UTC; 48 elapsed hours earlier is
    # Sunday 08:00 UTC (closed), so Friday 26 March 18:59 CET = 17:59 UTC.
    due, _ = due_time(rome(2027, 3, 30, 10, 0), H48, MAR_DST, ROME)
    assert due.astimezone(UTC) == datetime(2027, 3, 26, 17, 59, tzinfo=UTC)
    # Monday 29 March 11:00 CEST: 2 hours earlier is 09:00 CEST = 07:00 UTC.
    due, _ = due_time(rome(2027, 3, 29, 11, 0), H2, MAR_DST, ROME)
    assert due.astimezone(UTC) == datetime(2027, 3, 29, 7, 0, tzinfo=UTC)


def test_holiday_moves_the_reminder_before_the_holiday():
    holidays = week(date(2026, 12, 1), holidays={date(2026, 12, 8)})  # Immacolata
    due, _ = due_time(rome(2026, 12, 10, 9, 0), H48, holidays, ROME)  # Thursday
    assert due == rome(2026, 12, 7, 18, 59)


def test_never_later_than_the_appointment_nor_at_night():
    for day in range(23, 28):
        for hour in (9, 10, 12, 14, 15, 18):
            start = rome(2026, 11, day, hour, 0)
            for offset in (H48, H2, timedelta(hours=24), timedelta(hours=1)):
                due, reason = due_time(start, offset, NOV, ROME)
                if due is None:
                    assert reason in (TOO_LATE, NO_OPENING)
                    continue
                assert due < start
                local = due.astimezone(ROME)
                assert local.weekday() < 5
                assert time(9) <= local.time() < time(19)
                assert not time(13) <= local.time() < time(14)


def test_naive_start_is_refused():
    with pytest.raises(ValueError):
        due_time(datetime(2026, 11, 26, 10, 0), H48, NOV, ROME)


def test_late_reminders_are_dropped_in_the_last_hour():
    start = rome(2026, 11, 26, 10, 0)
    assert still_worth_sending(start, rome(2026, 11, 26, 8, 59))
    assert still_worth_sending(start, rome(2026, 11, 26, 9, 0))
    assert not still_worth_sending(start, rome(2026, 11, 26, 9, 1))
    assert not still_worth_sending(start, rome(2026, 11, 26, 11, 0))
