"""Free times offered to a patient on WhatsApp, for a practice in Rome (Mon-Fri 9-13 and
14-19), with its dentists' diaries, holidays, notice rules and the clock changes."""

import importlib.util
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from test_office_hours import practice_week

from dental_whatsapp.tools import slots as slots_module
from dental_whatsapp.tools.slots import (
    Slot,
    earliest_start,
    free_slots,
    slot_is_free,
    slot_label,
)

ROME = ZoneInfo("Europe/Rome")
UTC = timezone.utc
HALF_HOUR, HOUR = timedelta(minutes=30), timedelta(hours=1)
HAS_BABEL = importlib.util.find_spec("babel") is not None

# Monday 23 November 2026 to Friday 4 December 2026: an ordinary fortnight.
NOV = practice_week(date(2026, 11, 23))
# Friday 3 April 2026; Monday 6 April 2026 is Easter Monday (Pasquetta), a holiday.
EASTER = practice_week(date(2026, 3, 30), holidays={date(2026, 4, 6)})


def rome(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=ROME)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def local(found):
    """The slots as the receptionist reads them on the practice's clock: "23 09:30"."""
    return [s.start.astimezone(ROME).strftime("%d %H:%M") for s in found]


def times(found):
    return [s.start.astimezone(ROME).strftime("%H:%M") for s in found]


def one_day(day, duration=HALF_HOUR, busy=(), **kwargs):
    """Every free time of one day (no daily cap), for one dentist."""
    kwargs.setdefault("limit", 100)
    kwargs.setdefault("per_day", None)
    openings = practice_week(day, days=1)
    return free_slots(openings, {"rossi": busy}, duration, rome(2026, 1, 1), ROME, **kwargs)


MONDAY = date(2026, 11, 23)


# -- the diary ------------------------------------------------------------------------


def test_an_empty_diary_offers_three_times_a_day_over_three_days_in_utc():
    found = free_slots(NOV, {"rossi": []}, HALF_HOUR, rome(2026, 11, 23, 8), ROME)
    assert local(found) == [
        "23 09:00", "23 09:30", "23 10:00",
        "24 09:00", "24 09:30", "24 10:00",
        "25 09:00", "25 09:30", "25 10:00",
    ]  # fmt: skip
    assert found[0] == Slot(utc(2026, 11, 23, 8, 0), utc(2026, 11, 23, 8, 30), "rossi")
    assert all(s.start.tzinfo == UTC and s.stop.tzinfo == UTC for s in found)
    assert all(s.stop - s.start == HALF_HOUR for s in found)


def test_booked_appointments_are_skipped():
    busy = [(rome(2026, 11, 23, 9), rome(2026, 11, 23, 10, 15))]  # a long first visit
    assert times(one_day(MONDAY, busy=busy))[:3] == ["10:30", "11:00", "11:30"]


def test_a_half_hour_booking_in_the_middle_frees_the_time_right_after_it():
    busy = [(rome(2026, 11, 23, 10), rome(2026, 11, 23, 10, 30))]
    offered = times(one_day(MONDAY, busy=busy))
    assert offered[:4] == ["09:00", "09:30", "10:30", "11:00"]  # 09:30 ends as it starts
    assert "10:00" not in offered


def test_a_booking_given_in_utc_blocks_the_same_local_time():
    busy = [(utc(2026, 11, 23, 9), utc(2026, 11, 23, 9, 30))]  # 10:00 in Rome
    assert "10:00" not in times(one_day(MONDAY, busy=busy))
    assert "09:30" in times(one_day(MONDAY, busy=busy))


def test_an_hour_long_visit_never_runs_into_lunch_or_past_closing():
    offered = times(one_day(MONDAY, duration=HOUR))
    assert offered == [
        "09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00",
        "14:00", "14:30", "15:00", "15:30", "16:00", "16:30", "17:00", "17:30", "18:00",
    ]  # fmt: skip
    assert "12:30" not in offered and "18:30" not in offered


