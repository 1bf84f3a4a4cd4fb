"""Care messages: therapy doses, check-ins, birthdays, recalls and the marketing retry,
for practices in Rome and Madrid (Mon-Fri 9-13, 14-19) and their patients."""

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from test_office_hours import practice_week

from dental_whatsapp.tools.care_schedule import (
    NEXT_DAY,
    add_months,
    birthday_on,
    checkin_at,
    format_dose_times,
    marketing_retry_at,
    next_birthday_send,
    parse_dose_times,
    recall_due,
    recall_state,
    therapy_doses,
)

ROME = ZoneInfo("Europe/Rome")
MADRID = ZoneInfo("Europe/Madrid")
UTC = timezone.utc
ALL_DAY = (time(0), time(23, 59))  # a wider window, only to reach the night-time changes

# Clocks go back on Sunday 25 October 2026 and forward on Sunday 28 March 2027.
AUTUMN, SPRING = date(2026, 10, 25), date(2027, 3, 28)


def week(first_day, tz, days=21, holidays=()):
    return practice_week(first_day, days=days, holidays=holidays, tz=tz)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def local(moments, tz):
    return [m.astimezone(tz).strftime("%d %H:%M") for m in moments]


NOV_ROME = week(date(2026, 11, 16), ROME)
OCT_MADRID = week(date(2026, 10, 12), MADRID)
MAR_ROME = week(date(2027, 3, 15), ROME)
MAR_MADRID = week(date(2027, 3, 15), MADRID)


# -- therapy doses --------------------------------------------------------------------


def test_five_days_at_eight_and_eight_are_ten_reminders_in_utc():
    doses = therapy_doses(date(2026, 11, 23), 5, [time(8), time(20)], ROME)
    assert len(doses) == 10
    assert all(d.tzinfo == UTC for d in doses)
    assert doses[0] == utc(2026, 11, 23, 7, 0) and doses[-1] == utc(2026, 11, 27, 19, 0)
    assert local(doses, ROME) == [f"{d} {h}" for d in range(23, 28) for h in ("08:00", "20:00")]


def test_a_dose_keeps_its_wall_clock_time_across_the_spring_change():
    doses = therapy_doses(date(2027, 3, 26), 5, [time(20), time(8)], MADRID)
    assert len(doses) == 10
    assert set(local(doses, MADRID)) == {
        f"{d} {h}" for d in range(26, 31) for h in ("08:00", "20:00")
    }
    # 08:00 is 07:00 UTC in winter time and 06:00 UTC from the Sunday of the change on.
    assert doses[2] == utc(2027, 3, 27, 7, 0)
    assert doses[4] == utc(2027, 3, 28, 6, 0)


def test_a_dose_keeps_its_wall_clock_time_across_the_autumn_change():
    doses = therapy_doses(date(2026, 10, 24), 3, [time(8)], ROME)
    assert doses == [utc(2026, 10, 24, 6, 0), utc(2026, 10, 25, 7, 0), utc(2026, 10, 26, 7, 0)]
    assert local(doses, ROME) == ["24 08:00", "25 08:00", "26 08:00"]


def test_a_time_the_spring_change_skips_moves_to_the_first_minute_that_exists():
    doses = therapy_doses(SPRING - timedelta(days=1), 3, [time(2, 30)], ROME, ALL_DAY)
    assert local(doses, ROME) == ["27 02:30", "28 03:00", "29 02:30"]
    assert doses[1] == utc(2027, 3, 28, 1, 0)


def test_a_time_the_autumn_change_shows_twice_is_the_first_one():
    doses = therapy_doses(AUTUMN, 1, [time(2, 30)], MADRID, ALL_DAY)
    assert doses == [utc(2026, 10, 25, 0, 30)]  # 02:30 summer time, not an hour later
    assert doses[0].astimezone(MADRID).utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize("at", [time(22), time(7, 59), time(20, 1), time(2, 30), time(0)])
