"""The simulator as a load target, over real HTTP: answer latency and jitter with
concurrent answers, Meta's per-number throughput limit (130429), the record of sends, and
the send that is accepted but never answered. Bounds are checked, not speed targets."""

import threading
import time

import pytest
import requests
from test_simulator import (  # noqa: F401 - fixtures
    PATIENT,
    PHONE_NUMBER_ID,
    TOKEN,
    control,
    error_of,
    patient_writes,
    receiver,
    sim,
    wait_for,
)

from wa_simulator import Simulator
from wa_simulator.load import accepted_times, max_per_window

SEND_URL = "/v23.0/" + PHONE_NUMBER_ID + "/messages"


def post_send(sim, text="Hello", timeout=5, session=None, **extra):  # noqa: F811
    http = session or requests.Session()
    http.trust_env = False
    return http.post(
        sim.url + SEND_URL,
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={
            "messaging_product": "whatsapp",
            "to": PATIENT,
            "type": "text",
            "text": {"body": text},
            **extra,
        },
        timeout=timeout,
    )


def in_parallel(count, function):
    """Run ``function(i)`` in ``count`` threads at once; their results, in order."""
    results = [None] * count
    start = threading.Barrier(count)

    def run(index):
        start.wait()
        try:
            results[index] = function(index)
        except Exception as error:  # reported by the caller's assertions
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    return results


def config(sim, **changes):  # noqa: F811
    return control(sim, "POST", "/_sim/config", json=changes)


# ---------------------------------------------------------------------------- latency
def test_defaults_keep_todays_behaviour():
    simulator = Simulator()
    assert (simulator.answer_latency, simulator.answer_jitter, simulator.rate_limit) == (0, 0, 0)
    with Simulator(answer_latency=0.1, answer_jitter=0.05, rate_limit=7) as configured:
        answer = requests.get(configured.url + "/_sim/config", timeout=5).json()
        assert (answer["answer_latency"], answer["answer_jitter"], answer["rate_limit"]) == (
            0.1,
            0.05,
            7,
        )


def test_latency_is_observed_and_answers_are_concurrent(sim):  # noqa: F811
    patient_writes(sim)
    assert config(sim, answer_latency=0.2)["answer_latency"] == 0.2
    started = time.monotonic()
    assert post_send(sim).status_code == 200
    assert time.monotonic() - started >= 0.2

    count = 50
    started = time.monotonic()
    answers = in_parallel(count, lambda i: post_send(sim, f"m{i}", timeout=10))
    elapsed = time.monotonic() - started
    assert all(isinstance(a, requests.Response) and a.status_code == 200 for a in answers), [
        a for a in answers if not isinstance(a, requests.Response)
    ]
    assert elapsed >= 0.2
    assert elapsed < count * 0.2 / 5, f"{count} sends in flight took {elapsed:.2f}s"
    # Refusals wait too: every answer to a send does.
    started = time.monotonic()
    error_of(post_send(sim, text=""), 400, 100)
    assert time.monotonic() - started >= 0.2
    # Other calls are not delayed.
    started = time.monotonic()
    requests.get(sim.url + "/_sim/messages", timeout=5)
    assert time.monotonic() - started < 0.2


def test_jitter_stays_within_bounds(sim):  # noqa: F811
    patient_writes(sim)
    config(sim, answer_latency=0.05, answer_jitter=0.1)

    def timed(index):
        started = time.monotonic()
        assert post_send(sim, f"j{index}").status_code == 200
        return time.monotonic() - started

    durations = in_parallel(12, timed)
    assert all(isinstance(d, float) for d in durations), durations
    assert min(durations) >= 0.05
    assert max(durations) < 0.05 + 0.1 + 0.5  # the bound plus generous HTTP overhead


def test_bad_load_config_is_refused(sim):  # noqa: F811
    for key in ("answer_latency", "answer_jitter", "rate_limit"):
        answer = requests.post(sim.url + "/_sim/config", json={key: -1}, timeout=5)
        assert answer.status_code == 400 and key in answer.json()["error"]
    assert config(sim)["rate_limit"] == 0


# ---------------------------------------------------------------------------- rate limit
def test_rate_limit_refuses_beyond_n_per_second(sim, receiver):  # noqa: F811
    patient_writes(sim)
    limit = 5
    config(sim, rate_limit=limit)
    answers = [post_send(sim, f"r{i}", biz_opaque_callback_data=f"r{i}") for i in range(limit + 3)]
    accepted = [a for a in answers if a.status_code == 200]
    refused = [a for a in answers if a.status_code != 200]
    assert len(accepted) == limit and len(refused) == 3
    error = error_of(refused[0], 400, 130429)
    assert error["message"] == "(#130429) Rate limit hit"
    assert "throughput" in error["error_data"]["details"]
    assert str(limit) in error["error_data"]["details"]

    # A refused send is not processed: not stored, no status webhook.
    sent = requests.get(sim.url + "/_sim/messages", params={"to": PATIENT}, timeout=5).json()
    assert len(sent) == limit
    ids = {a.json()["messages"][0]["id"] for a in accepted}
    assert {m["id"] for m in sent} == ids
    wait_for(lambda: {s["id"] for s in receiver.statuses() if s["status"] == "read"} >= ids)
    time.sleep(0.2)
    assert {s["id"] for s in receiver.statuses()} == ids
    assert {s.get("biz_opaque_callback_data") for s in receiver.statuses()} == {
        f"r{i}" for i in range(limit)
    }

    sends = requests.get(sim.url + "/_sim/sends", timeout=5).json()["sends"]
    assert [s["outcome"] for s in sends] == ["accepted"] * limit + [130429] * 3
    assert all(s["id"] is None for s in sends if s["outcome"] == 130429)
    assert max_per_window(accepted_times(sends)) <= limit

    # A read receipt is not throughput: it still goes while the window is full.
    inbound = patient_writes(sim)
    read = post_send(sim, status="read", message_id=inbound)
    assert read.status_code == 200 and read.json() == {"success": True}


