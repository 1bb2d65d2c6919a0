"""The quickstart notebook runs in a real kernel in seconds and its %%greenprofile cell
shows energy, CO2e and FLOPs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import needs_torch, shown_text

pytestmark = [pytest.mark.slow, *needs_torch]
QUICKSTART = Path(__file__).parents[2] / "examples" / "quickstart.ipynb"


def test_quickstart_shows_energy_co2e_and_flops(profiled):
    cells = json.loads(QUICKSTART.read_text())["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    assert any(source.startswith("%%greenprofile --flops") for source in code)
    for source in code:
        result = profiled.run_ok(source, timeout=300)
    shown = shown_text(result)
    assert "green_assist: epoch 2" in shown
    for text in ("energy", "CO2e", "FLOP", "2 FLOPs per multiply-add", "estimated"):
        assert text in shown, text
    record = profiled.last_record()
    assert record.label == "epoch 2" and record.status == "ok"
    assert record.flops == 64 * 612_106_240  # 4,096 samples in batches of 64, one MLP step each
    assert record.flops_complete is True
    assert record.energy_j and record.co2e_g