def test_a_dose_time_outside_the_care_window_is_refused_by_name(at):
    with pytest.raises(ValueError, match=at.strftime("%H:%M")) as refused:
        therapy_doses(date(2026, 11, 23), 5, [time(8), at], ROME)
    assert "care window 08:00-20:00" in str(refused.value)


def test_the_care_window_includes_both_ends_and_can_be_narrowed():
    assert len(therapy_doses(date(2026, 11, 23), 1, [time(8), time(20)], ROME)) == 2
    with pytest.raises(ValueError, match="20:00"):
        therapy_doses(date(2026, 11, 23), 1, [time(20)], ROME, (time(9), time(19)))


def test_a_plan_set_up_in_the_afternoon_skips_the_morning_dose():
    started = datetime(2026, 11, 23, 14, 0, tzinfo=ROME)
    doses = therapy_doses(date(2026, 11, 23), 5, [time(8), time(20)], ROME, not_before=started)
    assert len(doses) == 9
    assert local(doses, ROME)[0] == "23 20:00"
    assert local(doses, ROME)[-1] == "27 20:00"  # the plan still ends on its fifth day


def test_a_dose_at_the_very_moment_the_plan_starts_is_kept():
    started = datetime(2026, 11, 23, 20, 0, tzinfo=ROME)
    doses = therapy_doses(date(2026, 11, 23), 2, [time(8), time(20)], ROME, not_before=started)
    assert local(doses, ROME) == ["23 20:00", "24 08:00", "24 20:00"]


def test_the_same_time_twice_is_one_reminder():
    assert len(therapy_doses(date(2026, 11, 23), 3, [time(8), time(8), time(20)], ROME)) == 6


def test_a_plan_needs_days_times_a_calendar_day_and_an_aware_start():
    day = date(2026, 11, 23)
    for days in (0, -1, True):
        with pytest.raises(ValueError):
            therapy_doses(day, days, [time(8)], ROME)
    with pytest.raises(ValueError):
        therapy_doses(day, 5, [], ROME)
    with pytest.raises(ValueError):
        therapy_doses(day, 5, [time(8, tzinfo=UTC)], ROME)
    with pytest.raises(TypeError):
        therapy_doses(datetime(2026, 11, 23, 8), 5, [time(8)], ROME)
    with pytest.raises(ValueError):
        therapy_doses(day, 5, [time(8)], ROME, not_before=datetime(2026, 11, 23, 9))


def test_no_dose_falls_at_night_over_a_month_with_a_change():
    doses = therapy_doses(date(2027, 3, 10), 30, [time(8), time(13, 30), time(20)], ROME)
    assert len(doses) == 90
    assert all(time(8) <= d.astimezone(ROME).time() <= time(20) for d in doses)
    assert doses == sorted(doses)


# -- post-operative check-in ----------------------------------------------------------


def test_next_day_check_in_is_at_the_next_mornings_opening():
    end = datetime(2026, 11, 25, 17, 30, tzinfo=ROME)  # Wednesday
    assert checkin_at(end, NEXT_DAY, NOV_ROME, ROME) == utc(2026, 11, 26, 8, 0)


def test_next_day_check_in_after_a_friday_extraction_is_on_monday():
    end = datetime(2026, 11, 27, 18, 0, tzinfo=ROME)
    assert checkin_at(end, NEXT_DAY, NOV_ROME, ROME) == utc(2026, 11, 30, 8, 0)


def test_next_day_check_in_even_when_the_visit_ends_before_opening():
    end = datetime(2026, 11, 25, 8, 30, tzinfo=ROME)  # an early emergency slot
    assert checkin_at(end, NEXT_DAY, NOV_ROME, ROME) == utc(2026, 11, 26, 8, 0)


def test_next_day_is_the_practices_day_not_utcs():
    # An emergency that ends at 00:30 on Thursday in Rome (23:30 UTC on Wednesday):
    # the day after, for the patient, is Friday.
    end = utc(2026, 11, 25, 23, 30)
    assert checkin_at(end, NEXT_DAY, NOV_ROME, ROME) == utc(2026, 11, 27, 8, 0)


