"""Reading logs for a report: damaged, newer, mixed or empty input never crashes."""

from __future__ import annotations

import json

import jsonschema
import pytest

from green_assist.profiler.session_log import SCHEMA_VERSION
from green_assist.report import ReportInputError, build_report, load_sessions, render, schema

from .records import append_raw, record, write_log


def test_truncated_last_line_is_skipped_with_a_warning(tmp_path):
    path = write_log(tmp_path / "s.jsonl", [record(1), record(2), record(3)])
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) - 25])  # the kernel died while writing record 3
    loaded = load_sessions([path])
    assert [r.execution_count for r in loaded.records] == [1, 2]
    assert any("last line, cut short" in w for w in loaded.warnings)
    assert loaded.sources[0].skipped_lines == 1
    html = render(build_report(loaded), "html")
    assert "last line, cut short" in html


def test_newer_schema_and_unknown_fields_are_read_with_warnings(tmp_path):
    path = write_log(tmp_path / "s.jsonl", [record(1)])
    future = record(2).to_dict()
    future["schema_version"] = SCHEMA_VERSION + 1
    future["power_trace"] = [1.0, 2.0]
    append_raw(path, future)
    loaded = load_sessions([path])
    assert len(loaded.records) == 2
    text = " ".join(loaded.warnings)
    assert f"schema {SCHEMA_VERSION + 1}" in text and "Upgrade green-assist" in text
    assert "power_trace" in text
    document = json.loads(render(build_report(loaded), "json"))
    assert document["session"]["totals"]["cells"] == 2


def test_several_sessions_in_one_file_are_reported_together(tmp_path):
    path = write_log(
        tmp_path / "s.jsonl",
        [
            record(1, session_id="20250301T100000Z-aaaaaa"),
            record(2, session_id="20250302T100000Z-bbbbbb"),
        ],
    )
    loaded = load_sessions([path])
    assert loaded.session_ids == ["20250301T100000Z-aaaaaa", "20250302T100000Z-bbbbbb"]
    assert any("records of 2 sessions" in w for w in loaded.warnings)
    assert build_report(loaded).title == "2 sessions"


def test_several_files_and_folders(tmp_path):
    first = write_log(tmp_path / "logs" / "a.jsonl", [record(3, session_id="a")])
    write_log(tmp_path / "logs" / "b.jsonl", [record(1, session_id="b")])
    (tmp_path / "logs" / "notes.txt").write_text("not a log")
    loaded = load_sessions([tmp_path / "logs", first])
    # Ordered by start time across files; the file named twice is read once.
    assert [r.session_id for r in loaded.records] == ["b", "a"]
    assert any("given twice" in w for w in loaded.warnings)
    assert any("2 files read" in w for w in loaded.warnings)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "is empty"),
        ("\n\n", "is empty"),
        ('{"cut": ', "1 unreadable line"),
    ],
)
def test_empty_log_is_a_clear_error(tmp_path, content, expected):
    path = tmp_path / "s.jsonl"
    path.write_text(content)
    with pytest.raises(ReportInputError, match=expected) as excinfo:
        load_sessions([path])
    assert "%%greenprofile" in str(excinfo.value)


def test_missing_file_and_empty_folder_are_clear_errors(tmp_path):
    with pytest.raises(ReportInputError, match="does not exist"):
        load_sessions([tmp_path / "nope.jsonl"])
    with pytest.raises(ReportInputError, match="no session logs"):
        load_sessions([tmp_path])


def test_values_of_the_wrong_type_become_unknown(tmp_path):
    path = write_log(tmp_path / "s.jsonl", [record(1)])
    odd = record(2).to_dict()
    odd["energy_j"] = "lots"
    odd["duration_s"] = None
    odd["energy"]["cpu"]["joules"] = True
    odd["hardware"] = "a string"
    odd["label"] = 42
    odd["advice"] = {"not": "a list"}
    with open(path, "a") as fh:
        fh.write(json.dumps(odd).replace('"lots"', "NaN") + "\n")  # JSON readers accept NaN
    loaded = load_sessions([path])
    assert loaded.records[1].energy_j is None
    assert loaded.records[1].energy["cpu"]["joules"] is None
    assert loaded.records[1].label == "42" and loaded.records[1].hardware == {}
    repaired = "advice, energy[cpu], energy_j, hardware, label"
    assert any(repaired in warning for warning in loaded.warnings)
    report = build_report(loaded)
    assert report.totals.energy_unknown == 1
    for fmt in ("html", "csv", "md"):
        assert render(report, fmt)  # no crash
    document = json.loads(render(report, "json"))  # allow_nan=False: it would raise on NaN
    jsonschema.Draft202012Validator(schema()).validate(document)
