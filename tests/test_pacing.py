"""Pacing to Meta's throughput limit: one schedule of send times shared by every worker
of a number, reserved in small chunks; late times are given up, a 130429 pauses all."""

import pytest

from dental_whatsapp.tools.pacing import (
    MARGIN,
    MAX_THREADS,
    LocalSchedule,
    Pacer,
    spacing,
    thread_count,
)
from wa_simulator.load import max_per_window


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def _pacer(schedule, clock, limit):
    return Pacer(schedule.reserve, schedule.pause, limit, clock=clock, sleep=clock.sleep)


def test_spacing_keeps_a_margin_below_the_limit():
    assert spacing(80) == pytest.approx(1 / (80 * MARGIN))
    assert 0.95 <= MARGIN < 1
    with pytest.raises(ValueError):
        spacing(0)


def test_threads_follow_the_rate_and_the_answer_time():
    # 80 per second with answers in 200 ms needs about 16 requests in flight.
    assert 16 <= thread_count(80, 0.2) <= 24
    assert thread_count(80, 0.0) == 2
    assert thread_count(1000, 0.2) == MAX_THREADS
    assert thread_count(1000, 0.2, cap=50) == 50


def test_two_workers_on_one_schedule_never_exceed_the_limit():
    clock = FakeClock()
    schedule = LocalSchedule(clock=clock)
    first, second = _pacer(schedule, clock, 80), _pacer(schedule, clock, 80)
    times = [(first if n % 3 else second).wait() for n in range(800)]
    assert len(set(times)) == 800
    assert max_per_window(times) <= 80
    gaps = [b - a for a, b in zip(sorted(times), sorted(times)[1:], strict=False)]
    assert min(gaps) >= spacing(80) - 1e-9


def test_one_worker_alone_uses_the_whole_limit():
    clock = FakeClock()
    pacer = _pacer(LocalSchedule(clock=clock), clock, 80)
    times = [pacer.wait() for _ in range(800)]
    # 800 sends in about 10.3 s: 97 % of the limit, nothing given up.
    assert (max(times) - min(times)) == pytest.approx(799 * spacing(80), rel=0.001)
    assert pacer.unused == 0
    assert pacer.reservations == 200  # four times per reservation at 80 per second


def test_a_thread_that_comes_late_gives_its_time_up():
    clock = FakeClock()
    schedule = LocalSchedule(clock=clock)
    pacer = _pacer(schedule, clock, 80)
    start = pacer.wait()
    clock.now += 1.0  # the thread was busy for a second
    later = pacer.wait()
    assert later >= clock.now - pacer.tolerance
    assert pacer.unused >= 1
    # Nothing was sent closer than the spacing.
    assert later - start >= spacing(80)


def test_a_thread_woken_late_from_its_wait_gives_its_time_up():
    # The thread slept until its time, but the busy machine woke it 50 ms late: sent
    # then, it would leave together with the next time's send.
    clock = FakeClock()
    oversleeps = iter([0.05])

    def sleep(seconds):
        clock.now += seconds + next(oversleeps, 0.0)

    pacer = Pacer(*_schedule_of(clock), 80, clock=clock, sleep=sleep)
    pacer.wait()  # the first time is now: no sleep
    second = pacer.wait()
    assert pacer.unused >= 1
    assert clock.now - second <= pacer.tolerance


def _schedule_of(clock):
    schedule = LocalSchedule(clock=clock)
    return schedule.reserve, schedule.pause


def test_a_pause_stops_every_worker_of_the_number():
    clock = FakeClock()
    schedule = LocalSchedule(clock=clock)
    first, second = _pacer(schedule, clock, 80), _pacer(schedule, clock, 80)
    first.wait()
    second.wait()
    paused_at = clock.now
    assert first.pause(2.0) == 2.0
    assert first.wait() >= paused_at + 2.0
    # The other worker's next reservation honours the pause too.
    second._times.clear()
    assert second.wait() >= paused_at + 2.0


def test_after_a_refusal_the_worker_spaces_its_sends_wider_within_a_bound():
    clock = FakeClock()
    pacer = _pacer(LocalSchedule(clock=clock), clock, 80)
    before = [pacer.wait() for _ in range(81)]
    pacer.pause(0.0)  # Meta answered 130429: our sends reached it too close together
    after = [pacer.wait() for _ in range(81)]
    assert (after[-1] - after[0]) > (before[-1] - before[0]) * 1.04
    for _ in range(50):  # refusal after refusal: never slower than a quarter below
        pacer.pause(0.0)
    slowest = [pacer.wait() for _ in range(81)]
    assert slowest[-1] - slowest[0] == pytest.approx((before[-1] - before[0]) * 1.25, rel=0.01)