def test_next_day_check_in_over_the_autumn_weekend_is_in_winter_time():
    end = datetime(2026, 10, 23, 18, 0, tzinfo=MADRID)  # Friday, summer time
    due = checkin_at(end, NEXT_DAY, OCT_MADRID, MADRID)
    assert due == utc(2026, 10, 26, 8, 0)
    assert due.astimezone(MADRID).time() == time(9)


def test_hours_after_the_end_when_the_practice_is_open():
    end = datetime(2026, 11, 24, 10, 0, tzinfo=ROME)
    assert checkin_at(end, timedelta(hours=24), NOV_ROME, ROME) == utc(2026, 11, 25, 9, 0)


@pytest.mark.parametrize(
    ("end", "hours", "expected"),
    [
        ((2026, 11, 25, 17, 0), 4, (2026, 11, 26, 9, 0)),  # 21:00: the next morning
        ((2026, 11, 25, 11, 30), 2, (2026, 11, 25, 14, 0)),  # 13:30: after lunch
        ((2026, 11, 27, 11, 0), 24, (2026, 11, 30, 9, 0)),  # Saturday: Monday
    ],
)
def test_hours_after_the_end_when_closed_wait_for_the_next_opening(end, hours, expected):
    due = checkin_at(datetime(*end, tzinfo=ROME), timedelta(hours=hours), NOV_ROME, ROME)
    assert due == datetime(*expected, tzinfo=ROME)


def test_hours_are_elapsed_time_across_the_spring_change():
    # Friday 10:00 winter time + 72 hours is Monday 11:00 on the clock (summer time).
    end = datetime(2027, 3, 26, 10, 0, tzinfo=ROME)
    due = checkin_at(end, timedelta(hours=72), MAR_ROME, ROME)
    assert due == utc(2027, 3, 29, 9, 0)
    assert due.astimezone(ROME).time() == time(11)


def test_no_check_in_without_an_opening_in_the_intervals():
    end = datetime(2026, 12, 4, 18, 0, tzinfo=ROME)  # after the last interval given
    assert checkin_at(end, NEXT_DAY, NOV_ROME, ROME) is None
    assert checkin_at(end, timedelta(hours=24), NOV_ROME, ROME) is None
    assert checkin_at(end, NEXT_DAY, [], ROME) is None


def test_a_check_in_rule_is_next_day_or_a_positive_delay():
    end = datetime(2026, 11, 25, 17, 0, tzinfo=ROME)
    for rule in ("tomorrow", timedelta(0), timedelta(hours=-2), 24):
        with pytest.raises(ValueError):
            checkin_at(end, rule, NOV_ROME, ROME)
    with pytest.raises(ValueError):
        checkin_at(datetime(2026, 11, 25, 17, 0), NEXT_DAY, NOV_ROME, ROME)


# -- birthdays ------------------------------------------------------------------------


def test_a_29_february_birthday_is_kept_on_28_february_without_a_leap_day():
    leapling = date(2000, 2, 29)
    assert birthday_on(leapling, 2027) == date(2027, 2, 28)
    assert birthday_on(leapling, 2028) == date(2028, 2, 29)
    assert birthday_on(leapling, 2100) == date(2100, 2, 28)  # not a leap year
    assert birthday_on(date(1985, 12, 31), 2026) == date(2026, 12, 31)
    assert birthday_on(date(1985, 2, 28), 2028) == date(2028, 2, 28)


def test_the_wish_goes_at_the_set_hour_on_the_birthday():
    now = datetime(2026, 11, 20, 12, 0, tzinfo=ROME)
    due = next_birthday_send(date(1980, 12, 3), now, ROME, 10)
    assert due == utc(2026, 12, 3, 9, 0)
    assert due.astimezone(ROME) == datetime(2026, 12, 3, 10, 0, tzinfo=ROME)


def test_on_the_birthday_before_the_hour_it_waits_for_the_hour():
    now = datetime(2026, 12, 3, 7, 0, tzinfo=ROME)
    assert next_birthday_send(date(1980, 12, 3), now, ROME, 10) == utc(2026, 12, 3, 9, 0)


