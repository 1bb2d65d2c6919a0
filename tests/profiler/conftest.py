"""Fixtures for the profiler tests: kernels with green_assist loaded, and their session logs."""

from __future__ import annotations

import importlib.util

import pytest

from green_assist.profiler.session_log import ProfileRecord, read_session_dir

from ..kernel_session import Execution, KernelSession

HAS_TORCH = importlib.util.find_spec("torch") is not None
needs_torch = [
    pytest.mark.torch,
    pytest.mark.skipif(not HAS_TORCH, reason="needs torch (pip install torch==2.13.0)"),
]


class ProfiledKernel:
    """A real kernel with ``%load_ext green_assist`` and its session-log folder."""

    def __init__(self, session: KernelSession, log_dir) -> None:
        self.session = session
        self.log_dir = log_dir

    def run(self, code: str, timeout: float = 120, **kwargs) -> Execution:
        return self.session.execute(code, timeout=timeout, **kwargs)

    def run_ok(self, code: str, timeout: float = 120) -> Execution:
        result = self.run(code, timeout=timeout)
        assert result.status == "ok", result.reply["content"]
        return result

    def records(self) -> list[ProfileRecord]:
        return [r for log in read_session_dir(self.log_dir) for r in log.records]

    def last_record(self) -> ProfileRecord:
        records = self.records()
        assert records, f"no record in {self.log_dir}"
        return records[-1]


def final_outputs(execution: Execution) -> list[dict]:
    """The display bundles a front end ends up showing: an ``update_display_data``
    replaces the earlier output with the same ``display_id``."""
    outputs: list[dict] = []
    slots: dict[str, int] = {}
    for msg in execution.iopub:
        kind, content = msg["header"]["msg_type"], msg["content"]
        display_id = content.get("transient", {}).get("display_id")
        if kind == "display_data":
            if display_id:
                slots[display_id] = len(outputs)
            outputs.append(content["data"])
        elif kind == "update_display_data" and display_id in slots:
            outputs[slots[display_id]] = content["data"]
    return outputs


def shown_text(execution: Execution) -> str:
    return "\n".join(bundle.get("text/plain", "") for bundle in final_outputs(execution))


def _start(cwd) -> ProfiledKernel:
    session = KernelSession.start(cwd=cwd, env={"GREEN_ASSIST_SESSION_DIR": str(cwd / "logs")})
    kernel = ProfiledKernel(session, cwd / "logs")
    kernel.run_ok("%load_ext green_assist")
    return kernel


@pytest.fixture
def profiled(tmp_path):
    """A fresh kernel with green_assist loaded; its records go to ``tmp_path/logs``."""
    kernel = _start(tmp_path)
    try:
        yield kernel
    finally:
        kernel.session.shutdown()


@pytest.fixture(scope="module")
def torch_kernel(tmp_path_factory):
    """One kernel per module with torch imported, for the FLOP-count tests."""
    if not HAS_TORCH:
        pytest.skip("needs torch (pip install torch==2.13.0)")
    kernel = _start(tmp_path_factory.mktemp("torch-kernel"))
    kernel.run_ok(
        "import torch\nfrom torch import nn\nimport torch.nn.functional as F\ntorch.manual_seed(0)"
    )
    try:
        yield kernel
    finally:
        kernel.session.shutdown()
