"""bench/gpu_check.py: its no-GPU exit here, and its measuring logic over the fake NVML."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .fake_nvml import FakeClock, FakeGpu, fake_nvml

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "gpu_check.py"


class WallClock(FakeClock):
    """The fake GPU's traces follow real time, since the check uses real sampler threads."""

    def __init__(self) -> None:
        self.t0 = time.monotonic()

    def __call__(self) -> float:
        return time.monotonic() - self.t0


def load_script():
    spec = importlib.util.spec_from_file_location("gpu_check", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.torch
def test_without_a_gpu_it_says_so_and_exits_0():
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("a CUDA GPU is visible: run the check itself")
    result = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "no CUDA GPU is visible" in result.stdout


def test_check_logic_over_a_fake_gpu_at_constant_power():
    gpu_check = load_script()
    nvml = fake_nvml(WallClock(), [FakeGpu("H100", "GPU-aaaa", [(0.0, 250_000.0)])])
    windows = [(0.2, 1), (0.05, 2)]
    report = gpu_check.run_check(nvml, time.sleep, 0.8, windows, {})
    whole = report["whole_run"]["gpu:0"]
    assert whole["meter_method"] == "counter"
    # Constant 250 W: each view's energy over its own duration is 250 W (1 mJ rounding).
    assert whole["mean_power_w"] == pytest.approx(250.0, rel=1e-3)
    # The three meters open their windows one after another (ms apart on a loaded machine).
    assert whole["ratio_meter_to_polled_100hz"] == pytest.approx(1.0, rel=5e-2)
    assert whole["ratio_meter_to_polled_10hz"] == pytest.approx(1.0, rel=5e-2)
    rows = {row["length_s"]: row for row in report["windows"]}
    assert rows[0.2]["methods"] == ["counter"] and rows[0.2]["count"] == 1
    assert rows[0.05]["methods"] == ["polled"] and rows[0.05]["count"] == 2
    assert rows[0.05]["meter_over_polled"]["median"] == pytest.approx(1.0, rel=0.2)
    text = gpu_check.format_report(report, "header")
    assert "gpu:0 H100" in text and "green_assist/polled" in text
    assert nvml.calls.count("shutdown") == 3  # every meter released NVML