def test_on_the_birthday_after_the_hour_and_not_sent_it_goes_at_once():
    now = datetime(2026, 12, 3, 16, 45, tzinfo=ROME)
    assert next_birthday_send(date(1980, 12, 3), now, ROME, 10) == now


def test_once_sent_this_year_the_next_is_next_year():
    now = datetime(2026, 12, 3, 16, 45, tzinfo=ROME)
    sent = datetime(2026, 12, 3, 10, 0, tzinfo=ROME)
    assert next_birthday_send(date(1980, 12, 3), now, ROME, 10, sent) == utc(2027, 12, 3, 9, 0)


def test_no_belated_wish_the_day_after():
    now = datetime(2026, 12, 4, 8, 0, tzinfo=ROME)  # the server was down on the 3rd
    assert next_birthday_send(date(1980, 12, 3), now, ROME, 10) == utc(2027, 12, 3, 9, 0)


def test_the_birthday_is_the_patients_day_not_utcs():
    # 23:30 UTC on 31 December is already 1 January in Madrid: today is the birthday.
    now = utc(2026, 12, 31, 23, 30)
    due = next_birthday_send(date(1990, 1, 1), now, MADRID, 9)
    assert due == datetime(2027, 1, 1, 9, 0, tzinfo=MADRID)
    # At 22:30 UTC on 1 January it is 23:30 in Madrid: still the day, so at once.
    late = utc(2027, 1, 1, 22, 30)
    assert next_birthday_send(date(1990, 1, 1), late, MADRID, 9) == late
    # An hour later it is 2 January in Madrid: next year.
    later = utc(2027, 1, 1, 23, 30)
    assert next_birthday_send(date(1990, 1, 1), later, MADRID, 9) == utc(2028, 1, 1, 8, 0)


def test_a_leapling_is_wished_on_28_february_then_29_february():
    birth = date(1996, 2, 29)
    now = datetime(2027, 2, 1, 9, 0, tzinfo=MADRID)
    due = next_birthday_send(birth, now, MADRID, 10)
    assert due.astimezone(MADRID) == datetime(2027, 2, 28, 10, 0, tzinfo=MADRID)
    sent = due
    nxt = next_birthday_send(birth, datetime(2027, 3, 1, 9, 0, tzinfo=MADRID), MADRID, 10, sent)
    assert nxt.astimezone(MADRID) == datetime(2028, 2, 29, 10, 0, tzinfo=MADRID)


def test_a_birthday_on_the_day_of_the_spring_change_keeps_its_hour():
    due = next_birthday_send(date(1970, 3, 28), utc(2027, 3, 1, 12, 0), ROME, 9)
    assert due == utc(2027, 3, 28, 7, 0)  # 09:00 summer time
    gap = next_birthday_send(date(1970, 3, 28), utc(2027, 3, 1, 12, 0), ROME, 2)
    assert gap.astimezone(ROME).time() == time(3)  # 02:00 does not exist that night


def test_a_baby_has_its_first_birthday_a_year_later():
    now = datetime(2026, 11, 20, 8, 0, tzinfo=ROME)
    assert next_birthday_send(date(2026, 11, 20), now, ROME, 10) == utc(2027, 11, 20, 9, 0)


def test_no_birth_date_no_wish_and_bad_input_is_loud():
    now = datetime(2026, 11, 20, 8, 0, tzinfo=ROME)
    assert next_birthday_send(None, now, ROME, 10) is None
    assert next_birthday_send(False, now, ROME, 10) is None  # Odoo's empty date
    assert next_birthday_send(date(1980, 1, 1), now, ROME, 10, False) == utc(2027, 1, 1, 9, 0)
    for hour in (24, -1, 9.5, True):
        with pytest.raises(ValueError):
            next_birthday_send(date(1980, 1, 1), now, ROME, hour)
    with pytest.raises(ValueError):
        next_birthday_send(date(1980, 1, 1), datetime(2026, 11, 20, 8), ROME, 10)


