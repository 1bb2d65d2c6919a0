"""``green-assist report`` never destroys its input and survives absurd log lines."""

from __future__ import annotations

import shutil

import pytest

from green_assist.cli import main

from .records import record, write_log


@pytest.fixture
def log(tmp_path, data_dir, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(data_dir / "before.jsonl", tmp_path / "before.jsonl")
    return tmp_path / "before.jsonl"


@pytest.mark.parametrize(
    "args",
    [
        ["before.jsonl", "-o", "before.jsonl"],
        ["before.jsonl", "-o", "before.jsonl", "--format", "md"],
        [".", "-o", "before.jsonl", "--format", "html"],
        ["before.jsonl", "-o", "other.jsonl", "--format", "json"],
    ],
)
def test_output_over_a_session_log_is_refused(log, capsys, args):
    original = log.read_bytes()
    assert main(["report", *args]) == 2
    assert "session log" in capsys.readouterr().err
    assert log.read_bytes() == original
    assert not (log.parent / "other.jsonl").exists()


def test_output_linked_to_the_input_log_is_refused(log, capsys):
    (log.parent / "alias.md").symlink_to(log)
    original = log.read_bytes()
    assert main(["report", "before.jsonl", "-o", "alias.md"]) == 2
    assert "being reported on" in capsys.readouterr().err
    assert log.read_bytes() == original


def test_a_deeply_nested_log_line_is_a_warning(tmp_path, capsys):
    path = tmp_path / "s.jsonl"
    write_log(path, [record(1), record(2)])
    with path.open("a") as file:
        file.write('{"x": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    assert main(["report", str(path), "-o", str(tmp_path / "r.md")]) == 0
    err = capsys.readouterr().err
    assert "warning" in err and "skipped line 3" in err
    assert "Traceback" not in err
