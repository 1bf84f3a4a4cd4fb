"""The simulator as a load target: answer latency and jitter, Meta's per-number throughput
limit (130429), a record of every send received, and ``max_per_window`` for benchmarks."""

import bisect
import json
import random
import re
import time
from collections import deque

from .errors import GraphError

RATE_LIMIT_CODE = 130429
WINDOW = 1.0  # seconds: Meta's throughput is messages per second per phone number
SEND_PATH = re.compile(r"^/v\d+(\.\d+)?/([^/]+)/messages$")
_random = random.Random()  # jitter, not cryptography


def is_send(method, path):
    """The phone number id of a ``POST /{v}/{phone_number_id}/messages``, else None."""
    match = SEND_PATH.match(path) if method == "POST" else None
    return match.group(2) if match else None


def record_send(sim, raw):
    """Append the record of a send just received; its outcome is filled in later."""
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        body = None
    body = body if isinstance(body, dict) else {}
    to = body.get("to") if body.get("to") not in (None, "") else body.get("recipient")
    entry = {
        "time": time.time(),
        "to": to if isinstance(to, str) else None,
        "outcome": None,
        "id": None,
        "status": None,
        "answered": None,
        "biz_opaque_callback_data": body.get("biz_opaque_callback_data"),
    }
    with sim.state.lock:
        sim.state.sends.append(entry)
    return entry


def finish_send(sim, entry, status, payload, *, code=None, answered=True):
    """The outcome of a send: ``accepted`` and its wamid, or the Graph error code (the
    HTTP status when the answer is a plain 5xx page without one)."""
    wamid = None
    if status == 200:
        try:
            wamid = (json.loads(payload).get("messages") or [{}])[0].get("id")
        except (ValueError, AttributeError, IndexError):
            wamid = None
    elif code is None:
        try:
            code = json.loads(payload)["error"]["code"]
        except (ValueError, KeyError, TypeError):
            code = status
    with sim.state.lock:
        entry.update(
            outcome="accepted" if status == 200 else code,
            id=wamid,
            status=status,
            answered=answered,
        )


def admit(sim, node, entry):
    """Meta's throughput limit: with ``rate_limit`` N, a send beyond N in any sliding
    one-second window of this phone number answers 400 code 130429 and is not processed.
    The admitted send's record takes the instant of the decision as its time, so that
    ``max_per_window`` of the accepted sends never exceeds N."""
    limit = int(sim.rate_limit or 0)
    if limit <= 0:
        return
    world = sim.state
    with world.lock:
        now = time.time()
        times = world.send_windows.setdefault(node, deque())
        while times and times[0] <= now - WINDOW:
            times.popleft()
        if len(times) >= limit:
            raise GraphError(
                400,
                RATE_LIMIT_CODE,
                None,
                f"Cloud API message throughput has been reached: at most {limit} messages "
                f"per second from phone number {node}.",
            )
        times.append(now)
        if entry is not None:
            entry["time"] = now


def answer_delay(sim):
    """Seconds the answer to a send waits: ``answer_latency`` + uniform(0, ``answer_jitter``)."""
    latency = float(sim.answer_latency or 0)
    jitter = float(sim.answer_jitter or 0)
    return max(0.0, latency + (_random.uniform(0, jitter) if jitter > 0 else 0.0))


def accepted_times(sends):
    """The times of the accepted sends among records of ``GET /_sim/sends``."""
    return [s["time"] for s in sends if s.get("outcome") == "accepted"]


def max_per_window(times, window=WINDOW):
    """The largest number of ``times`` in any sliding window ``[t, t + window)``.

    ``times`` are epoch seconds (``time`` of ``GET /_sim/sends``, or any floats); pass
    ``accepted_times(sends)`` to measure the throughput the simulator accepted."""
    ordered = sorted(times)
    best = 0
    for index, start in enumerate(ordered):
        end = bisect.bisect_left(ordered, start + window, lo=index)
        best = max(best, end - index)
    return best
