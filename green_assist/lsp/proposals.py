"""The refactors as code-action proposals, computed in a worker process.

A refactor takes about a second on a 500-line file, far longer than an analysis,
so it runs in one worker process (spawned on first use): the server's own thread
stays free to analyse and publish diagnostics while a refactor runs, a refactor
that hangs is killed after ``timeout`` seconds, and a crash loses only the worker.

Proposals are cached for the latest snapshot of each target; a request for a
snapshot that is no longer the newest one is answered "stale" without work, so
fast typing never queues refactors of old text.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from multiprocessing.pool import Pool
from typing import Any

from ..refactor import REFACTORS, OptionError, refactor_cells, refactor_text
from .documents import Snapshot

logger = logging.getLogger(__name__)

# Code-action titles, in the order they are offered.
TITLES = {
    "mixed-precision": "Convert to mixed precision",
    "quantize": "Quantize model for inference",
    "distill": "Distill into a smaller student",
    "pretrained": "Use pretrained weights",
}
DEFAULT_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Proposal:
    """What one refactor would do to one snapshot.

    ``status``: ``changed`` (``new_texts`` holds the new text of each changed part),
    ``unchanged``, ``refused`` or ``error`` (``reason`` says why), or ``stale`` (not
    computed: the snapshot was superseded).
    """

    name: str
    status: str
    reason: str | None = None
    notes: tuple[str, ...] = ()
    new_texts: Mapping[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return TITLES.get(self.name, self.name)


def answers(name: str) -> tuple[str, ...]:
    """The rule codes whose findings the refactor ``name`` fixes."""
    refactor = REFACTORS.get(name)
    return tuple(refactor.answers) if refactor is not None else ()


def propose(name: str, snapshot: Snapshot, options: Mapping[str, Any], max_bytes: int) -> Proposal:
    """Run one refactor on a snapshot (in the worker process; also usable directly)."""
    try:
        if snapshot.notebook:
            result = refactor_cells(
                name, snapshot.cells(), snapshot.label, options, max_source_bytes=max_bytes
            )
            new_texts = {snapshot.parts[change.index].uri: change.new for change in result.cells}
        else:
            result = refactor_text(
                name, snapshot.parts[0].text, snapshot.label, options, max_source_bytes=max_bytes
            )
            new_texts = (
                {snapshot.parts[0].uri: result.text}
                if result.changed and result.text is not None
                else {}
            )
    except OptionError as err:
        return Proposal(name, "error", f"invalid refactor option: {err}")
    except Exception as err:  # a refactor bug must not cost the user the server
        logger.exception("refactor %s failed", name)
        return Proposal(name, "error", f"internal error in the {name} refactor: {err!r}")
    status = "changed" if result.changed and new_texts else result.status
    if status == "changed" and not new_texts:
        status = "unchanged"
    return Proposal(name, status, result.reason, tuple(result.notes), new_texts)


def _worker_setup() -> None:
    """Keep the worker off the LSP channel: its stdout goes to stderr."""
    os.dup2(2, 1)
    sys.stdout = sys.stderr


class ProposalRunner:
    """Computes proposals one at a time in a worker process; see the module docstring."""

    def __init__(
        self,
        is_current: Callable[[Snapshot], bool],
        options: Mapping[str, Mapping[str, Any]] | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self._is_current = is_current
        self.options: dict[str, Mapping[str, Any]] = dict(options or {})
        self._timeout = timeout
        self._pool: Pool | None = None
        self._lock = asyncio.Lock()
        # target key -> (snapshot, {refactor name: task})
        self._cache: dict[str, tuple[Snapshot, dict[str, asyncio.Task[Proposal]]]] = {}

    async def proposal(self, name: str, snapshot: Snapshot, max_bytes: int) -> Proposal:
        """The proposal of refactor ``name`` for ``snapshot`` (cached for the latest snapshot)."""
        cached = self._cache.get(snapshot.key)
        if cached is None or cached[0] != snapshot:
            cached = (snapshot, {})
            self._cache[snapshot.key] = cached
        tasks = cached[1]
        task = tasks.get(name)
        if task is None:
            task = asyncio.ensure_future(self._compute(name, snapshot, max_bytes))
            tasks[name] = task
        # Shielded: a cancelled code-action request leaves the result for the next one.
        return await asyncio.shield(task)

    def forget(self, key: str) -> None:
        self._cache.pop(key, None)

    async def _compute(self, name: str, snapshot: Snapshot, max_bytes: int) -> Proposal:
        async with self._lock:
            if not self._is_current(snapshot):
                self._drop(snapshot, name)
                return Proposal(name, "stale")
            options = self.options.get(name, {})
            try:
                return await asyncio.wait_for(
                    self._in_worker(name, snapshot, options, max_bytes), self._timeout
                )
            except asyncio.TimeoutError:
                self.close()  # the worker may be stuck: start a fresh one next time
                return Proposal(
                    name, "error", f"the {name} refactor took over {self._timeout:.0f} s"
                )
            except Exception as err:  # the worker died or could not start
                logger.exception("refactor worker failed")
                self.close()
                return Proposal(name, "error", f"the refactor worker failed: {err!r}")

    def _drop(self, snapshot: Snapshot, name: str) -> None:
        cached = self._cache.get(snapshot.key)
        if cached is not None and cached[0] == snapshot:
            cached[1].pop(name, None)

    async def _in_worker(
        self, name: str, snapshot: Snapshot, options: Mapping[str, Any], max_bytes: int
    ) -> Proposal:
        if self._pool is None:
            self._pool = multiprocessing.get_context("spawn").Pool(1, initializer=_worker_setup)
        loop = asyncio.get_running_loop()
        done: asyncio.Future[Proposal] = loop.create_future()

        def settle(result: Any, error: BaseException | None = None) -> None:
            if not done.done():
                if error is not None:
                    done.set_exception(error)
                else:
                    done.set_result(result)

        self._pool.apply_async(
            propose,
            (name, snapshot, dict(options), max_bytes),
            callback=lambda result: loop.call_soon_threadsafe(settle, result),
            error_callback=lambda error: loop.call_soon_threadsafe(settle, None, error),
        )
        return await done

    def close(self) -> None:
        """Stop the worker process (it is started again when needed)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None