def test_a_ninety_minute_visit_on_the_half_hour_grid():
    found = one_day(MONDAY, duration=timedelta(minutes=90))
    assert times(found) == [
        "09:00", "09:30", "10:00", "10:30", "11:00", "11:30",
        "14:00", "14:30", "15:00", "15:30", "16:00", "16:30", "17:00", "17:30",
    ]  # fmt: skip
    assert found[5].stop == rome(2026, 11, 23, 13)  # the last morning one ends at lunch


def test_a_visit_longer_than_a_shift_is_never_offered():
    assert one_day(MONDAY, duration=timedelta(hours=5, minutes=30)) == []


def test_a_busy_afternoon_leaves_only_the_morning():
    busy = [(rome(2026, 11, 23, 14), rome(2026, 11, 23, 19))]
    assert times(one_day(MONDAY, duration=HOUR, busy=busy))[-1] == "12:00"


def test_a_dentist_s_time_off_over_several_days_is_skipped():
    busy = [(rome(2026, 11, 23, 0), rome(2026, 11, 25, 13))]  # off until Wednesday lunch
    found = free_slots(NOV, {"rossi": busy}, HALF_HOUR, rome(2026, 11, 23, 8), ROME)
    assert local(found)[:4] == ["25 14:00", "25 14:30", "25 15:00", "26 09:00"]


def test_weekends_and_holidays_give_no_slots():
    found = free_slots(
        EASTER, {"rossi": []}, HOUR, rome(2026, 4, 2, 19), ROME, per_day=2, limit=100
    )
    days = sorted({s.start.astimezone(ROME).date() for s in found})
    assert days[:3] == [date(2026, 4, 3), date(2026, 4, 7), date(2026, 4, 8)]
    assert all(day.weekday() < 5 and day != date(2026, 4, 6) for day in days)


def test_the_list_spreads_over_days_and_stops_at_the_limit():
    found = free_slots(NOV, {"rossi": []}, HALF_HOUR, rome(2026, 11, 23, 8), ROME)
    assert len(found) == 9
    per_day = [s.start.astimezone(ROME).day for s in found]
    assert per_day == [23] * 3 + [24] * 3 + [25] * 3
    assert len(free_slots(NOV, {"rossi": []}, HALF_HOUR, rome(2026, 11, 23, 8), ROME, limit=4)) == 4
    wider = free_slots(NOV, {"rossi": []}, HALF_HOUR, rome(2026, 11, 23, 8), ROME, per_day=1)
    assert local(wider) == [f"{d:02} 09:00" for d in (23, 24, 25, 26, 27, 30, 1, 2, 3)]


def test_the_daily_cap_counts_days_on_the_practice_s_clock():
    # An evening opening across midnight: the day changes at midnight in Rome, which is
    # 23:00 UTC; counted in UTC, 00:00 and 00:30 would still be Monday's, over the cap.
    openings = [(rome(2026, 11, 23, 22), rome(2026, 11, 24, 2))]
    found = free_slots(openings, {"rossi": []}, HALF_HOUR, rome(2026, 11, 23, 0), ROME, per_day=2)
    assert local(found) == ["23 22:00", "23 22:30", "24 00:00", "24 00:30"]


def test_fewer_slots_than_the_limit_when_the_openings_run_out():
    friday = practice_week(date(2026, 11, 27), days=1)
    late = free_slots(friday, {"rossi": []}, HOUR, rome(2026, 11, 27, 18, 1), ROME)
    assert late == []  # 18:30 would end after closing
    found = free_slots(friday, {"rossi": []}, HOUR, rome(2026, 11, 27, 16), ROME, per_day=None)
    assert local(found) == ["27 16:00", "27 16:30", "27 17:00", "27 17:30", "27 18:00"]


# -- notice ---------------------------------------------------------------------------


