"""The refactors as code-action proposals, computed in their own worker process.

A refactor takes about a second on a 500-line file, far longer than an analysis,
so it runs in a worker process of its own (``green_assist.worker``, started on first use):
diagnostics keep flowing while a refactor runs, a refactor that hangs is killed
after ``timeout`` seconds, and a crash loses only the worker.

Proposals are cached for the latest snapshot of each target; a request for a
snapshot that is no longer the newest one is answered "stale" without work, so
fast typing never queues refactors of old text.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..refactor import REFACTORS, OptionError, refactor_cells, refactor_text
from ..worker import Worker, WorkerCrashed, WorkerTimeout
from .documents import Snapshot

logger = logging.getLogger(__name__)

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
        refactor = REFACTORS.get(self.name)
        return refactor.title if refactor is not None else self.name


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
        self._worker = Worker("green-assist refactors")
        self._turn = asyncio.Lock()
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
        async with self._turn:  # checked when its turn comes: typing may have moved on
            if not self._is_current(snapshot):
                return Proposal(name, "stale")
            options = dict(self.options.get(name, {}))
            try:
                proposal: Proposal = await self._worker.call(
                    propose, name, snapshot, options, max_bytes, timeout=self._timeout
                )
            except (WorkerCrashed, WorkerTimeout, RuntimeError) as err:
                logger.warning("refactor %s failed: %s", name, err)
                return Proposal(name, "error", f"the {name} refactor failed here: {err}")
            return proposal

    def close(self) -> None:
        """Stop the worker process (it is started again when needed)."""
        self._worker.stop()
