"""``LogTally``: the running sums ``/metrics`` keeps of a session log, read incrementally."""

from __future__ import annotations

import json

import pytest

from green_assist.profiler.session_log import ProfileRecord, SessionLogWriter
from green_assist.server.log_tally import LogTally


def record(n: int, joules: float = 2.0, status: str = "ok") -> ProfileRecord:
    return ProfileRecord(
        session_id="s",
        started_at=f"2025-03-01T10:00:{n:02d}+00:00",
        duration_s=1.0,
        status=status,
        energy={
            "cpu": {"joules": joules, "method": "estimated"},
            "gpu:0": {"joules": None, "method": None, "reason": "no GPU"},
        },
        energy_j=joules,
        co2e_g=joules / 10,
    )


def test_appended_records_are_counted_once(tmp_path):
    log = SessionLogWriter(tmp_path / "s.jsonl")
    tally = LogTally(log.path)
    log.append(record(1))
    log.append(record(2, status="error"))
    tally.update()
    tally.update()  # nothing new: nothing added
    log.append(record(3, joules=5.0))
    tally.update()
    assert tally.energy_j == {("cpu", "estimated"): 9.0}  # the unknown GPU adds nothing
    assert tally.co2e_g == pytest.approx(0.9)
    assert tally.cells == {"ok": 2, "error": 1}
    assert list(tally.recent_starts)[-1] == "2025-03-01T10:00:03+00:00"


def test_a_line_being_written_waits_for_its_newline(tmp_path):
    path = tmp_path / "s.jsonl"
    line = json.dumps(record(1).to_dict())
    path.write_text(line[:40])
    tally = LogTally(path)
    tally.update()
    assert tally.cells == {} and tally.skipped_lines == 0
    with open(path, "a") as fh:
        fh.write(line[40:] + "\n")
    tally.update()
    assert tally.cells == {"ok": 1}


def test_a_replaced_log_is_read_again_from_the_start(tmp_path):
    path = tmp_path / "s.jsonl"
    log = SessionLogWriter(path)
    for n in range(3):
        log.append(record(n))
    tally = LogTally(path)
    tally.update()
    path.unlink()
    SessionLogWriter(path).append(record(9, joules=1.0))
    tally.update()
    assert tally.energy_j == {("cpu", "estimated"): 1.0}
    assert tally.cells == {"ok": 1}


def test_a_budget_bounds_each_read_and_the_rest_follows(tmp_path):
    log = SessionLogWriter(tmp_path / "s.jsonl")
    for n in range(20):
        log.append(record(n))
    size = log.path.stat().st_size
    tally = LogTally(log.path)
    assert tally.update(budget=size // 3) == size // 3
    assert 0 < tally.cells["ok"] < 20
    while tally.update(budget=size // 3):
        pass
    assert tally.cells == {"ok": 20}
    assert tally.energy_j == {("cpu", "estimated"): 40.0}


def test_damaged_lines_and_values_are_skipped(tmp_path):
    path = tmp_path / "s.jsonl"
    good = record(1).to_dict()
    bad_energy = {**record(2).to_dict(), "energy": {"cpu": {"joules": "lots"}}, "co2e_g": -1}
    path.write_text(
        "\n".join([json.dumps(good), "{not json", "[1, 2]", json.dumps(bad_energy)]) + "\n"
    )
    tally = LogTally(path)
    tally.update()
    assert tally.skipped_lines == 2
    assert tally.cells == {"ok": 2}
    assert tally.energy_j == {("cpu", "estimated"): 2.0}
    assert tally.co2e_g == pytest.approx(0.2)


def test_a_missing_or_odd_file_is_a_problem_not_an_error(tmp_path):
    tally = LogTally(tmp_path / "absent.jsonl")
    assert tally.update() == 0 and "cannot read" in (tally.problem or "")
    folder = LogTally(tmp_path)
    assert folder.update() == 0 and "not a regular file" in (folder.problem or "")