def test_one_day_s_notice_on_friday_evening_is_monday_at_nine():
    friday = rome(2026, 11, 27, 18)
    first = earliest_start(friday, NOV, ROME, notice_days=1)
    assert first == utc(2026, 11, 30, 8, 0)  # 09:00 in Rome
    found = free_slots(NOV, {"rossi": []}, HALF_HOUR, first, ROME)
    assert local(found)[0] == "30 09:00"


def test_after_a_monday_holiday_it_is_tuesday():
    first = earliest_start(rome(2026, 4, 3, 18), EASTER, ROME, notice_days=1)
    assert first == rome(2026, 4, 7, 9)
    assert first.tzinfo == UTC


def test_a_day_s_notice_never_means_later_the_same_day():
    # A request at 08:00, before opening, still waits for tomorrow.
    assert earliest_start(rome(2026, 11, 24, 8), NOV, ROME) == rome(2026, 11, 25, 9)
    assert earliest_start(rome(2026, 11, 24, 8), NOV, ROME, notice_days=2) == rome(2026, 11, 26, 9)
    # Thursday with two days' notice: Friday, then Monday (the weekend does not count).
    assert earliest_start(rome(2026, 11, 26, 11), NOV, ROME, notice_days=2) == rome(2026, 11, 30, 9)


def test_days_are_read_on_the_practice_s_clock():
    # 23:30 UTC on Monday is already Tuesday in Rome: one day's notice is Wednesday.
    assert earliest_start(utc(2026, 11, 23, 23, 30), NOV, ROME) == rome(2026, 11, 25, 9)


def test_two_hours_notice_today_starts_at_the_next_half_hour():
    first = earliest_start(rome(2026, 11, 24, 10, 5), NOV, ROME, notice_days=0, notice_hours=2)
    assert first == rome(2026, 11, 24, 12, 5)
    found = free_slots(NOV, {"rossi": []}, HALF_HOUR, first, ROME)
    assert local(found)[:3] == ["24 12:30", "24 14:00", "24 14:30"]
    hour_long = free_slots(NOV, {"rossi": []}, HOUR, first, ROME)
    assert local(hour_long)[0] == "24 14:00"  # 12:30 would run into lunch


def test_two_hours_notice_on_a_saturday_is_monday_at_nine():
    first = earliest_start(rome(2026, 11, 28, 10, 5), NOV, ROME, notice_days=0, notice_hours=2)
    assert first == rome(2026, 11, 30, 9)
    found = free_slots(NOV, {"rossi": []}, HALF_HOUR, first, ROME)
    assert local(found)[0] == "30 09:00"


def test_the_hours_of_notice_hold_with_the_days_too():
    # One day's notice and 48 hours: from Thursday 10:00, Saturday 10:00, so Monday.
    first = earliest_start(rome(2026, 11, 26, 10), NOV, ROME, notice_days=1, notice_hours=48)
    assert first == rome(2026, 11, 30, 9)
    # One day and 30 hours from Monday 10:00: Tuesday at 16:00, not Tuesday at 09:00.
    first = earliest_start(rome(2026, 11, 23, 10), NOV, ROME, notice_days=1, notice_hours=30)
    assert first == rome(2026, 11, 24, 16)


def test_no_earliest_start_beyond_the_openings_given():
    assert earliest_start(rome(2026, 12, 4, 10), NOV, ROME) is None
    assert earliest_start(rome(2026, 12, 3, 10), NOV, ROME, notice_days=2) is None
    assert earliest_start(rome(2026, 11, 24, 10), [], ROME, notice_days=0) is None
    assert free_slots(NOV, {"rossi": []}, HALF_HOUR, None, ROME) == []


