"""Worker processes that run one call at a time, so that nothing they run can stop a server.

The language server and the Jupyter server extension run analyses and refactors
here rather than in their own process: a crash in native code (libcst's parser
overflows its stack on a few thousand nested brackets, and a segmentation fault
cannot be caught) costs only the worker, which is started again for the next call;
a call that runs past its time limit is killed; a call that needs more memory than
the worker's budget fails with :class:`WorkerOutOfMemory` instead of swapping the
machine; and the server's event loop never competes with them for the GIL.

A worker is spawned (not forked: servers have threads) and writes anything it
prints to stderr, since the language server's stdout carries LSP messages. Its
round trips run on a daemon thread, so a server that is told to stop exits at once:
the worker process, a daemon too, is killed on the way out.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import queue
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any


class WorkerCrashed(RuntimeError):
    """The worker died during the call (or could not be started)."""


class WorkerTimeout(RuntimeError):
    """The call ran past its time limit; the worker was killed."""


class WorkerOutOfMemory(RuntimeError):
    """The call needed more memory than the worker's budget; the worker was replaced."""


def _limit_memory(limit_bytes: int | None) -> None:
    """Cap the worker's address space: past it, allocations fail with MemoryError."""
    if not limit_bytes:
        return
    try:
        import resource
    except ImportError:  # not on Windows; the time limit still applies there
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit_bytes = min(limit_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, hard))


# Exit status of a worker that ran out of memory with too little left even to say so.
_OUT_OF_MEMORY_EXIT = 86


def _serve(connection: Connection, memory_limit: int | None, niceness: int) -> None:
    os.dup2(2, 1)  # keep the LSP channel clean
    sys.stdout = sys.stderr
    _limit_memory(memory_limit)
    if niceness and hasattr(os, "nice"):
        os.nice(niceness)  # the server's own event loop comes first on a busy machine
    try:
        _serve_calls(connection)
    except MemoryError:  # raised again while reporting one (formatting, sending)
        os._exit(_OUT_OF_MEMORY_EXIT)


def _serve_calls(connection: Connection) -> None:
    while True:
        try:
            function, arguments = connection.recv()
        except (EOFError, OSError):
            return  # the server is gone
        except MemoryError:  # the request alone is over the budget
            connection.send(("memory", None))
            return
        try:
            reply: tuple[str, Any] = ("ok", function(*arguments))
        except MemoryError:
            reply = ("memory", None)
        except BaseException as err:  # report, keep serving
            reply = ("error", f"{type(err).__name__}: {err}")
        try:
            connection.send(reply)
        except MemoryError:
            connection.send(("memory", None))
        if reply[0] == "memory":
            return  # a process that ran out of memory once is not trusted again


