"""The worker process: results come back, errors are reported, crashes and hangs cost only it."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from green_assist.worker import Worker, WorkerCrashed, WorkerTimeout

pytestmark = pytest.mark.asyncio


def add(a: int, b: int) -> int:
    return a + b


def pid() -> int:
    return os.getpid()


def fail() -> None:
    raise ValueError("bad input")


def crash() -> None:
    os.abort()  # as a segmentation fault in native code would


def hang() -> None:
    time.sleep(600)


def slow(value: str) -> str:
    time.sleep(1)
    return value


async def test_results_errors_crashes_and_hangs() -> None:
    worker = Worker("test worker")
    try:
        assert await worker.call(add, 2, 3, timeout=60) == 5
        first = await worker.call(pid, timeout=60)
        assert first != os.getpid()

        with pytest.raises(RuntimeError, match="ValueError: bad input"):
            await worker.call(fail, timeout=60)
        assert await worker.call(pid, timeout=60) == first  # an error does not cost the worker

        with pytest.raises(WorkerCrashed, match="died"):
            await worker.call(crash, timeout=60)
        second = await worker.call(pid, timeout=60)
        assert second != first  # replaced

        started = time.monotonic()
        with pytest.raises(WorkerTimeout):
            await worker.call(hang, timeout=1)
        assert time.monotonic() - started < 30
        assert await worker.call(add, 1, 1, timeout=60) == 2
        assert await worker.call(pid, timeout=60) != second  # the hung one was killed
    finally:
        worker.stop()


async def test_a_cancelled_call_never_answers_the_next_one() -> None:
    """The server cancels an analysis when newer text arrives; the next call gets its own reply."""
    worker = Worker("test worker")
    try:
        for _ in range(3):
            stale = asyncio.ensure_future(worker.call(slow, "stale", timeout=60))
            await asyncio.sleep(0.3)
            stale.cancel()
            assert await worker.call(slow, "fresh", timeout=60) == "fresh"
            assert await worker.call(add, 1, 2, timeout=60) == 3
    finally:
        worker.stop()