@pytest.mark.parametrize(
    "kwargs",
    [{"notice_days": -1}, {"notice_days": 1.5}, {"notice_days": True}, {"notice_hours": -1}],
    ids=["negative-days", "half-day", "bool", "negative-hours"],
)
def test_impossible_notice_is_refused(kwargs):
    with pytest.raises(ValueError):
        earliest_start(rome(2026, 11, 24, 10), NOV, ROME, **kwargs)


# -- clock changes --------------------------------------------------------------------


def test_autumn_change_nine_o_clock_before_and_after():
    # Clocks go back on Sunday 25 October 2026.
    week = practice_week(date(2026, 10, 19))
    found = free_slots(week, {"rossi": []}, HALF_HOUR, rome(2026, 10, 23, 8), ROME, per_day=1)
    friday, monday = found[0], found[1]
    assert local([friday, monday]) == ["23 09:00", "26 09:00"]
    assert friday.start == utc(2026, 10, 23, 7, 0)
    assert monday.start == utc(2026, 10, 26, 8, 0)
    afternoon = free_slots(week, {"rossi": []}, HOUR, rome(2026, 10, 26, 13), ROME)
    assert local(afternoon)[:4] == ["26 14:00", "26 14:30", "26 15:00", "27 09:00"]
    assert afternoon[0].start == utc(2026, 10, 26, 13, 0)


def test_spring_change_nine_o_clock_before_and_after():
    # Clocks go forward on Sunday 28 March 2027.
    week = practice_week(date(2027, 3, 22))
    found = free_slots(week, {"rossi": []}, HALF_HOUR, rome(2027, 3, 26, 8), ROME, per_day=1)
    friday, monday = found[0], found[1]
    assert local([friday, monday]) == ["26 09:00", "29 09:00"]
    assert friday.start == utc(2027, 3, 26, 8, 0)
    assert monday.start == utc(2027, 3, 29, 7, 0)
    assert earliest_start(rome(2027, 3, 26, 18), week, ROME) == utc(2027, 3, 29, 7, 0)


# -- several dentists -----------------------------------------------------------------


def test_the_first_dentist_is_preferred_and_the_second_fills_in():
    diaries = {
        "rossi": [(rome(2026, 11, 23, 9), rome(2026, 11, 23, 10))],
        "bianchi": [],
    }
    found = free_slots(NOV, diaries, HALF_HOUR, rome(2026, 11, 23, 8), ROME, per_day=4)
    assert [(t, s.dentist) for t, s in zip(times(found), found, strict=True)][:4] == [
        ("09:00", "bianchi"),
        ("09:30", "bianchi"),
        ("10:00", "rossi"),
        ("10:30", "rossi"),
    ]
    starts = [s.start for s in found]
    assert len(starts) == len(set(starts))  # one slot per time, not one per dentist


def test_a_time_both_dentists_are_busy_is_not_offered():
    both = [(rome(2026, 11, 23, 9), rome(2026, 11, 23, 9, 30))]
    diaries = {7: both, 9: [*both, (rome(2026, 11, 23, 10), rome(2026, 11, 23, 11))]}
    found = free_slots(NOV, diaries, HALF_HOUR, rome(2026, 11, 23, 8), ROME, per_day=4)
    assert [(t, s.dentist) for t, s in zip(times(found), found, strict=True)][:4] == [
        ("09:30", 7),
        ("10:00", 7),
        ("10:30", 7),
        ("11:00", 7),
    ]


def test_the_order_of_the_dict_is_the_order_of_preference():
    found = free_slots(NOV, {"bianchi": [], "rossi": []}, HALF_HOUR, rome(2026, 11, 23, 8), ROME)
    assert {s.dentist for s in found} == {"bianchi"}


def test_no_dentist_no_slots():
    assert free_slots(NOV, {}, HALF_HOUR, rome(2026, 11, 23, 8), ROME) == []


# -- moving an appointment ------------------------------------------------------------