class _SerialThread:
    """Runs submitted callables one after another on one daemon thread.

    Unlike a ThreadPoolExecutor's, the thread is never waited for at exit: a server
    stopping while a call runs exits at once.
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._jobs: queue.SimpleQueue[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]]
        self._jobs = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, function: Callable[..., Any], *arguments: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self._jobs.put((future, function, arguments))
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
        return future

    def _run(self) -> None:
        while True:
            future, function, arguments = self._jobs.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(function(*arguments))
            except BaseException as err:
                future.set_exception(err)


class Worker:
    """A lazily started worker process; :meth:`call` runs ``function(*arguments)`` there.

    Each call is one round trip (send, then receive) made on one thread of its own, so
    round trips never overlap: a caller that is cancelled (newer text arrived) stops
    waiting, but its round trip still ends before the next begins, and its reply can
    never be taken for the next call's. ``memory_limit`` (bytes of address space)
    bounds what one call may allocate; ``niceness`` lowers the process's CPU priority.
    """

    def __init__(self, name: str, memory_limit: int | None = None, niceness: int = 0) -> None:
        self.name = name
        self.memory_limit = memory_limit
        self.niceness = niceness
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        self._round_trips = _SerialThread(name)

    def start(self) -> None:
        """Start the process in the background now (it imports for a second or so)."""
        self._round_trips.submit(self._ensure_started)

    def _ensure_started(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._connection:
            return self._connection
        self._discard()
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(
            target=_serve,
            args=(child, self.memory_limit, self.niceness),
            name=self.name,
            daemon=True,
        )
        process.start()
        child.close()
        self._process, self._connection = process, parent
        return parent

    def _round_trip(self, function: Callable[..., Any], arguments: tuple[Any, ...]) -> Any:
        try:
            connection = self._ensure_started()
        except OSError as err:
            raise WorkerCrashed(f"cannot start the {self.name} process: {err}") from err
        try:
            connection.send((function, arguments))
            reply = connection.recv()
        except (EOFError, OSError) as err:
            code = None
            if self._process is not None:
                self._process.join(timeout=1)
                code = self._process.exitcode  # -11: a segmentation fault; -9: killed
            self._discard()
            if code == _OUT_OF_MEMORY_EXIT or (code == -signal.SIGABRT and self.memory_limit):
                # Native code (libcst's parser) aborts when an allocation fails.
                return ("memory", None)
            raise WorkerCrashed(f"{self.name} process died (exit code {code})") from err
        if reply[0] == "memory":
            self._discard()
        return reply

    async def call(
        self,
        function: Callable[..., Any],
        *arguments: Any,
        timeout: float,
        kill_on_cancel: bool = False,
    ) -> Any:
        """The function's result.

        Raises WorkerCrashed, WorkerTimeout, WorkerOutOfMemory, or RuntimeError (the
        function's own error). ``kill_on_cancel``: a cancelled caller also stops the
        call (its client went away), instead of letting it finish in the background.
        """
        job = self._round_trips.submit(self._round_trip, function, arguments)
        future = asyncio.wrap_future(job)
        future.add_done_callback(_retrieve)
        try:
            status, value = await asyncio.wait_for(asyncio.shield(future), timeout)
        except asyncio.TimeoutError:
            self._kill()  # its round trip then ends with EOF and cleans up
            raise WorkerTimeout(f"{self.name}: no answer within {timeout:.0f} s") from None
        except asyncio.CancelledError:
            if kill_on_cancel:
                self._kill()
            raise
        if status == "memory":
            raise WorkerOutOfMemory(f"{self.name}: over its memory budget")
        if status == "error":
            raise RuntimeError(value)
        return value

    def _kill(self) -> None:
        process = self._process
        if process is not None and process.is_alive():
            process.kill()

    def _discard(self) -> None:
        """Forget the process (on the round-trip thread, which owns the connection)."""
        self._kill()
        if self._process is not None:
            self._process.join(timeout=5)
            self._process = None
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def stop(self) -> None:
        """Kill the process (a new one starts on the next call)."""
        self._kill()
        self._round_trips.submit(self._discard)


class WorkerPool:
    """``size`` workers; each call takes a free one, waiting in line when all are busy."""

    def __init__(
        self, name: str, size: int, memory_limit: int | None = None, niceness: int = 0
    ) -> None:
        self.size = max(1, size)
        self._workers = [
            Worker(f"{name} {i + 1}", memory_limit, niceness) for i in range(self.size)
        ]
        self._free: asyncio.Queue[Worker] = asyncio.Queue()
        for worker in self._workers:
            self._free.put_nowait(worker)

    def start(self) -> None:
        for worker in self._workers:
            worker.start()

    async def call(
        self,
        function: Callable[..., Any],
        *arguments: Any,
        timeout: float,
        kill_on_cancel: bool = True,
    ) -> Any:
        """As :meth:`Worker.call`; ``timeout`` counts from when a worker takes the call."""
        worker = await self._free.get()
        try:
            return await worker.call(
                function, *arguments, timeout=timeout, kill_on_cancel=kill_on_cancel
            )
        finally:
            self._free.put_nowait(worker)

    def stop(self) -> None:
        for worker in self._workers:
            worker.stop()


def _retrieve(future: asyncio.Future[Any]) -> None:
    """Mark the outcome of a round trip nobody waits for any more as seen."""
    if not future.cancelled():
        future.exception()
