"""One worker process that runs one call at a time, so that nothing it runs can stop the server.

Analyses and refactors run here rather than in the server: a crash in native code
(libcst's parser overflows its stack on a few thousand nested brackets, and a
segmentation fault cannot be caught) costs only the worker, which is started again
for the next call; a call that runs past its time limit is killed; and the server's
event loop never competes with them for the GIL.

The worker is spawned (not forked: the server has threads) and writes anything it
prints to stderr, since stdout carries the LSP messages.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any


class WorkerCrashed(RuntimeError):
    """The worker died during the call (or could not be started)."""


class WorkerTimeout(RuntimeError):
    """The call ran past its time limit; the worker was killed."""


def _serve(connection: Connection) -> None:
    os.dup2(2, 1)  # keep the LSP channel clean
    sys.stdout = sys.stderr
    while True:
        try:
            function, arguments = connection.recv()
        except (EOFError, OSError):
            return  # the server is gone
        try:
            reply: tuple[str, Any] = ("ok", function(*arguments))
        except BaseException as err:  # report, keep serving
            reply = ("error", f"{type(err).__name__}: {err}")
        connection.send(reply)


class Worker:
    """A lazily started worker process; :meth:`call` runs ``function(*arguments)`` there.

    Each call is one round trip (send, then receive) made on one thread of its own, so
    round trips never overlap: a caller that is cancelled (newer text arrived) stops
    waiting, but its round trip still ends before the next begins, and its reply can
    never be taken for the next call's.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        self._round_trips = ThreadPoolExecutor(1, thread_name_prefix=name)

    def start(self) -> None:
        """Start the process in the background now (it imports for a second or so)."""
        self._round_trips.submit(self._ensure_started)

    def _ensure_started(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._connection:
            return self._connection
        self._discard()
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(target=_serve, args=(child,), name=self.name, daemon=True)
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
            return connection.recv()
        except (EOFError, OSError) as err:
            code = None
            if self._process is not None:
                self._process.join(timeout=1)
                code = self._process.exitcode  # -11: a segmentation fault; -9: killed
            self._discard()
            raise WorkerCrashed(f"{self.name} process died (exit code {code})") from err

    async def call(self, function: Callable[..., Any], *arguments: Any, timeout: float) -> Any:
        """The function's result; raises WorkerCrashed, WorkerTimeout, or RuntimeError (its own)."""
        job = self._round_trips.submit(self._round_trip, function, arguments)
        future = asyncio.wrap_future(job)
        future.add_done_callback(_retrieve)
        try:
            status, value = await asyncio.wait_for(asyncio.shield(future), timeout)
        except asyncio.TimeoutError:
            self._kill()  # its round trip then ends with EOF and cleans up
            raise WorkerTimeout(f"{self.name}: no answer within {timeout:.0f} s") from None
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


def _retrieve(future: asyncio.Future[Any]) -> None:
    """Mark the outcome of a round trip nobody waits for any more as seen."""
    if not future.cancelled():
        future.exception()
