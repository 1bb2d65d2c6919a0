"""fp16 mixed precision where the training loop is a function called once per epoch: the
GradScaler is created once next to the optimizer (not on every call), keeps its state
from epoch to epoch, and is saved in and restored from the checkpoint."""

import json
import re
import shutil

import pytest

from green_assist.refactor import refactor_path

from .conftest import SCRIPTS, run_script

torch = pytest.importorskip("torch")
pytestmark = [pytest.mark.torch, pytest.mark.slow]
STEPS_PER_EPOCH = 5


def test_scaler_lives_across_epochs_and_checkpoints(tmp_path):
    script = tmp_path / "train.py"
    shutil.copy(SCRIPTS / "train_epochs_checkpoint.py", script)
    result = refactor_path("mixed-precision", script, {"dtype": "fp16"})
    assert result.status == "changed", result.reason
    text = result.text
    creation = text.index("GradScaler(")
    assert text.index("def train_one_epoch") < text.index("optimizer = torch.optim.SGD") < creation
    assert "def train_one_epoch(model, batches, optimizer, *, scaler):" in text
    assert '"scaler": scaler.state_dict()' in text
    assert 'scaler.load_state_dict(checkpoint["scaler"])' in text
    # The helper's answer on a GPU with float16 units, so that the scaler is enabled here.
    forced, count = re.subn(r"= autocast_dtype\(.*\)", "= torch.float16", text)
    assert count == 2
    folder = tmp_path / "run"
    folder.mkdir()
    first, second = tmp_path / "first.py", tmp_path / "second.py"
    first.write_text(forced, encoding="utf-8")
    second.write_text(forced, encoding="utf-8")
    records = tmp_path / "records.json"
    run_script(SCRIPTS / "harness.py", str(records), f"{first}::{folder}", f"{second}::{folder}")
    for record in json.loads(records.read_text()).values():
        assert "error" not in record, record["error"]
    saved = torch.load(folder / "checkpoint.pt")
    # Four epochs over two runs, all counted by one scaler: its state survived each
    # call of train_one_epoch and the restart.
    assert saved["epoch"] == 3
    assert saved["scaler"]["_growth_tracker"] == 4 * STEPS_PER_EPOCH
