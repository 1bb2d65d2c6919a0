"""A second run of a refactor on its own output exits 0 with "nothing to change"."""

import pytest

from green_assist.cli import main

FABRIC = """\
import lightning as L
import torch

fabric = L.Fabric(accelerator="cuda", devices=2)
model, optimizer = fabric.setup(Net(), torch.optim.AdamW(params, lr=1e-4))
for batch in loader:
    optimizer.zero_grad()
    loss = model(batch).loss
    fabric.backward(loss)
    optimizer.step()
"""

PARTLY_CONVERTED = """\
import torch

for x, y in loader:
    with torch.autocast("cuda", dtype=torch.bfloat16):
        loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()

for batch in other_loader:
    total = 0
    for part in batch:
        total = total + model(part).sum()
    total.backward()
    optimizer.step()
"""


@pytest.mark.parametrize("dtype", ["bf16", "fp16", "auto"])
def test_fabric_precision_set_by_the_first_run_is_nothing_to_change(tmp_path, capsys, dtype):
    path = tmp_path / "train.py"
    path.write_text(FABRIC)
    assert main(["refactor", "mixed-precision", str(path), "-o", f"dtype={dtype}", "--write"]) == 0
    assert "precision=" in path.read_text()
    capsys.readouterr()
    assert main(["refactor", "mixed-precision", str(path), "-o", f"dtype={dtype}"]) == 0
    err = capsys.readouterr().err
    assert "nothing to change" in err and "by hand" not in err


def test_code_already_in_mixed_precision_with_one_step_left_by_hand_exits_0(tmp_path, capsys):
    path = tmp_path / "train.py"
    path.write_text(PARTLY_CONVERTED)
    assert main(["refactor", "mixed-precision", str(path)]) == 0
    err = capsys.readouterr().err
    assert "nothing to change" in err and "`total.backward()`" in err
    assert path.read_text() == PARTLY_CONVERTED
