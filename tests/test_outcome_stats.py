"""The outcome figures' arithmetic: waits counted in opening time, medians, rates."""

from datetime import date, datetime, timezone

from dental_whatsapp.tools import outcome_stats
from tests.test_office_hours import practice_week, rome

UTC = timezone.utc
# Monday 23 to Monday 30 November 2026, Mon-Fri 9-13 and 14-19 in Rome.
WEEK = practice_week(date(2026, 11, 23), days=8)


def test_a_wait_counts_only_opening_time():
    # Tuesday 18:50 -> Wednesday 09:05: ten minutes before closing, five after opening.
    assert (
        outcome_stats.open_minutes(rome(2026, 11, 24, 18, 50), rome(2026, 11, 25, 9, 5), WEEK) == 15
    )
    # Over lunch (13-14 closed): 12:00 -> 15:00 is two hours of opening time.
    assert outcome_stats.open_minutes(rome(2026, 11, 26, 12), rome(2026, 11, 26, 15), WEEK) == 120
    # Friday evening to Monday: the weekend is not counted.
    assert (
        outcome_stats.open_minutes(rome(2026, 11, 27, 18, 30), rome(2026, 11, 30, 9, 30), WEEK)
        == 60
    )


def test_without_opening_hours_the_wait_is_the_clock():
    start = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
    assert outcome_stats.open_minutes(start, datetime(2026, 11, 24, 21, 30, tzinfo=UTC), None) == 90
    assert outcome_stats.open_minutes(start, start, None) == 0


def test_median_and_rate():
    assert outcome_stats.median([20, 15, 120, 25, 40]) == 25
    assert outcome_stats.median([10, 20, None]) == 15
    assert outcome_stats.median([]) is None
    assert outcome_stats.rate(1, 4) == 25
    assert outcome_stats.rate(0, 0) is None
