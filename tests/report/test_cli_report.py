"""``green-assist report``: formats from the extension, exit codes, warnings on stderr."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from green_assist.cli import main

from .records import record, write_log


@pytest.fixture
def logs(tmp_path, data_dir, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(data_dir / "before.jsonl", tmp_path / "before.jsonl")
    shutil.copy(data_dir / "after.jsonl", tmp_path / "after.jsonl")
    return tmp_path


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("out.html", lambda text: text.startswith("<!DOCTYPE html>")),
        ("out.json", lambda text: json.loads(text)["kind"] == "session"),
        ("out.csv", lambda text: len(list(csv.DictReader(io.StringIO(text)))) == 5),
        ("out.md", lambda text: text.startswith("### Energy report")),
    ],
)
def test_format_comes_from_the_extension(logs, capsys, name, check):
    assert main(["report", "before.jsonl", "-o", name]) == 0
    assert check((logs / name).read_text(encoding="utf-8"))
    assert f"wrote {name}" in capsys.readouterr().err


def test_format_option_and_stdout(logs, capsys):
    assert main(["report", "before.jsonl", "--format", "csv", "-o", "table.txt"]) == 0
    assert (logs / "table.txt").read_text().startswith("index,session_id")
    capsys.readouterr()
    assert main(["report", "before.jsonl"]) == 0  # no -o: Markdown on stdout
    assert capsys.readouterr().out.startswith("### Energy report")


def test_compare_writes_a_comparison(logs, capsys):
    assert main(["report", "before.jsonl", "--compare", "after.jsonl", "-o", "c.json"]) == 0
    document = json.loads((logs / "c.json").read_text())
    assert document["kind"] == "comparison"
    assert "one side only" in capsys.readouterr().err  # the comparison's caveat, as a warning


def test_truncated_log_gives_a_report_and_a_warning(logs, capsys):
    path = logs / "before.jsonl"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 100])
    assert main(["report", "before.jsonl", "-o", "r.csv"]) == 0
    assert len((logs / "r.csv").read_text().splitlines()) == 1 + 4
    assert "last line, cut short" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["empty.jsonl", "-o", "r.html"], "empty"),
        (["missing.jsonl", "-o", "r.html"], "does not exist"),
        (["before.jsonl", "-o", "r.pdf"], "cannot tell the report format"),
        (["before.jsonl", "--compare", "empty.jsonl", "-o", "r.md"], "AFTER log is empty"),
        (["before.jsonl", "-o", "no/such/folder/r.md"], "cannot write"),
    ],
)
def test_usage_and_input_errors_exit_2(logs, capsys, args, message):
    (logs / "empty.jsonl").write_text("")
    assert main(["report", *args]) == 2
    assert message in capsys.readouterr().err
    assert not (logs / "r.html").exists() and not (logs / "r.md").exists()


def test_bad_arguments_exit_2(logs):
    with pytest.raises(SystemExit) as excinfo:
        main(["report", "before.jsonl", "--format", "pdf"])
    assert excinfo.value.code == 2


def test_text_that_utf8_cannot_encode_still_gives_a_report(logs):
    data = record(1).to_dict()
    data["label"] = "\ud800 broken"  # JSON can carry a lone surrogate; UTF-8 cannot
    (logs / "odd.jsonl").write_text(json.dumps(data) + "\n")
    assert main(["report", "odd.jsonl", "-o", "r.md"]) == 0
    assert "? broken" in (logs / "r.md").read_text(encoding="utf-8")


def test_scripts_are_analysed_only_inside_the_working_folder(tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    (work / "train.py").write_text("import torch\nx = torch.randn(8).double()\n")
    (tmp_path / "outside.py").write_text("import torch\ny = torch.zeros(2).double()\n")
    records = [
        record(1, kind="script", mode="script", source="train.py --epochs 1"),
        record(2, kind="script", mode="script", source="../outside.py"),
    ]
    write_log(work / "runs.jsonl", records)
    assert main(["report", "runs.jsonl", "-o", "r.json"]) == 0
    findings = json.loads((work / "r.json").read_text())["session"]["code_findings"]
    assert [(f["code"], f["where"]) for f in findings["findings"]] == [("GA109", "train.py")]
    assert "../outside.py" in capsys.readouterr().err  # said, not silently skipped
