"""Typing into a file that takes long to analyse: analyses never pile up behind each other."""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from pathlib import Path

import pytest
import pytest_lsp

from .helpers import (
    RecordingClient,
    initialize_params,
    open_document,
    publishes,
    replace_document,
    server_config,
    wait_until,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

LOG = Path(tempfile.gettempdir()) / f"green-assist-lsp-typing-{os.getpid()}.log"
EDITS = 10
EDIT_INTERVAL_S = 0.06  # slower than the 30 ms debounce, faster than one analysis


@pytest_lsp.fixture(config=server_config("--log-file", str(LOG)), scope="module")
async def typing_client(lsp_client: RecordingClient, tmp_path_factory: pytest.TempPathFactory):
    await lsp_client.initialize_session(initialize_params(tmp_path_factory.mktemp("typing")))
    yield
    await lsp_client.shutdown_session()
    LOG.unlink(missing_ok=True)


def _slow_text(version: int) -> str:
    """Four thousand lines in which every top-level statement changes with ``version``.

    The analyzer caches parsed statements, so only a text that changes everywhere
    takes a whole parse (about a second on a 2-core VM, a few hundred ms on a fast one).
    """
    functions = (
        f"def step_{i}(model, x, y):\n"
        f"    scale = {version}\n"
        "    loss = (model(x) * scale - y).pow(2).mean()\n"
        "    return loss\n\n"
        for i in range(800)
    )
    return "import torch\n" + "".join(functions)


async def test_edits_during_an_analysis_merge_into_one_next_run(
    typing_client: RecordingClient, tmp_path: Path
) -> None:
    uri = (tmp_path / "slow.py").as_uri()
    open_document(typing_client, uri, _slow_text(1))
    await wait_until(lambda: publishes(typing_client, uri), timeout=60)
    last = EDITS + 1
    for version in range(2, last + 1):
        replace_document(typing_client, uri, _slow_text(version), version)
        await asyncio.sleep(EDIT_INTERVAL_S)
    await wait_until(lambda: publishes(typing_client, uri)[-1].version == last, timeout=60)

    events = re.findall(
        rf"analysis (starts|ends): {re.escape(uri)} generation (\d+)",
        LOG.read_text(encoding="utf-8"),
    )
    kinds = [kind for kind, _ in events]
    assert kinds == ["starts", "ends"] * (len(kinds) // 2), f"analyses overlapped: {events}"
    analysed = [int(generation) for kind, generation in events if kind == "starts"]
    # The open, then at most the run in progress when typing ended and the newest text.
    assert len(analysed) < EDITS, f"every edit was analysed, none merged: {analysed}"
    assert analysed[-1] == last  # generation n is the text of version n here
    versions = [params.version for params in publishes(typing_client, uri)]
    assert versions == sorted(versions)