def test_the_appointment_s_current_time_is_not_offered_back():
    current = rome(2026, 11, 23, 9, 30)
    found = free_slots(
        NOV, {"rossi": []}, HALF_HOUR, rome(2026, 11, 23, 8), ROME, exclude=[current]
    )
    assert local(found)[:3] == ["23 09:00", "23 10:00", "23 10:30"]
    in_utc = free_slots(
        NOV, {"rossi": []}, HALF_HOUR, rome(2026, 11, 23, 8), ROME,
        exclude=[utc(2026, 11, 23, 8, 30)],
    )  # fmt: skip
    assert in_utc == found


# -- checked again when the patient picks ---------------------------------------------


def test_the_slot_picked_is_checked_again():
    earliest = rome(2026, 11, 23, 8)
    offered = free_slots(NOV, {"rossi": []}, HALF_HOUR, earliest, ROME)[1]
    assert slot_is_free(offered.start, offered.stop, NOV, [], earliest)
    booked = [(rome(2026, 11, 23, 9, 30), rome(2026, 11, 23, 10))]  # someone was quicker
    assert not slot_is_free(offered.start, offered.stop, NOV, booked, earliest)
    before = [(rome(2026, 11, 23, 9), rome(2026, 11, 23, 9, 30))]  # ends as it starts
    assert slot_is_free(offered.start, offered.stop, NOV, before, earliest)


def test_a_slot_across_lunch_or_closing_is_not_free():
    earliest = rome(2026, 11, 23, 8)
    assert not slot_is_free(rome(2026, 11, 23, 12, 30), rome(2026, 11, 23, 13, 30), NOV, [],
                            earliest)  # fmt: skip
    assert not slot_is_free(rome(2026, 11, 23, 18, 30), rome(2026, 11, 23, 19, 30), NOV, [],
                            earliest)  # fmt: skip
    assert slot_is_free(rome(2026, 11, 23, 12), rome(2026, 11, 23, 13), NOV, [], earliest)
    assert not slot_is_free(rome(2026, 11, 28, 10), rome(2026, 11, 28, 11), NOV, [], earliest)


def test_a_slot_before_the_notice_is_not_free():
    earliest = earliest_start(rome(2026, 11, 23, 10), NOV, ROME)  # Tuesday 09:00
    assert not slot_is_free(rome(2026, 11, 23, 15), rome(2026, 11, 23, 15, 30), NOV, [],
                            earliest)  # fmt: skip
    assert slot_is_free(rome(2026, 11, 24, 9), rome(2026, 11, 24, 9, 30), NOV, [], earliest)
    assert not slot_is_free(rome(2026, 11, 24, 9), rome(2026, 11, 24, 9, 30), NOV, [], None)


# -- row titles -----------------------------------------------------------------------

THURSDAY = utc(2026, 11, 26, 9, 30)  # 10:30 in Rome


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("it_IT", "gio 26 nov, 10:30"),
        ("es_ES", "jue 26 nov, 10:30"),
        ("en_US", "Thu 26 Nov, 10:30"),
        ("en_GB", "Thu 26 Nov, 10:30"),
        ("pt_BR", "qui 26 nov, 10:30"),
        ("xx_XX", "Thu 26 Nov, 10:30"),
        (None, "Thu 26 Nov, 10:30"),
    ],
)
def test_the_row_title_as_the_patient_reads_it(lang, label):
    assert slot_label(THURSDAY, lang, ROME) == label


@pytest.mark.parametrize("lang", ["it_IT", "es_ES", "en_US", "pt_BR"])
def test_the_built_in_names_match_babel_s(lang, monkeypatch):
    with_babel = slot_label(THURSDAY, lang, ROME)
    monkeypatch.setattr(slots_module, "format_datetime", None)
    assert slot_label(THURSDAY, lang, ROME) == with_babel


