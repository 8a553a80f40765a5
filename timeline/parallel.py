"""A pure function over many items on two cores: the first part here, the rest in a forked child
that sends its results back pickled. Checking 10,000 event files is two seconds of Python, and
these machines have two cores; nothing else a run does is worth a second process.

Forking is done only where it is safe and pays: a platform with fork, a single-threaded process (a
thread holding a lock at the fork would leave it held in the child: `serve` forks for its first
build, before its server starts, never after), two CPUs to run on, enough items, and
TIMELINE_PROCESSES not set to 1. Whatever goes wrong in the child (an exception, a crash, a
signal), the parent makes its part itself: the outcome never depends on it.
"""
from __future__ import annotations

import gc
import os
import pickle
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

SWITCH = "TIMELINE_PROCESSES"  # 1: everything in this process
AT_LEAST = 1000  # fewer items take too little time to gain from a child
SHARE = 0.53  # the parent's part: it also unpickles the child's results, so the child takes a little less


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worth_forking(count: int) -> bool:
    return (count >= AT_LEAST and hasattr(os, "fork") and os.environ.get(SWITCH, "").strip() != "1"
            and threading.active_count() == 1 and cpus() >= 2)


@contextmanager
def no_collection() -> Iterator[None]:
    """Making (or unpickling) a great many objects that are kept: the cycle collector would only walk
    them again and again (at 20,000 event files, a third of the time)."""
    enabled_before = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled_before:
            gc.enable()


def map_in_two(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """[function(item) for item in items], in the same order, the later part in a forked child, with
    no cycle collection meanwhile."""
    with no_collection():
        return _map_in_two(function, items)


def _map_in_two(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    if not worth_forking(len(items)):
        return [function(item) for item in items]
    cut = int(len(items) * SHARE)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:  # the child: its part, pickled into the pipe
            os.close(read_end)
            data = pickle.dumps([function(item) for item in items[cut:]], protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
            os._exit(0)
        finally:  # an exception or an interrupt: gone, without running any of the caller's code
            os._exit(1)
    try:
        os.close(write_end)
        with os.fdopen(read_end, "rb") as incoming:
            first = [function(item) for item in items[:cut]]
            data = incoming.read()
        _, status = os.waitpid(pid, 0)
    except BaseException:  # interrupted, or a bug in `function`: the child is not left running
        _stop(pid)
        raise
    rest = _unpickle(data) if status == 0 else None
    if rest is None or len(rest) != len(items) - cut:
        rest = [function(item) for item in items[cut:]]
    return first + rest


def _unpickle(data: bytes) -> list | None:
    try:
        value = pickle.loads(data)  # noqa: S301 (made by this process's own fork, just now)
    except Exception:  # noqa: BLE001 — a truncated result only means the parent makes that part itself
        return None
    return value if isinstance(value, list) else None


def _stop(pid: int) -> None:
    try:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    except OSError:
        pass
