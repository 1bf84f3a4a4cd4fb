"""Pacing sends to Meta's throughput limit, whichever worker sends them (pure Python).

Meta counts messages per second per phone number, whatever Odoo process sends them. The
pace of a number is one shared schedule of send times, one every ``1 / rate`` seconds:
a worker *reserves* a few consecutive times at once (``reserve``: in production one
UPDATE of the number's row in PostgreSQL, see ``dental.whatsapp.pace``), hands them to
its sending threads, and a thread sends at its time. Because every time is reserved
once, any number of workers together never send two messages closer than the spacing,
and never more than the rate in any second.

A thread that comes too late for its time leaves it unused (sending late would bunch
the sends of one second into the next), and the rate keeps a small margin below the
limit for the clock jitter between this machine and Meta's counting.
"""

import math
import threading
import time
from collections import deque

# Below Meta's limit by this factor: thread scheduling and the network move a send by a
# few milliseconds, and Meta counts arrivals, not our schedule.
MARGIN = 0.96
# A time is given up when the thread reaches it later than this (seconds).
TOLERANCE = 0.01
# Each reservation covers this much sending time (seconds): few database round trips,
# little lost when a worker stops.
CHUNK_SECONDS = 0.05
# After 130429 a dispatcher spaces its sends this much wider, at most down to SLOWEST.
SLOWER = 1.05
SLOWEST = 1.25
# Sending threads per dispatcher: enough requests in flight for the rate at the observed
# answer time, within this bound.
MAX_THREADS = 200
MIN_THREADS = 2


def monotonic():
    """Seconds on a clock nothing freezes (the tests freeze Odoo's clock, not this one)."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def spacing(limit):
    """Seconds between two sends of a number allowed ``limit`` messages per second."""
    if limit < 1:
        raise ValueError("the limit is at least one message per second")
    return 1.0 / (limit * MARGIN)


def thread_count(limit, latency, cap=MAX_THREADS):
    """Requests in flight needed to send ``limit`` per second when an answer takes
    ``latency`` seconds (Little's law, with a fifth to spare)."""
    wanted = math.ceil(limit * MARGIN * max(latency, 0.0) * 1.2) + 1
    return max(MIN_THREADS, min(cap, wanted))


class LocalSchedule:
    """The shared schedule kept in this process only (a dispatch inside a caller's
    transaction, as in tests, where no other worker can see the database's row)."""

    def __init__(self, clock=monotonic):
        self.clock = clock
        self.next_free = 0.0
        self.paused_until = 0.0
        self.lock = threading.Lock()

    def reserve(self, count, gap):
        with self.lock:
            now = self.clock()
            start = max(self.next_free, self.paused_until, now)
            self.next_free = start + count * gap
            return start - now

    def pause(self, seconds):
        with self.lock:
            self.paused_until = max(self.paused_until, self.clock() + seconds)
            return seconds


class Pacer:
    """Send times for the threads of one dispatcher, from reservations of a schedule.

    ``reserve(count, gap)`` books ``count`` consecutive times ``gap`` apart and returns
    the seconds from now to the first; ``pause(seconds)`` stops the number's schedule
    (Meta answered 130429) and returns the pause it applied."""

    def __init__(
        self, reserve, pause, limit, *, clock=monotonic, sleep=time.sleep, tolerance=TOLERANCE
    ):
        self._reserve = reserve
        self._pause = pause
        self.gap = self.base_gap = spacing(limit)
        self.chunk = max(1, math.ceil(CHUNK_SECONDS / self.gap))
        self.clock = clock
        self.sleep = sleep
        self.tolerance = tolerance
        self._times = deque()
        self._lock = threading.Lock()
        self.reservations = 0
        self.reserving = 0.0  # seconds spent asking the schedule
        self.unused = 0

    def wait(self):
        """Block until this send's time; return that time (on ``clock``)."""
        while True:
            with self._lock:
                if not self._times:
                    asked = self.clock()
                    delay = self._reserve(self.chunk, self.gap)
                    self.reservations += 1
                    self.reserving += self.clock() - asked
                    first = self.clock() + delay
                    self._times.extend(first + i * self.gap for i in range(self.chunk))
                slot = self._times.popleft()
                now = self.clock()
                if now > slot + self.tolerance:
                    self.unused += 1
                    continue
            if slot > now:
                self.sleep(slot - now)
                # A busy machine wakes a thread late: sent now, it would reach Meta in
                # the next send's time, and a few of those make one second too many.
                if self.clock() > slot + self.tolerance:
                    with self._lock:
                        self.unused += 1
                    continue
            return slot

    def pause(self, seconds):
        """Meta says the number sends too fast: every worker waits ``seconds`` (or the
        longer pause already set); the times this dispatcher holds are given up."""
        with self._lock:
            self.unused += len(self._times)
            self._times.clear()
            # Our sends reached Meta closer together than they left (a busy machine, the
            # network): this dispatcher also spaces its sends a notch wider for the rest
            # of its run, up to a quarter below the limit.
            self.gap = min(self.gap * SLOWER, self.base_gap * SLOWEST)
        return self._pause(seconds)
