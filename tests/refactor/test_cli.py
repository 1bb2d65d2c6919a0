"""``green-assist refactor NAME PATH [--cell N] [--option k=v] [--diff | --write]``."""

import json
import os
import stat

import pytest

from green_assist.cli import main
from green_assist.cli.refactor import _write
from green_assist.refactor import RefactorResult

from .conftest import FIXTURES

TRAINING = """\
import torch

device = "cuda"
model = Net().to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for x, y in loader:
    loss = criterion(model(x.to(device)), y.to(device))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
"""


def test_diff_by_default_writes_nothing(tmp_path, capsys):
    path = tmp_path / "train.py"
    path.write_text(TRAINING)
    assert main(["refactor", "mixed-precision", str(path)]) == 0
    out, err = capsys.readouterr()
    assert (
        '+    with torch.autocast("cuda", dtype=amp_dtype, enabled=amp_dtype is not None):' in out
    )
    assert "note: " in err
    assert path.read_text() == TRAINING


def test_write_applies_the_refactor_and_check_no_longer_reports_ga101(tmp_path, capsys):
    path = tmp_path / "train.py"
    path.write_text(TRAINING)
    path.chmod(0o640)
    assert main(["check", str(path), "--select", "GA101"]) == 1
    capsys.readouterr()

    assert main(["refactor", "mixed-precision", str(path), "--write", "-o", "dtype=fp16"]) == 0
    new = path.read_text()
    assert "scaler.scale(loss).backward()" in new
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["train.py"]  # no temporary file left
    capsys.readouterr()
    assert main(["check", str(path), "--select", "GA101"]) == 0
    assert "GA101" not in capsys.readouterr().out


def test_refusal_exits_1_with_the_reason_and_leaves_the_file(tmp_path, capsys):
    path = tmp_path / "script.py"
    path.write_text("print('hello')\n")
    assert main(["refactor", "quantize", str(path), "--write"]) == 1
    assert "refused: found no statement that puts a model in evaluation mode" in (
        capsys.readouterr().err
    )
    assert path.read_text() == "print('hello')\n"


def test_usage_errors_exit_2(tmp_path, capsys):
    path = tmp_path / "train.py"
    path.write_text(TRAINING)
    assert main(["refactor", "mixed-precision", str(path), "-o", "dtype=fp8"]) == 2
    assert "option dtype='fp8': must be one of auto, bf16, fp16" in capsys.readouterr().err
    assert main(["refactor", "mixed-precision", str(path), "-o", "dtype"]) == 2
    assert main(["refactor", "mixed-precision", str(path), "--cell", "2"]) == 2
    assert "notebooks (.ipynb) only" in capsys.readouterr().err
    assert main(["refactor", "mixed-precision", str(tmp_path / "missing.py")]) == 2
    (tmp_path / "broken.py").write_text("for x in:\n")
    assert main(["refactor", "mixed-precision", str(tmp_path / "broken.py")]) == 2
    assert "syntax error" in capsys.readouterr().err


def test_write_refuses_a_result_that_does_not_parse(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(TRAINING)
    broken = RefactorResult("mixed-precision", str(path), "changed", text="def broken(:\n")
    with pytest.raises(ValueError, match="would not parse"):
        _write(path, broken)
    assert path.read_text() == TRAINING


def _notebook(*sources):
    cells = [
        {
            "cell_type": "code",
            "id": f"id-{i}",
            "metadata": {"tags": [str(i)]},
            "execution_count": i,
            "outputs": [{"output_type": "stream", "name": "stdout", "text": [f"out {i}\n"]}],
            "source": source.splitlines(keepends=True),
        }
        for i, source in enumerate(sources)
    ]
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


LOOP = """\
for x, y in loader_{n}:
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
"""


def test_notebook_write_with_cell_touches_only_that_cell(tmp_path, capsys):
    setup = "import torch\nmodel = Net().cuda()\noptimizer = torch.optim.SGD(model.parameters())"
    notebook = _notebook(setup, LOOP.format(n=1), "%timeit f()\n" + LOOP.format(n=2))
    path = tmp_path / "train.ipynb"
    text = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
    path.write_text(text)

    assert main(["refactor", "mixed-precision", str(path), "--cell", "3", "--write"]) == 0
    new = json.loads(path.read_text())
    assert new["cells"][:2] == notebook["cells"][:2]
    changed = new["cells"][2]
    assert {k: v for k, v in changed.items() if k != "source"} == {
        k: v for k, v in notebook["cells"][2].items() if k != "source"
    }
    source = "".join(changed["source"])
    assert source.startswith("%timeit f()\ndef autocast_dtype(")
    assert "for x, y in loader_2:\n    with torch.autocast(" in source
    # nbformat's layout is kept: one-space indentation, lines of source as a list.
    assert path.read_text().startswith('{\n "cells": [\n  {\n')
    assert main(["refactor", "mixed-precision", str(path), "--cell", "3"]) == 0
    assert "nothing to change" in capsys.readouterr().err


def test_notebook_cell_must_be_a_code_cell(tmp_path, capsys):
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(_notebook("x = 1\n")))
    assert main(["refactor", "mixed-precision", str(path), "--cell", "5"]) == 2
    assert "cell 5 is not a code cell" in capsys.readouterr().err


def test_fixture_notebook_written_in_place_matches_the_expected_notebook(tmp_path):
    source = FIXTURES / "distill" / "notebook.in.ipynb"
    path = tmp_path / "distill.ipynb"
    path.write_bytes(source.read_bytes())
    assert main(["refactor", "distill", str(path), "--write"]) == 0
    expected = json.loads((FIXTURES / "distill" / "notebook.out.ipynb").read_text())
    assert json.loads(path.read_text()) == expected
    assert os.access(path, os.R_OK)
