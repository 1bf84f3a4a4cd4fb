"""A pool of sending threads with small stacks (pure Python, no Odoo).

Python gives each thread the process's stack size (8 MiB on Linux): the 200 threads of a
number sending at 1,000 messages per second would reserve 1.6 GB of address space, and
an Odoo worker's ``limit_memory_hard`` (2.5 GB by default) then refuses new threads
("can't start new thread"). A thread that only sends HTTPS requests needs far less: its
threads get THREAD_STACK, the size Windows gives every thread."""

import queue
import threading
from concurrent.futures import Future

THREAD_STACK = 1024 * 1024
# threading.stack_size is a process-wide setting: one pool changes it at a time, and
# only for the moment it starts a thread.
_STACK_LOCK = threading.Lock()
_STOP = object()


class SendingPool:
    """``submit(fn, *args) -> Future`` on at most ``size`` threads, started as needed."""

    def __init__(self, size, name):
        self.size = size
        self.name = name
        self._tasks = queue.SimpleQueue()
        self._threads = []
        self._idle = 0
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, fn, *args):
        future = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("the sending pool is closed")
            self._tasks.put((future, fn, args))
            if self._idle:
                self._idle -= 1
            elif len(self._threads) < self.size:
                self._start()
        return future

    def _start(self):
        with _STACK_LOCK:
            previous = threading.stack_size(THREAD_STACK)
            try:
                thread = threading.Thread(
                    target=self._work, name=f"{self.name}-{len(self._threads)}", daemon=True
                )
                thread.start()
            finally:
                threading.stack_size(previous)
        self._threads.append(thread)

    def _work(self):
        while True:
            task = self._tasks.get()
            if task is _STOP:
                return
            future, fn, args = task
            if not future.set_running_or_notify_cancel():
                with self._lock:
                    self._idle += 1
                continue
            try:
                result, error = fn(*args), None
            except BaseException as exc:  # handed to the caller
                result, error = None, exc
            # Idle before the caller hears: its next task finds this thread free.
            with self._lock:
                self._idle += 1
            if error is None:
                future.set_result(result)
            else:
                future.set_exception(error)

    @property
    def threads(self):
        return len(self._threads)

    def shutdown(self):
        """Let the submitted tasks finish, then stop the threads."""
        with self._lock:
            self._closed = True
            threads = list(self._threads)
        for _thread in threads:
            self._tasks.put(_STOP)
        for thread in threads:
            thread.join()