def test_the_title_is_on_the_practice_s_clock():
    winter = utc(2026, 11, 26, 8, 30)
    assert slot_label(winter, "it_IT", ROME) == "gio 26 nov, 09:30"
    assert slot_label(winter, "it_IT", UTC) == "gio 26 nov, 08:30"
    # 23:30 UTC on Thursday is already Friday in Rome.
    assert slot_label(utc(2026, 11, 26, 23, 30), "es_ES", ROME) == "vie 27 nov, 00:30"


LANGS = ["it_IT", "es_ES", "en_US", "pt_BR", "fr_FR", "de_DE", "ca_ES", "el_GR", "ru_RU"]


@pytest.mark.parametrize("lang", LANGS)
def test_every_title_of_a_year_fits_whatsapp_s_24_characters(lang):
    day = rome(2027, 1, 1, 10, 30)
    titles = {slot_label(day + timedelta(days=n), lang, ROME) for n in range(365)}
    assert len(titles) == 365
    assert all(len(t) <= 24 and t.endswith("10:30") for t in titles)
    assert not any("." in t for t in titles)


@pytest.mark.skipif(not HAS_BABEL, reason="Babel (shipped with Odoo) is not installed")
def test_babel_names_other_languages_too():
    assert slot_label(THURSDAY, "fr_FR", ROME) == "jeu 26 nov, 10:30"
    assert slot_label(THURSDAY, "de_DE", ROME).startswith("Do 26")


# -- mistakes upstream are loud -------------------------------------------------------

NAIVE = datetime(2026, 11, 23, 10)


@pytest.mark.parametrize(
    "call",
    [
        lambda: earliest_start(NAIVE, NOV, ROME),
        lambda: free_slots(NOV, {"rossi": []}, HALF_HOUR, NAIVE, ROME),
        lambda: free_slots(NOV, {"rossi": [(NAIVE, NAIVE + HOUR)]}, HOUR, rome(2026, 11, 23), ROME),
        lambda: free_slots(NOV, {"rossi": []}, HOUR, rome(2026, 11, 23), ROME, exclude=[NAIVE]),
        lambda: free_slots([(NAIVE, NAIVE + HOUR)], {"rossi": []}, HOUR, rome(2026, 11, 23), ROME),
        lambda: slot_is_free(NAIVE, NAIVE + HOUR, NOV, [], rome(2026, 11, 23)),
        lambda: slot_label(NAIVE, "it_IT", ROME),
    ],
    ids=["now", "earliest", "busy", "exclude", "openings", "slot", "label"],
)
def test_naive_datetimes_raise(call):
    with pytest.raises(ValueError):
        call()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"duration": timedelta(0)},
        {"duration": HALF_HOUR, "step": timedelta(0)},
        {"duration": HALF_HOUR, "limit": 0},
        {"duration": HALF_HOUR, "per_day": 0},
    ],
    ids=["duration", "step", "limit", "per_day"],
)
def test_impossible_settings_are_refused(kwargs):
    with pytest.raises(ValueError):
        free_slots(NOV, {"rossi": []}, earliest=rome(2026, 11, 23), tz=ROME, **kwargs)


def test_a_slot_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        slot_is_free(rome(2026, 11, 23, 10), rome(2026, 11, 23, 9), NOV, [], rome(2026, 11, 23))


def test_openings_and_diaries_may_be_one_pass_iterables():
    busy = iter([(rome(2026, 11, 23, 9), rome(2026, 11, 23, 9, 30))])
    found = free_slots(iter(NOV), {"rossi": busy}, HALF_HOUR, rome(2026, 11, 23, 8), ROME)
    assert local(found)[0] == "23 09:30"
    assert earliest_start(rome(2026, 11, 27, 18), iter(NOV), ROME) == rome(2026, 11, 30, 9)


def test_step_of_an_hour_keeps_the_grid_on_the_opening():
    found = one_day(MONDAY, step=HOUR)
    assert times(found)[:5] == ["09:00", "10:00", "11:00", "12:00", "14:00"]
    assert time(13) not in {s.start.astimezone(ROME).time() for s in found}