def test_an_hourly_run_over_two_years_sends_exactly_once_each_birthday():
    birth, sent = date(1988, 2, 29), []
    moment = utc(2026, 12, 31, 0, 0)
    while moment < utc(2029, 1, 1, 0, 0):
        due = next_birthday_send(birth, moment, ROME, 10, sent[-1] if sent else None)
        if due <= moment:
            sent.append(moment)
        moment += timedelta(hours=1)
    assert [s.astimezone(ROME).strftime("%Y-%m-%d %H:%M") for s in sent] == [
        "2027-02-28 10:00",
        "2028-02-29 10:00",
    ]


# -- recall ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 3, 31), 6, date(2026, 9, 30)),
        (date(2026, 3, 15), 6, date(2026, 9, 15)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 31), 12, date(2027, 12, 31)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
    ],
)
def test_months_are_added_by_the_calendar(day, months, expected):
    assert add_months(day, months) == expected


def test_recall_dates_six_months_then_three_weeks():
    assert recall_due(date(2026, 8, 31), 6, 3) == (date(2027, 2, 28), date(2027, 3, 21))
    assert recall_due(date(2027, 8, 31), 6, 3) == (date(2028, 2, 29), date(2028, 3, 21))
    for args in ((0, 3), (6, 0), (-6, 3)):
        with pytest.raises(ValueError):
            recall_due(date(2026, 8, 31), *args)
    with pytest.raises(TypeError):
        recall_due(datetime(2026, 8, 31, 10), 6, 3)


FIRST, SECOND = date(2027, 2, 28), date(2027, 3, 21)


@pytest.mark.parametrize(
    ("today", "sent", "expected"),
    [
        (date(2027, 2, 27), None, None),
        (FIRST, None, "first"),
        (date(2027, 3, 2), None, "first"),  # the run missed the 28th: still the first
        (date(2027, 3, 2), "first", None),
        (date(2027, 3, 20), "first", None),
        (SECOND, "first", "second"),
        (date(2027, 4, 1), "first", "second"),
        (SECOND, None, "second"),  # the first never went: one message, not two
        (date(2027, 3, 22), "second", "stop"),
    ],
)
def test_recall_state_by_day(today, sent, expected):
    assert recall_state(FIRST, SECOND, today, False, False, sent=sent) == expected


def test_a_booking_or_an_answer_stops_the_recall_on_any_day():
    for today in (date(2027, 2, 1), FIRST, date(2027, 3, 10), SECOND):
        assert recall_state(FIRST, SECOND, today, True, False) == "stop"
        assert recall_state(FIRST, SECOND, today, False, True) == "stop"


def test_a_daily_run_sends_the_first_then_the_second_then_stops():
    sent, day, log = None, date(2027, 2, 1), []
    while day < date(2027, 5, 1):
        todo = recall_state(FIRST, SECOND, day, False, False, sent=sent)
        if todo in ("first", "second"):
            sent = todo
            log.append((todo, day))
        elif todo == "stop":
            break
        day += timedelta(days=1)
    assert log == [("first", FIRST), ("second", SECOND)]
    assert day == SECOND + timedelta(days=1)


def test_a_booking_after_the_first_means_no_second():
    sent, log = None, []
    for n in range(60):
        day = FIRST + timedelta(days=n)
        todo = recall_state(FIRST, SECOND, day, day >= date(2027, 3, 5), False, sent=sent)
        if todo == "stop":
            break
        if todo:
            sent = todo
            log.append(todo)
    assert log == ["first"]


def test_recall_state_refuses_inconsistent_input():
    with pytest.raises(ValueError):
        recall_state(SECOND, FIRST, FIRST, False, False)
    with pytest.raises(ValueError):
        recall_state(FIRST, SECOND, FIRST, False, False, sent="third")


# -- retry after Meta's per-user marketing limit (131049) -----------------------------


def test_a_refused_marketing_message_is_retried_at_the_next_days_opening():
    failed = datetime(2026, 11, 25, 10, 0, tzinfo=ROME)
    assert marketing_retry_at(failed, ROME, NOV_ROME) == utc(2026, 11, 26, 8, 0)


