"""``green-assist check`` and ``green-assist rule`` end to end (in-process, real files)."""

import json
import shutil
from pathlib import Path

import pytest

from green_assist.analysis import all_rules
from green_assist.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
AMP = "import torch\nscaler = torch.cuda.amp.GradScaler()\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(capsys, *args):
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_file_exits_zero(project, capsys):
    (project / "ok.py").write_text("import torch\nx = torch.ones(3)\n")
    code, out, _ = check(capsys, "ok.py")
    assert code == 0 and "All checks passed!" in out


def test_findings_exit_one_with_ruff_like_lines(project, capsys):
    (project / "train.py").write_text(AMP)
    code, out, _ = check(capsys, "train.py")
    assert code == 1
    assert out.splitlines()[0].startswith("train.py:2:10: GA103 [*] `torch.cuda.amp.GradScaler()`")
    assert "Found 1 finding (1 fixable with `--fix`)." in out


def test_parse_error_exits_two_and_says_where(project, capsys):
    (project / "bad.py").write_text("def f(:\n    pass\n")
    (project / "train.py").write_text(AMP)
    code, out, err = check(capsys, ".")
    assert code == 2
    assert "bad.py:1:7: error: syntax error" in err
    assert "train.py:2:10: GA103" in out  # the other file is still analysed
    assert "1 file could not be analysed" in out
    (project / "train.py").unlink()
    code, out, _ = check(capsys, ".")
    assert code == 2 and "All checks passed" not in out


def test_non_utf8_file_is_a_clear_error(project, capsys):
    (project / "latin.py").write_bytes("s = 'caf\xe9'\n".encode("latin-1"))
    code, _, err = check(capsys, "latin.py")
    assert code == 2 and "byte 0xe9" in err


def test_usage_errors_exit_two(project, capsys):
    (project / "train.py").write_text(AMP)
    assert check(capsys, "train.py", "--select", "GA999")[0] == 2
    code, _, err = check(capsys, "missing.py")
    assert code == 2 and "no such file" in err


def test_select_and_ignore(project, capsys):
    (project / "train.py").write_text(
        AMP + "from torch.utils.data import DataLoader\nDataLoader(ds)\n"
    )
    _, out, _ = check(capsys, "train.py", "--select", "GA107")
    assert "GA107" in out and "GA103" not in out
    _, out, _ = check(capsys, "train.py", "--ignore", "GA103,GA107")
    assert "All checks passed!" in out


def test_json_format(project, capsys):
    (project / "train.py").write_text(AMP)
    _, out, _ = check(capsys, "train.py", "--format", "json")
    (finding,) = json.loads(out)
    for key in (
        "code",
        "name",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "cell",
        "message",
        "severity",
        "fix",
    ):
        assert key in finding
    assert finding["fix"].startswith("call `torch.amp.GradScaler")


def test_sarif_format(project, capsys):
    (project / "train.py").write_text(AMP)
    (project / "bad.py").write_text("x = (\n")
    _, out, _ = check(capsys, ".", "--format", "sarif")
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules][:2] == ["GA101", "GA102"] and len(rules) == len(all_rules())
    (result,) = run["results"]
    assert result["ruleId"] == "GA103" and rules[result["ruleIndex"]]["id"] == "GA103"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "train.py"
    assert location["region"] == {"startLine": 2, "startColumn": 10, "endLine": 2, "endColumn": 37}
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "syntax error" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_github_format(project, capsys):
    (project / "train.py").write_text(AMP)
    _, out, _ = check(capsys, "train.py", "--format", "github")
    assert out.startswith("::warning file=train.py,line=2,col=10,endLine=2,endColumn=37,")
    assert "title=GA103 deprecated-amp-api::GA103 `torch.cuda.amp.GradScaler()`" in out


def test_diff_shows_fixes_without_writing(project, capsys):
    (project / "train.py").write_text(AMP)
    code, out, _ = check(capsys, "train.py", "--diff")
    assert code == 1
    assert '+scaler = torch.amp.GradScaler("cuda")' in out
    assert (project / "train.py").read_text() == AMP


def test_fix_writes_safe_fixes_and_reports_what_is_left(project, capsys):
    source = AMP + "noise = torch.randn(3).to('cuda')\nones = torch.ones(3).to('cuda')\n"
    (project / "train.py").write_text(source)
    code, out, err = check(capsys, "train.py", "--fix")
    fixed = (project / "train.py").read_text()
    assert 'torch.amp.GradScaler("cuda")' in fixed
    assert "torch.ones(3, device='cuda')" in fixed
    assert "torch.randn(3).to('cuda')" in fixed  # random: an unsafe fix, not applied
    assert "Fixed 2 findings." in err
    assert code == 1 and "GA112 [-]" in out
    code, _, _ = check(capsys, "train.py", "--fix", "--unsafe-fixes")
    assert code == 0
    assert "torch.randn(3, device='cuda')" in (project / "train.py").read_text()


