"""Reports appear whole or not at all, and user data in them is escaped."""

from __future__ import annotations

import csv
import io
import os

import pytest

from green_assist.report import atomic_write_text, build_report, load_sessions, render

from .records import record, write_log


def test_atomic_write_replaces_the_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "r.html"
    target.write_text("old")
    atomic_write_text(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_failed_write_keeps_the_previous_report(tmp_path, monkeypatch):
    target = tmp_path / "r.html"
    target.write_text("previous report")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)  # the OS boundary: the disk fills up
    with pytest.raises(OSError, match="No space left"):
        atomic_write_text(target, "x" * 10_000)
    assert target.read_text() == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def hostile_report(tmp_path):
    records = [
        record(
            1,
            label=HOSTILE,
            source=f"# {HOSTILE}\nx = '</code><img src=x onerror=alert(1)>'\n",
            error={"ename": "<b>E</b>", "evalue": "<i>"},
            status="error",
            hardware={"cpu_model": HOSTILE},
            advice=[{"code": "a<b>", "title": HOSTILE, "message": HOSTILE, "fix": HOSTILE}],
        ),
        record(2, label='=HYPERLINK("http://evil")|pipe\nnewline'),
    ]
    return build_report(load_sessions([write_log(tmp_path / "s.jsonl", records)]))


def test_html_escapes_everything_from_the_log(hostile_report):
    html = render(hostile_report, "html")
    assert "<script" not in html and "<img" not in html and "<b>E</b>" not in html
    assert "&lt;script&gt;" in html


def test_markdown_escapes_table_breaking_text(hostile_report):
    markdown = render(hostile_report, "md")
    assert "<script" not in markdown
    row = next(line for line in markdown.splitlines() if "HYPERLINK" in line)
    assert row.count(" | ") == 4  # the label's "|" and newline did not add cells or rows
    assert "\\|pipe newline" in row


def test_csv_guards_against_formulas(hostile_report):
    rows = list(csv.DictReader(io.StringIO(render(hostile_report, "csv"))))
    assert rows[1]["label"].startswith("'=HYPERLINK")
    assert rows[0]["label"] == HOSTILE  # not a formula: left as it is