def test_never_the_same_day_even_before_that_days_opening():
    failed = datetime(2026, 11, 25, 7, 30, tzinfo=ROME)
    assert marketing_retry_at(failed, ROME, NOV_ROME) == utc(2026, 11, 26, 8, 0)
    # 23:30 UTC on Tuesday is Wednesday in Rome: Wednesday's opening is the same day.
    assert marketing_retry_at(utc(2026, 11, 24, 23, 30), ROME, NOV_ROME) == utc(2026, 11, 26, 8, 0)


def test_a_friday_refusal_is_retried_on_monday_and_holidays_are_skipped():
    friday = datetime(2026, 11, 27, 15, 0, tzinfo=MADRID)
    assert marketing_retry_at(friday, MADRID, week(date(2026, 11, 16), MADRID)) == utc(
        2026, 11, 30, 8, 0
    )
    december = week(date(2026, 12, 1), MADRID, holidays={date(2026, 12, 8)})  # Inmaculada
    monday = datetime(2026, 12, 7, 11, 0, tzinfo=MADRID)
    assert marketing_retry_at(monday, MADRID, december) == utc(2026, 12, 9, 8, 0)


def test_the_retry_over_the_spring_weekend_opens_at_nine_summer_time():
    failed = datetime(2027, 3, 26, 12, 0, tzinfo=MADRID)
    due = marketing_retry_at(failed, MADRID, MAR_MADRID)
    assert due == utc(2027, 3, 29, 7, 0)
    assert due.astimezone(MADRID).time() == time(9)


def test_no_retry_without_a_later_opening():
    failed = datetime(2026, 12, 4, 10, 0, tzinfo=ROME)  # the last day given
    assert marketing_retry_at(failed, ROME, NOV_ROME) is None
    with pytest.raises(ValueError):
        marketing_retry_at(datetime(2026, 11, 25, 10, 0), ROME, NOV_ROME)


# -- dose times as the dentist writes them ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08:00, 20:00", [time(8), time(20)]),
        ("20:00; 8:00", [time(8), time(20)]),
        ("8.30 e 14 e 20h00", [time(8, 30), time(14), time(20)]),
        ("9:00 and 21:00", [time(9), time(21)]),
        ("12", [time(12)]),
    ],
)
def test_dose_times_are_read_as_written_and_sorted(text, expected):
    assert parse_dose_times(text) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "no dose time"),
        ("08:00, 25:00", "'25:00' is not a time"),
        ("morning", "'morning' is not a time"),
        ("08:00, 08:30", "less than an hour apart"),
        ("08:00, 08:00", "less than an hour apart"),
    ],
)
def test_a_dose_time_that_cannot_be_meant_is_refused_by_name(text, words):
    with pytest.raises(ValueError, match=words):
        parse_dose_times(text)


def test_dose_times_read_back_as_the_plan_shows_them():
    assert format_dose_times([time(20), time(8, 5)]) == "08:05, 20:00"


class _PytzLike(ZoneInfo):
    """What Odoo hands over (a pytz zone): it names its zone and has ``localize``; its
    offsets through ``replace(tzinfo=...)`` are wrong, so the schedule must not use it
    that way. Here the offsets are a fixed, visibly wrong +00:17 to show it."""

    zone = "Europe/Rome"

    def utcoffset(self, dt):
        return timedelta(minutes=17)

    def dst(self, dt):
        return timedelta(0)

    def localize(self, dt):  # pragma: no cover - only its presence matters
        raise AssertionError("not called")


def test_odoo_s_pytz_zones_give_the_same_wall_clock_as_the_standard_ones():
    day, times = date(2026, 11, 30), [time(8), time(20)]
    doses = therapy_doses(day, 1, times, _PytzLike("UTC"))
    assert doses == therapy_doses(day, 1, times, ROME)
    assert [d.hour for d in doses] == [7, 19]  # Rome is UTC+1 in winter
