"""Mixed precision on a GAN loop (three backward passes, two optimizers per iteration),
run on the CPU: autocast wraps forward passes and losses only, and in float16 one
GradScaler scales every loss, steps both optimizers and is updated once per iteration."""

import json
import re
import shutil

import pytest

from green_assist.refactor import refactor_path

from .conftest import SCRIPTS, run_script
from .judge import amp_recipe_problems

pytest.importorskip("torch")
pytestmark = [pytest.mark.torch, pytest.mark.slow]


def refactored(tmp_path, options):
    script = tmp_path / "train_gan.py"
    shutil.copy(SCRIPTS / "train_gan.py", script)
    result = refactor_path("mixed-precision", script, options)
    assert result.status == "changed", result.reason
    assert amp_recipe_problems(script.read_text(), result.text) == []
    return result.text


def run(tmp_path, text, cpu=""):
    path = tmp_path / "refactored.py"
    path.write_text(text, encoding="utf-8")
    records = tmp_path / "records.json"
    run_script(SCRIPTS / "harness.py", str(records), f"{path}::::{cpu}")
    (record,) = json.loads(records.read_text()).values()
    assert "error" not in record, record["error"]
    return record


def test_bf16_keeps_every_backward_and_step_out_of_autocast(tmp_path):
    record = run(tmp_path, refactored(tmp_path, {"dtype": "bf16"}), cpu="avx512_bf16")
    assert len(record["backward_autocast"]) == 3 * 8 and not any(record["backward_autocast"])
    assert len(record["step_autocast"]) == 2 * 8 and not any(record["step_autocast"])
    assert all(on and out == "torch.bfloat16" for _, out, on in record["forward"])


def test_fp16_one_scaler_steps_both_optimizers_and_updates_once_per_iteration(tmp_path):
    text = refactored(tmp_path, {"dtype": "fp16"})
    assert text.count("GradScaler(") == 1
    assert text.count(".update()") == 1 and text.count("scaler.step(") == 2
    assert text.count("scaler.scale(") == 3
    # The helper's answer on a GPU with float16 units, so that the scaler is enabled here
    # (on a CPU it answers None: float32, scaler off).
    forced, replaced = re.subn(
        r"amp_dtype = autocast_dtype\(.*\)", "amp_dtype = torch.float16", text
    )
    assert replaced == 1
    record = run(tmp_path, forced)
    assert len(record["backward_autocast"]) == 3 * 8 and not any(record["backward_autocast"])
    assert all(on and out == "torch.float16" for _, out, on in record["forward"])
    assert "epoch 1" in record["stdout"]
