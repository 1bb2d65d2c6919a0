"""Shared handler behaviour: authentication, bounded JSON bodies, jobs in worker processes.

A request body is refused from its ``Content-Length`` before a byte of it is read, and
never buffered past :data:`MAX_BODY_BYTES` (chunked bodies included): one client cannot
make the server hold hundreds of megabytes, or stall everyone else while it reads them.
Analyses, refactors and reports run in worker processes (``green_assist.worker``) with a
time and memory budget each; a job whose client goes away is stopped.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jupyter_server.base.handlers import APIHandler
from tornado import web
from tornado.http1connection import HTTP1Connection

from ..worker import WorkerCrashed, WorkerOutOfMemory, WorkerPool, WorkerTimeout
from . import limits

# Request bodies larger than this are refused with 413: the server parses what it
# is sent and must stay responsive for everyone else on it.
MAX_BODY_BYTES = limits.MAX_BODY_BYTES
WORKERS_SETTING = "green_assist_workers"


def _too_large(size: int) -> web.HTTPError:
    return web.HTTPError(
        413,
        f"Request body is {size:,} bytes; the limit is {MAX_BODY_BYTES:,}. "
        "Send one notebook or file at a time.",
    )


class GreenAssistHandler(APIHandler):
    """Base class: every route is authenticated (no token, no answer: 403)."""

    @property
    def root(self) -> Path:
        """The folder the server shows; paths in requests are relative to it."""
        return Path(self.settings.get("server_root_dir", ".")).expanduser().resolve()

    def write_json(self, payload: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(payload))

    def read_json(self) -> dict[str, Any]:
        """The request body as a JSON object; 413 when too big, 400 when not JSON."""
        body = self.request.body or b""
        if len(body) > MAX_BODY_BYTES:
            raise _too_large(len(body))
        try:
            data = json.loads(body or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise web.HTTPError(400, f"Request body is not valid JSON: {err}") from err
        except RecursionError as err:
            raise web.HTTPError(400, "Request body is JSON nested too deeply.") from err
        if not isinstance(data, dict):
            raise web.HTTPError(400, "Request body must be a JSON object.")
        return data

    async def run_job(self, function: Callable[..., Any], *arguments: Any, timeout: float) -> Any:
        """``function(*arguments)`` in a worker process, within the time and memory budget.

        Over budget: 413 (the input is too much for one request); a crash of the worker
        on this input: 422. If the client goes away meanwhile, the job is stopped.
        """
        pool: WorkerPool = self.settings[WORKERS_SETTING]
        self._job: asyncio.Future[Any] | None = asyncio.ensure_future(
            pool.call(function, *arguments, timeout=timeout)
        )
        try:
            return await self._job
        except asyncio.CancelledError:
            raise web.Finish() from None  # the client is gone; nobody reads an answer
        except WorkerTimeout as err:
            raise web.HTTPError(
                413,
                f"this request needs more than the {timeout:.0f} s a request may take here;"
                " send less code (one notebook or file, or one cell)",
            ) from err
        except WorkerOutOfMemory as err:
            raise web.HTTPError(
                413,
                f"this request needs more than the {limits.WORKER_MEMORY_BYTES >> 20} MiB of"
                " memory a request may use here; send less code",
            ) from err
        except WorkerCrashed as err:
            raise web.HTTPError(
                422, f"the code could not be processed (the worker stopped: {err})"
            ) from err
        finally:
            self._job = None

    def on_connection_close(self) -> None:
        super().on_connection_close()
        job = getattr(self, "_job", None)
        if job is not None:
            job.cancel()


@web.stream_request_body
class BodyLimitedHandler(GreenAssistHandler):
    """A handler whose body is read only after authentication and a size check."""

    async def prepare(self) -> None:  # type: ignore[override]
        self._chunks: list[bytes] = []
        self._received = 0
        await super().prepare()
        if self._finished:
            return
        # Tornado stops reading a body (chunked ones too) past this size and then
        # closes the connection, so a refused body is not even read.
        connection = self.request.connection
        if isinstance(connection, HTTP1Connection):
            connection.set_max_body_size(MAX_BODY_BYTES)
        declared = self.request.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            raise _too_large(int(declared))

    def data_received(self, chunk: bytes) -> None:
        self._received += len(chunk)
        if not self._finished and self._received <= MAX_BODY_BYTES:
            self._chunks.append(chunk)

    def read_json(self) -> dict[str, Any]:
        self.request.body = b"".join(self._chunks)
        self._chunks = []
        return super().read_json()
