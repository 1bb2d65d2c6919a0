"""The session log format: one fsynced JSON line per record, read back tolerantly."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import textwrap

import pytest

from green_assist.profiler.session_log import (
    SCHEMA_VERSION,
    ProfileRecord,
    SessionLogWarning,
    SessionLogWriter,
    all_records,
    new_session_id,
    read_log,
    read_session_dir,
    session_dir,
    source_fields,
)


def make_record(session_id="s1", count=1, **changes):
    fields = dict(
        session_id=session_id,
        started_at=f"2025-03-01T10:00:0{count}+00:00",
        duration_s=1.5,
        execution_count=count,
        cell_id=f"cell-{count}",
        energy={"cpu": {"joules": 12.0, "method": "estimated", "reason": "no RAPL", "detail": {}}},
        energy_j=12.0,
        co2e_g=0.0016,
        carbon_intensity_g_per_kwh=475.0,
        pue=1.0,
        flops=612_106_240,
        **source_fields("x = 1"),
    )
    fields.update(changes)
    return ProfileRecord(**fields)


def test_record_round_trips_through_the_log(tmp_path):
    writer = SessionLogWriter.for_session("s1", tmp_path)
    first, second = make_record(count=1), make_record(count=2, status="error")
    writer.append(first)
    writer.append(second)
    log = read_log(writer.path)
    assert log.problems == []
    assert [r.to_dict() for r in log.records] == [first.to_dict(), second.to_dict()]
    line = writer.path.read_text().splitlines()[0]
    data = json.loads(line)
    assert list(data)[0] == "schema_version" and data["schema_version"] == SCHEMA_VERSION
    for name in (
        "session_id", "execution_count", "cell_id", "label", "started_at", "duration_s",
        "status", "energy", "energy_j", "co2e_g", "carbon_intensity_g_per_kwh", "pue",
        "flops", "peak_rss_bytes", "gpu_peak_memory_bytes", "hardware", "advice",
    ):  # fmt: skip
        assert name in data, name


def test_text_utf8_cannot_hold_is_escaped_not_lost(tmp_path):
    # A lone surrogate (pasted from a broken clipboard) must not cost the record.
    writer = SessionLogWriter.for_session("s1", tmp_path)
    odd, plain = make_record(count=1, label="caf\u00e9 \ud800"), make_record(count=2, label="café")
    writer.append(odd)
    writer.append(plain)
    log = read_log(writer.path)
    assert [r.label for r in log.records] == ["caf\u00e9 \ud800", "café"]
    assert "café" in writer.path.read_text(encoding="utf-8")  # plain text stays readable


def test_log_file_appears_only_with_the_first_record(tmp_path):
    writer = SessionLogWriter.for_session("s1", tmp_path / "nested" / "dir")
    assert not writer.path.parent.exists()
    writer.append(make_record())
    assert writer.path.is_file()


def test_record_is_on_disk_when_append_returns(tmp_path):
    # Another process reads the file right after append: no buffering in between.
    writer = SessionLogWriter.for_session("s1", tmp_path)
    writer.append(make_record())
    reader = textwrap.dedent(f"""
        from green_assist.profiler.session_log import read_log
        print(len(read_log({str(writer.path)!r}).records))
    """)
    out = subprocess.run([sys.executable, "-c", reader], capture_output=True, text=True)
    assert out.stdout.strip() == "1", out.stderr


def test_truncated_last_line_is_skipped_with_a_warning(tmp_path):
    writer = SessionLogWriter.for_session("s1", tmp_path)
    writer.append(make_record(count=1))
    writer.append(make_record(count=2))
    whole = writer.path.read_bytes()
    writer.path.write_bytes(whole[: len(whole) - 40])  # the kernel died mid-write
    with pytest.warns(SessionLogWarning, match="last line, cut short"):
        log = read_log(writer.path)
    assert [r.execution_count for r in log.records] == [1]
    assert len(log.problems) == 1


def test_corrupt_middle_line_is_skipped_and_named(tmp_path):
    path = tmp_path / "s1.jsonl"
    good = json.dumps(make_record().to_dict())
    path.write_text(f'{good}\nnot json at all\n[1, 2]\n{{"duration_s": 1}}\n{good}\n')
    with pytest.warns(SessionLogWarning) as caught:
        log = read_log(path)
    assert len(log.records) == 2
    messages = [str(w.message) for w in caught]
    assert any("line 2" in m for m in messages)
    assert any("line 3" in m and "not a JSON object" in m for m in messages)
    assert any("line 4" in m and "session_id" in m for m in messages)


def test_unknown_fields_are_kept_and_written_back(tmp_path):
    data = make_record().to_dict()
    data["schema_version"] = SCHEMA_VERSION + 1
    data["written_by_the_future"] = {"a": 1}
    path = tmp_path / "s1.jsonl"
    path.write_text(json.dumps(data) + "\n")
    record = read_log(path).records[0]
    assert record.extra == {"written_by_the_future": {"a": 1}}
    assert record.schema_version == SCHEMA_VERSION + 1
    assert record.to_dict() == data


def test_several_sessions_in_one_folder(tmp_path):
    for session, counts in (("20250301T100000Z-aaaaaa", [1, 2]), ("20250302T100000Z-bbbbbb", [1])):
        writer = SessionLogWriter.for_session(session, tmp_path)
        for count in counts:
            writer.append(make_record(session_id=session, count=count))
    (tmp_path / "notes.txt").write_text("not a log")
    logs = read_session_dir(tmp_path)
    assert [log.session_ids for log in logs] == [
        ["20250301T100000Z-aaaaaa"],
        ["20250302T100000Z-bbbbbb"],
    ]
    assert len(all_records(logs)) == 3
    assert read_session_dir(tmp_path / "missing") == []


def test_not_finite_numbers_are_stored_as_unknown(tmp_path):
    writer = SessionLogWriter.for_session("s1", tmp_path)
    writer.append(make_record(flops_per_s=math.inf, energy_j=math.nan))
    record = read_log(writer.path).records[0]
    assert record.flops_per_s is None and record.energy_j is None


def test_unwritable_folder_says_which_setting_to_change(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    writer = SessionLogWriter.for_session("s1", blocker / "sub")
    with pytest.raises(OSError, match="GREEN_ASSIST_SESSION_DIR"):
        writer.append(make_record())


def test_session_dir_setting_and_default(tmp_path):
    assert session_dir({"GREEN_ASSIST_SESSION_DIR": str(tmp_path)}) == tmp_path
    assert session_dir({}, cwd=tmp_path) == tmp_path / ".green_assist"


def test_session_ids_sort_by_time_and_are_file_names():
    session = new_session_id()
    assert os.sep not in session and ":" not in session
    assert len({new_session_id() for _ in range(20)}) == 20


def test_long_sources_are_cut_but_hashed_whole():
    fields = source_fields("x" * 200_000)
    assert len(fields["source"]) == 100_000 and fields["source_truncated"]
    assert fields["source_sha256"] != source_fields("x" * 100_000)["source_sha256"]


def test_sessions_started_in_the_same_second_are_read_oldest_first(tmp_path):
    # A kernel restarted at once starts its new session in the same second: the logs'
    # names then differ only in their random suffix, which says nothing about order.
    older, newer = "20250301T100000Z-ffffff", "20250301T100000Z-000000"
    SessionLogWriter.for_session(older, tmp_path).append(
        make_record(older, count=1, started_at="2025-03-01T10:00:00.100000+00:00")
    )
    SessionLogWriter.for_session(newer, tmp_path).append(
        make_record(newer, count=1, started_at="2025-03-01T10:00:00.900000+00:00")
    )
    SessionLogWriter.for_session("20250301T095959Z-aaaaaa", tmp_path).append(
        make_record("20250301T095959Z-aaaaaa", count=1, started_at="2025-03-01T09:59:59+00:00")
    )
    order = [log.records[0].session_id for log in read_session_dir(tmp_path)]
    assert order == ["20250301T095959Z-aaaaaa", older, newer]
