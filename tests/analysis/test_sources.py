"""Loading files and notebooks: IPython masking, cell mapping, clear errors for bad input."""

import json

import libcst as cst
import pytest

from green_assist.analysis import ErrorKind, FileError, NotebookSource, PythonSource, load_path
from green_assist.analysis.masking import mask_ipython
from green_assist.analysis.sources import CellSplitError, notebook_from_cells, notebook_from_json


def masked_lines(source):
    masked, masks = mask_ipython(source)
    assert len(masked.splitlines()) == len(source.splitlines()), "masking must keep every line"
    cst.parse_module(masked)  # the masked cell is valid Python
    return masked.splitlines(), masks


@pytest.mark.parametrize(
    "line",
    [
        "%matplotlib inline",
        "!pip install torch",
        "?torch.randn",
        "torch.randn?",
        "torch.randn??",
        "%time y = f(x)",
        "%%time",
    ],
)
def test_ipython_lines_are_masked(line):
    lines, masks = masked_lines(f"import torch\n{line}\nx = 1\n")
    assert lines[0] == "import torch" and lines[2] == "x = 1"
    assert "green-assist: masked" in lines[1]
    assert list(masks.values()) == [[line + "\n"]]


def test_assignment_magics_keep_their_target():
    lines, _ = masked_lines("files = !ls *.py\nenv = %env\n")
    assert lines[0].startswith("files = ...")
    assert lines[1].startswith("env = ...")


def test_magic_inside_a_block_keeps_the_block_valid():
    lines, _ = masked_lines("for i in range(3):\n    %time f(i)\n")
    assert lines[1].startswith("    ...")


def test_percent_and_question_marks_in_python_are_left_alone():
    source = (
        "x = (a\n     % b)\n"
        's = """\n%not a magic\n!not shell\n"""\n'
        "y = 1  # really?\n"
        "# what?\n"
        "z = f'{x}?'\n"
    )
    masked, masks = mask_ipython(source)
    assert masked == source and masks == {}


def test_continued_magic_lines_are_masked_together():
    lines, masks = masked_lines("%timeit -n 10 \\\n    f(x)\ny = 2\n")
    assert "masked-continued" in lines[1]
    assert lines[2] == "y = 2"
    assert list(masks.values()) == [["%timeit -n 10 \\\n", "    f(x)\n"]]


def test_cell_magic_with_foreign_body_masks_the_cell():
    lines, _ = masked_lines("%%bash\nfor f in *; do echo $f; done\n")
    assert all("green-assist: masked" in line for line in lines)


def test_cell_magic_with_python_body_keeps_the_body():
    lines, _ = masked_lines("%%time\nloss = model(x)\n")
    assert lines[1] == "loss = model(x)"


def test_notebook_positions_map_back_to_cells():
    notebook = notebook_from_cells(
        ["import torch\n", {"cell_type": "markdown", "source": "# title"}, "%load_ext x\ny = 2\n"]
    )
    assert isinstance(notebook, NotebookSource)
    joined_lines = notebook.joined.splitlines()
    line = joined_lines.index("y = 2") + 1
    assert notebook.locate(line, 5) == (2, 2, 5)  # cell index 2 counts the markdown cell


def test_indented_cell_is_dedented_and_columns_map_back():
    notebook = notebook_from_cells(["    x = 1\n    y = x\n"])
    cst.parse_module(notebook.joined)
    line = notebook.joined.splitlines().index("y = x") + 1
    assert notebook.locate(line, 1) == (0, 2, 5)


def test_split_cells_restores_magics_after_a_rewrite():
    cells = ["%matplotlib inline\nimport torch\n", "!nvidia-smi\nx = torch.randn(3).cuda()"]
    notebook = notebook_from_cells(cells)
    assert notebook.split_cells(notebook.joined) == {0: cells[0], 1: cells[1]}
    rewritten = notebook.joined.replace("torch.randn(3).cuda()", 'torch.randn(3, device="cuda")')
    rewritten = rewritten.replace("import torch\n", "import os\nimport torch\n")
    assert notebook.split_cells(rewritten) == {
        0: "%matplotlib inline\nimport os\nimport torch\n",
        1: '!nvidia-smi\nx = torch.randn(3, device="cuda")',
    }


def test_split_cells_refuses_when_a_marker_is_lost():
    notebook = notebook_from_cells(["x = 1\n", "y = 2\n"])
    broken = notebook.joined.replace("# green-assist: cell 1\n", "")
    with pytest.raises(CellSplitError, match="cells \\[1\\]"):
        notebook.split_cells(broken)


def test_notebook_json_errors_are_clear():
    assert notebook_from_json(b"").kind is ErrorKind.NOTEBOOK
    bad = notebook_from_json(b"{not json")
    assert isinstance(bad, FileError) and "JSON error at line 1" in bad.message
    old = notebook_from_json(json.dumps({"worksheets": []}))
    assert old.kind is ErrorKind.UNSUPPORTED and "nbformat 3" in old.message
    r_nb = notebook_from_json({"cells": [], "metadata": {"kernelspec": {"language": "R"}}})
    assert r_nb.kind is ErrorKind.UNSUPPORTED and "'R'" in r_nb.message


def test_load_path_reports_bad_files(tmp_path):
    latin = tmp_path / "latin.py"
    latin.write_bytes("x = 'caf\xe9'\n".encode("latin-1"))
    error = load_path(latin)
    assert isinstance(error, FileError) and error.kind is ErrorKind.ENCODING
    assert "0xe9" in error.message and (error.line, error.column) == (1, 9)

    declared = tmp_path / "declared.py"
    declared.write_bytes("# -*- coding: latin-1 -*-\nx = 'caf\xe9'\n".encode("latin-1"))
    loaded = load_path(declared)
    assert isinstance(loaded, PythonSource) and "café" in loaded.text

    binary = tmp_path / "binary.py"
    binary.write_bytes(b"\x00\x01\x02")
    assert load_path(binary).kind is ErrorKind.ENCODING

    big = tmp_path / "big.py"
    big.write_text("x = 1\n" * 100)
    too_large = load_path(big, max_source_bytes=100)
    assert too_large.kind is ErrorKind.TOO_LARGE and "max-file-size" in too_large.message

    assert load_path(tmp_path / "missing.py").kind is ErrorKind.IO