def test_fix_in_notebook_keeps_magics_and_other_cells(project, capsys):
    notebook = project / "nb.ipynb"
    shutil.copy(FIXTURES / "GA103" / "notebook_magics.ipynb", notebook)
    before = json.loads(notebook.read_text())
    code, out, _ = check(capsys, "nb.ipynb", "--fix")
    after = json.loads(notebook.read_text())
    assert code == 0 and "All checks passed!" in out
    assert [c["id"] for c in after["cells"]] == [c["id"] for c in before["cells"]]
    assert after["cells"][0] == before["cells"][0]  # nothing to fix there: untouched
    cell_1 = "".join(after["cells"][1]["source"])
    assert cell_1.startswith("%%time\n") and 'torch.amp.GradScaler("cuda")' in cell_1
    cell_2 = "".join(after["cells"][2]["source"])
    assert cell_2.startswith("!pip list | grep torch\n") and 'torch.amp.autocast("cuda")' in cell_2


def test_config_from_pyproject(project, capsys):
    (project / "pyproject.toml").write_text(
        '[tool.green-assist]\nignore = ["GA103"]\nexclude = ["generated_*.py"]\n\n'
        "[tool.green-assist.GA113]\nthreshold = 8192\n"
    )
    (project / "train.py").write_text(AMP + "BATCH_SIZE = 4096\n")
    (project / "generated_model.py").write_text(AMP)
    (project / ".venv").mkdir()
    (project / ".venv" / "lib.py").write_text(AMP)
    code, out, _ = check(capsys, ".")
    assert code == 0, out
    (project / "pyproject.toml").write_text("[tool.green-assist]\nslect = ['GA1']\n")
    code, _, err = check(capsys, ".")
    assert code == 2 and "did you mean `select`" in err


def test_empty_file_named_explicitly_is_a_note(project, capsys):
    (project / "empty.py").write_text("")
    code, _, err = check(capsys, "empty.py")
    assert code == 0 and "empty.py: note: the file is empty" in err


def test_rule_command(capsys):
    assert main(["rule", "GA101"]) == 0
    out = capsys.readouterr().out
    for section in (
        "# GA101 fp32-only-training",
        "## What it does",
        "## Why it matters",
        "## Example",
        "## Fix",
        "## Sources",
        "Micikevicius",
    ):
        assert section in out
    assert main(["rule", "GA999"]) == 2
    assert "known rules" in capsys.readouterr().err
    assert main(["rule", "--list"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(all_rules())


def test_two_fp32_loops_in_two_cells_give_two_findings_and_target_cpu_drops_them(project, capsys):
    notebook = FIXTURES / "GA101" / "two_loops_two_cells.ipynb"
    shutil.copy(notebook, project / "nb.ipynb")
    code, out, _ = check(capsys, "nb.ipynb", "--select", "GA101,GA107", "--target", "cuda")
    assert code == 1
    lines = [line for line in out.splitlines() if "GA101" in line]
    assert [line.split(":")[1] for line in lines] == ["cell 3 · In [2]", "cell 4 · In [4]"]
    code, out, _ = check(capsys, "nb.ipynb", "--select", "GA101,GA107", "--target", "cpu")
    assert code == 0 and "All checks passed!" in out


@pytest.mark.parametrize("cell", ["4", "In [4]", "cell 4 · In [4]", "[4]"])
def test_cell_option_takes_position_or_run_count(project, capsys, cell):
    shutil.copy(FIXTURES / "GA101" / "two_loops_two_cells.ipynb", project / "nb.ipynb")
    code, out, _ = check(capsys, "nb.ipynb", "--select", "GA101", "--cell", cell)
    assert code == 1
    assert out.count("GA101") == 1 and "nb.ipynb:cell 4 · In [4]:6:5" in out


def test_cell_option_rejects_what_names_no_cell(project, capsys):
    (project / "nb.py").write_text(AMP)
    with pytest.raises(SystemExit) as err:
        main(["check", "nb.py", "--cell", "In [x]"])
    assert err.value.code == 2
    assert "names no cell" in capsys.readouterr().err


def test_target_in_pyproject_applies(project, capsys):
    shutil.copy(FIXTURES / "GA101" / "two_loops_two_cells.ipynb", project / "nb.ipynb")
    (project / "pyproject.toml").write_text('[tool.green-assist]\ntarget = "cpu"\n')
    code, out, _ = check(capsys, "nb.ipynb", "--select", "GA101")
    assert code == 0
    (project / "pyproject.toml").write_text('[tool.green-assist]\ntarget = "tpu"\n')
    code, _, err = check(capsys, "nb.ipynb")
    assert code == 2 and "target must be one of" in err
