"""The sending threads: small stacks, as many as needed and no more, every task's
result or error handed back, nothing left running after shutdown."""

import threading

import pytest

from dental_whatsapp.tools.threads import THREAD_STACK, SendingPool


def test_tasks_run_on_at_most_size_threads_and_return_their_results():
    pool = SendingPool(4, "test")
    gate = threading.Event()
    names = set()

    def task(n):
        gate.wait(5)
        names.add(threading.current_thread().name)
        return n * 2

    futures = [pool.submit(task, n) for n in range(20)]
    gate.set()
    assert [f.result(5) for f in futures] == [n * 2 for n in range(20)]
    assert pool.threads == 4
    assert len(names) <= 4
    pool.shutdown()
    assert not any(t.name.startswith("test-") for t in threading.enumerate())


def test_an_idle_thread_is_reused_before_a_new_one_starts():
    pool = SendingPool(10, "reuse")
    for n in range(5):
        assert pool.submit(lambda x: x, n).result(5) == n
    assert pool.threads == 1
    pool.shutdown()


def test_an_error_reaches_the_caller_and_the_thread_goes_on():
    pool = SendingPool(1, "error")

    def fail():
        raise ValueError("bad payload")

    with pytest.raises(ValueError, match="bad payload"):
        pool.submit(fail).result(5)
    assert pool.submit(lambda: "next").result(5) == "next"
    pool.shutdown()
    with pytest.raises(RuntimeError):
        pool.submit(lambda: None)


def test_threads_get_a_small_stack_and_the_process_keeps_its_own():
    before = threading.stack_size()
    pool = SendingPool(300, "many")
    gate = threading.Event()
    futures = [pool.submit(gate.wait, 5) for _ in range(300)]
    gate.set()
    assert all(f.result(5) for f in futures)
    assert pool.threads == 300
    assert threading.stack_size() == before
    assert THREAD_STACK <= 1024 * 1024
    pool.shutdown()
