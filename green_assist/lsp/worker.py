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
    """A lazily started worker process; :meth:`call` runs ``function(*arguments)`` there."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        self._lock = asyncio.Lock()

    def start(self) -> None:
        """Start the process now (it imports in the background), if it is not running."""
        if self._process is not None and self._process.is_alive():
            return
        self.stop()
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(target=_serve, args=(child,), name=self.name, daemon=True)
        process.start()
        child.close()
        self._process, self._connection = process, parent

    async def call(self, function: Callable[..., Any], *arguments: Any, timeout: float) -> Any:
        """The function's result; raises WorkerCrashed, WorkerTimeout, or RuntimeError (its own)."""
        async with self._lock:
            try:
                self.start()
            except OSError as err:
                raise WorkerCrashed(f"cannot start the {self.name} process: {err}") from err
            connection = self._connection
            assert connection is not None
            loop = asyncio.get_running_loop()
            try:
                connection.send((function, arguments))
                status, value = await asyncio.wait_for(
                    loop.run_in_executor(None, connection.recv), timeout
                )
            except asyncio.TimeoutError:
                self.stop()
                raise WorkerTimeout(f"{self.name}: no answer within {timeout:.0f} s") from None
            except (EOFError, OSError) as err:
                code = None
                if self._process is not None:
                    self._process.join(timeout=1)
                    code = self._process.exitcode  # -11: a segmentation fault
                self.stop()
                raise WorkerCrashed(f"{self.name} process died (exit code {code})") from err
            if status == "error":
                raise RuntimeError(value)
            return value

    def stop(self) -> None:
        """Kill the process (a new one starts on the next call)."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()  # first: a thread blocked reading the pipe sees EOF
            self._process.join(timeout=5)
            self._process = None
        if self._connection is not None:
            self._connection.close()
            self._connection = None