def test_rate_limit_holds_under_concurrent_bursts(sim):  # noqa: F811
    patient_writes(sim)
    limit = 8
    config(sim, rate_limit=limit, answer_latency=0.02)
    answers = in_parallel(20, lambda i: post_send(sim, f"b{i}", timeout=10))
    time.sleep(1.05)  # the window slides: a second later, sends go again
    answers += in_parallel(20, lambda i: post_send(sim, f"c{i}", timeout=10))
    assert all(isinstance(a, requests.Response) for a in answers), answers
    assert sum(a.status_code == 200 for a in answers) == 2 * limit
    for answer in answers:
        if answer.status_code != 200:
            error_of(answer, 400, 130429)
    sends = requests.get(sim.url + "/_sim/sends", timeout=5).json()["sends"]
    assert len(sends) == 40
    assert sum(s["outcome"] == "accepted" for s in sends) == 2 * limit
    assert max_per_window(accepted_times(sends)) == limit  # each burst filled its window
    stored = requests.get(sim.url + "/_sim/messages", timeout=5).json()
    assert len(stored) == 2 * limit


def test_max_per_window():
    assert max_per_window([]) == 0
    assert max_per_window([5.0]) == 1
    assert max_per_window([0.0, 0.5, 0.99, 1.0, 1.5]) == 3
    assert max_per_window([1.0, 0.0, 0.5, 0.99, 1.5]) == 3  # order does not matter
    assert max_per_window([0.0, 0.1, 0.2], window=0.15) == 2
    assert max_per_window([0.0, 1.0, 2.0]) == 1  # a window is [t, t + 1)


# ---------------------------------------------------------------------------- sends
def test_sends_record_accepted_and_refused_and_reset_empties_them(sim):  # noqa: F811
    before = time.time()
    error_of(post_send(sim, text=""), 400, 100)
    patient_writes(sim)
    wamid = post_send(sim, biz_opaque_callback_data="ref-1").json()["messages"][0]["id"]
    unauthorized = requests.post(sim.url + SEND_URL, json={"to": PATIENT}, timeout=5)
    assert unauthorized.status_code == 401
    control(sim, "POST", "/_sim/faults", json={"http_status": 503, "operations": ["messages"]})
    assert post_send(sim).status_code == 503
    requests.get(sim.url + "/v23.0/" + PHONE_NUMBER_ID, timeout=5)  # not a send

    sends = requests.get(sim.url + "/_sim/sends", timeout=5).json()["sends"]
    assert [s["outcome"] for s in sends] == [100, "accepted", 104, 503]
    assert [s["id"] for s in sends] == [None, wamid, None, None]
    assert all(s["to"] == PATIENT for s in sends)
    assert sends[1]["biz_opaque_callback_data"] == "ref-1"
    assert sends[0]["biz_opaque_callback_data"] is None
    assert all(before <= s["time"] <= time.time() for s in sends)
    assert [s["time"] for s in sends] == sorted(s["time"] for s in sends)
    assert all(s["answered"] for s in sends)

    control(sim, "POST", "/_sim/reset", json={})
    assert requests.get(sim.url + "/_sim/sends", timeout=5).json() == {"sends": []}


# ---------------------------------------------------------------------------- accept silently
def test_accepted_send_whose_answer_never_comes(sim, receiver):  # noqa: F811
    patient_writes(sim)
    control(
        sim,
        "POST",
        "/_sim/faults",
        json={
            "accept_silently": True,
            "count": 2,
            "silent_seconds": 0.4,
            "operations": ["messages"],
        },
    )
    # The client gives up first...
    with pytest.raises(requests.Timeout):
        post_send(sim, "lost answer", timeout=0.2, biz_opaque_callback_data="outbox-41")
    # ...or the simulator closes the connection without an answer.
    with pytest.raises(requests.ConnectionError):
        post_send(sim, "closed", timeout=3, biz_opaque_callback_data="outbox-42")

    sent = requests.get(sim.url + "/_sim/messages", params={"to": PATIENT}, timeout=5).json()
    by_ref = {m["biz_opaque_callback_data"]: m for m in sent}
    assert set(by_ref) == {"outbox-41", "outbox-42"}
    for reference, message in by_ref.items():
        [status] = receiver.wait_statuses(message["id"], 1)[:1]
        assert status["status"] == "sent"
        assert status["biz_opaque_callback_data"] == reference

    sends = requests.get(sim.url + "/_sim/sends", timeout=5).json()["sends"]
    assert [(s["outcome"], s["answered"]) for s in sends] == [("accepted", False)] * 2
    assert [s["id"] for s in sends] == [by_ref["outbox-41"]["id"], by_ref["outbox-42"]["id"]]
    # The fault is used up: the next send is answered.
    assert post_send(sim).status_code == 200


def test_accept_silently_fault_shape(sim):  # noqa: F811
    faults = control(
        sim, "POST", "/_sim/faults", json={"accept_silently": True, "silent_seconds": 1}
    )["faults"]
    assert faults[0]["accept_silently"] is True and faults[0]["silent_seconds"] == 1
    for bad in ({"accept_silently": True, "code": 131000}, {"accept_silently": True, "timeout": 1}):
        assert requests.post(sim.url + "/_sim/faults", json=bad, timeout=5).status_code == 400
