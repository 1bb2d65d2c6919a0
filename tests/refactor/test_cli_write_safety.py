"""``green-assist refactor --write`` writes what the user pointed at, or nothing."""

import stat

from green_assist.cli import main

TRAINING = """\
import torch

model = Net().cuda()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for x, y in loader:
    loss = criterion(model(x.cuda()), y.cuda())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
"""


def test_write_through_a_symlink_changes_the_target_and_keeps_the_link(tmp_path, capsys):
    real = tmp_path / "src" / "train.py"
    real.parent.mkdir()
    real.write_text(TRAINING)
    link = tmp_path / "train.py"
    link.symlink_to(real)
    assert main(["refactor", "mixed-precision", str(link), "--write"]) == 0, capsys.readouterr()
    assert link.is_symlink()
    assert "torch.autocast" in real.read_text()


def test_write_refuses_a_read_only_file(tmp_path, capsys):
    path = tmp_path / "train.py"
    path.write_text(TRAINING)
    path.chmod(0o444)
    assert main(["refactor", "mixed-precision", str(path), "--write"]) == 2
    err = capsys.readouterr().err
    assert "read-only" in err and "not written" in err
    assert path.read_text() == TRAINING
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert sorted(p.name for p in tmp_path.iterdir()) == ["train.py"]
