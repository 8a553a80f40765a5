"""A pure function over many items on two cores: this process works from the first item on, a
forked child from the last one back, a few items at a time, until they meet; the child sends its
results back pickled. Where they meet depends on how fast each goes, so a second core that the
machine gives less of (these are shared virtual machines) costs little waiting. Checking 10,000
event files is a second or two of Python, and these machines have two cores; nothing else a run
does is worth a second process.

Forking is done only where it is safe and pays: a platform with fork, a single-threaded process (a
thread holding a lock at the fork would leave it held in the child: `serve` forks for its first
build, before its server starts, never after), two CPUs to run on, enough items, and
TIMELINE_PROCESSES not set to 1. Whatever goes wrong in the child (an exception, a crash, a
signal), the parent makes its part itself: the outcome never depends on it.
"""
from __future__ import annotations

import gc
import mmap
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
STEP = 32  # items taken at a time: a few milliseconds of checking


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
    count = len(items)
    # Shared with the child: [0] the end of what this process has taken, [1] the start of the child's.
    # Each writes only its own and reads the other's before taking more. Both may take the last
    # step near the middle (each saw the other's mark before it moved): that step is made twice,
    # which costs a few milliseconds and changes nothing, the function being pure.
    shared = mmap.mmap(-1, 8)
    marks = memoryview(shared).cast("i")
    marks[0], marks[1] = 0, count
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no memory or no process left for a child: all of it here
        for end in (read_end, write_end):
            os.close(end)
        marks.release()
        shared.close()
        return [function(item) for item in items]
    if pid == 0:
        try:  # the child: steps from the end, each pickled as it is made, all sent at the end
            os.close(read_end)
            high, steps = count, []
            while high > marks[0]:
                low = max(high - STEP, 0)
                marks[1] = low
                # Pickled step by step (not all at the end), so that this costs the child time while the
                # parent can still take more items, not at the end while the parent waits.
                steps.append(pickle.dumps([function(item) for item in items[low:high]], protocol=pickle.HIGHEST_PROTOCOL))
                high = low
            data = pickle.dumps((high, steps[::-1]), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
            os._exit(0)
        finally:  # an exception or an interrupt: gone, without running any of the caller's code
            os._exit(1)
    try:
        os.close(write_end)
        with os.fdopen(read_end, "rb") as incoming:
            first: list[R] = []
            while (low := len(first)) < marks[1]:
                high = min(low + STEP, count)
                marks[0] = high
                first.extend(function(item) for item in items[low:high])
            data = incoming.read()
        _, status = os.waitpid(pid, 0)
    except BaseException:  # interrupted, or a bug in `function`: the child is not left running
        _stop(pid)
        raise
    finally:
        marks.release()
        shared.close()
    rest = _unpickle(data) if status == 0 else None
    done = len(first)
    if rest is None or not done >= rest[0] or len(rest[1]) != count - rest[0]:
        return first + [function(item) for item in items[done:]]  # the child failed: its part made here
    return first + rest[1][done - rest[0]:]


def _unpickle(data: bytes) -> tuple[int, list] | None:
    """(where the child's part starts, its results), or None if they did not all come."""
    try:
        start, steps = pickle.loads(data)  # noqa: S301 (made by this process's own fork, just now)
        return start, [value for step in steps for value in pickle.loads(step)]  # noqa: S301
    except Exception:  # noqa: BLE001 — a truncated result only means the parent makes that part itself
        return None


def _stop(pid: int) -> None:
    try:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    except OSError:
        pass
