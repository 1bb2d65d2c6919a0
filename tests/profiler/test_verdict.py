"""Each run of a cell is linked to its previous run: what a change (or a fix) did.

A real kernel is driven as JupyterLab drives it: every execute request carries the
cell's id in its metadata (``cellId``), and the sidebar tells the kernel over the comm
when it applied a fix to a cell.
"""

from __future__ import annotations

import pytest

from green_assist.profiler.session_log import ProfileRecord
from green_assist.profiler.verdict import (
    NO_CLEAR_CHANGE,
    NOISE_FLOOR_PCT,
    SAVED,
    WORSE,
    RunHistory,
    judge,
    percent_change,
)

from .test_kernel_profiler import connect


def _record(cell_id="c1", energy=10.0, duration=1.0, sha="a", status="ok", count=1):
    return ProfileRecord(
        session_id="s",
        started_at="2026-12-04T00:00:00+00:00",
        duration_s=duration,
        status=status,
        execution_count=count,
        cell_id=cell_id,
        source_sha256=sha,
        energy_j=energy,
    )


def test_percent_change_and_judgement():
    assert percent_change(20.0, 15.0) == pytest.approx(-25.0)
    assert percent_change(None, 1.0) is None and percent_change(0.0, 1.0) is None
    assert judge(-25.0, 10.0) == SAVED and judge(25.0, 10.0) == WORSE
    assert judge(-9.0, 10.0) == NO_CLEAR_CHANGE and judge(None, 10.0) is None


def test_first_run_has_no_previous_run_and_the_second_is_linked():
    history = RunHistory()
    first = _record(energy=23.2, duration=10.6, count=4)
    history.link(first)
    assert first.previous_run is None and first.change is None
    history.fix_applied("c1", "mixed-precision", "Convert to mixed precision")
    second = _record(energy=14.4, duration=6.5, sha="b", count=5)
    history.link(second)
    assert second.previous_run == {
        "execution_count": 4,
        "energy_j": 23.2,
        "duration_s": 10.6,
        "flops": None,
        "source_changed": True,
        "refactor": {"name": "mixed-precision", "title": "Convert to mixed precision"},
    }
    assert second.change["energy_pct"] == pytest.approx(-37.93, abs=0.01)
    assert second.change["verdict"] == SAVED and second.change["basis"] == "energy"
    third = _record(energy=14.0, duration=6.4, sha="b", count=6)
    history.link(third)
    assert third.previous_run["refactor"] is None  # the fix is named once
    assert third.change["verdict"] == NO_CLEAR_CHANGE


def test_the_spread_of_unchanged_reruns_widens_no_clear_change():
    history = RunHistory()
    energies = [10.0, 13.0, 10.0, 13.0, 10.0]  # the same cell, unchanged: +-30% noise
    for energy in energies:
        history.link(_record(energy=energy))
    assert history.noise_pct == pytest.approx(30.0)
    edited = _record(energy=10.0 * 1.2, sha="edited")  # +20% after an edit: within noise
    history.link(edited)
    assert edited.change["verdict"] == NO_CLEAR_CHANGE and edited.change["noise_pct"] == 30.0
    fresh = RunHistory()
    assert fresh.noise_pct == NOISE_FLOOR_PCT


def test_errors_and_very_short_cells_get_no_verdict():
    history = RunHistory()
    history.link(_record(duration=0.01))
    short = _record(duration=0.02, energy=20.0)
    history.link(short)
    assert short.change["verdict"] is None and short.change["energy_pct"] == 100.0
    history.link(_record(cell_id="e", status="error"))
    after_error = _record(cell_id="e")
    history.link(after_error)
    assert after_error.change["verdict"] is None


def test_unknown_energy_falls_back_to_time():
    history = RunHistory()
    history.link(_record(energy=None, duration=2.0))
    second = _record(energy=None, duration=3.0)
    history.link(second)
    assert second.change["basis"] == "time" and second.change["verdict"] == WORSE


def run_as_cell(profiled, monkeypatch, cell_id: str, code: str):
    """Execute ``code`` as JupyterLab runs a cell: with ``cellId`` in the metadata."""
    session = profiled.session.kc.session
    original = session.msg

    def with_cell_id(msg_type, content=None, parent=None, header=None, metadata=None):
        if msg_type == "execute_request":
            metadata = {**(metadata or {}), "cellId": cell_id}
        return original(msg_type, content, parent, header, metadata)

    monkeypatch.setattr(session, "msg", with_cell_id)
    try:
        return profiled.run_ok(code)
    finally:
        monkeypatch.setattr(session, "msg", original)


# CPU work of a given length (the estimated energy follows CPU time).
BURN = "import time\nt = time.process_time()\nwhile time.process_time() - t < {seconds}:\n    pass"


def test_in_a_kernel_an_edited_cell_points_at_its_first_run(profiled, monkeypatch):
    comm_id = connect(profiled)
    profiled.run_ok("%greenprofile on")
    run_as_cell(profiled, monkeypatch, "train", BURN.format(seconds=0.6))
    first = profiled.last_record()
    assert first.cell_id == "train" and first.previous_run is None
    profiled.session.comm_send(
        comm_id,
        {"type": "profile_fix_applied", "cell_id": "train", "refactor": "mixed-precision",
         "title": "Convert to mixed precision"},
    )  # fmt: skip
    run_as_cell(profiled, monkeypatch, "train", BURN.format(seconds=0.15))
    second = profiled.last_record()
    assert second.previous_run["execution_count"] == first.execution_count
    assert second.previous_run["source_changed"] is True
    assert second.previous_run["refactor"]["name"] == "mixed-precision"
    assert second.change["duration_pct"] < -50
    # CPU work (and so the estimated energy) fell by three quarters: well beyond the noise.
    assert second.change["basis"] == "energy" and second.change["energy_pct"] < -50
    assert second.change["verdict"] == SAVED
    other = run_as_cell(profiled, monkeypatch, "other", "x = 1")
    assert other.status == "ok" and profiled.last_record().previous_run is None


def test_a_restarted_kernel_still_links_to_the_run_before_the_restart(profiled, monkeypatch):
    profiled.run_ok("%greenprofile on")
    run_as_cell(profiled, monkeypatch, "cell-a", "import time\ntime.sleep(0.2)")
    before = profiled.last_record()
    profiled.session.km.restart_kernel(now=True)
    profiled.session.kc.wait_for_ready(timeout=60)
    profiled.run_ok("%load_ext green_assist")
    profiled.run_ok("%greenprofile on")
    run_as_cell(profiled, monkeypatch, "cell-a", "import time\ntime.sleep(0.2)")
    after = profiled.last_record()
    assert after.session_id != before.session_id
    assert after.previous_run["execution_count"] == before.execution_count
    assert after.previous_run["source_changed"] is False


def test_report_lists_fixes_and_their_measured_effect(tmp_path):
    """The session report's "Fixes applied and their measured effect" section."""
    import json

    from green_assist.profiler.session_log import SessionLogWriter
    from green_assist.report import write_report

    history = RunHistory()
    writer = SessionLogWriter(tmp_path / "s.jsonl")
    records = [
        _record(energy=23.2, duration=10.6, count=4),
        _record(energy=14.4, duration=6.5, sha="b", count=5),
        _record(cell_id="c2", energy=5.0, duration=2.0, count=6),
        _record(cell_id="c2", energy=9.0, duration=4.0, sha="slow", count=7),
    ]
    for index, record in enumerate(records):
        if index == 1:
            history.fix_applied("c1", "mixed-precision", "Convert to mixed precision")
        if index == 3:
            history.fix_applied("c2", "quantize", "Quantize model for inference")
        history.link(record)
        record.energy_method = "counter"
        writer.append(record)
    document = json.loads(
        write_report([tmp_path / "s.jsonl"], tmp_path / "r.json").path.read_text()
    )
    fixes = document["session"]["fixes"]
    assert [(f["refactor"], f["verdict"]) for f in fixes] == [
        ("mixed-precision", "saved"),
        ("quantize", "worse"),
    ]
    html = write_report([tmp_path / "s.jsonl"], tmp_path / "r.html").path.read_text()
    assert "Fixes applied and their measured effect" in html
    assert "-38% energy (23.2 J \u2192 14.4 J) after Convert to mixed precision: saved" in html
    assert "+80% energy" in html and "undo the fix" in html


def test_records_name_the_cell_by_position_and_run_count(profiled, monkeypatch):
    from green_assist.report.model import Cell

    comm_id = connect(profiled)
    profiled.session.comm_send(
        comm_id, {"type": "profile_cell_positions", "positions": {"intro": 0, "train": 5}}
    )
    profiled.run_ok("%greenprofile on")
    run_as_cell(profiled, monkeypatch, "train", "y = 2")
    record = profiled.last_record()
    assert record.cell_index == 5
    assert Cell(0, record).name == f"cell 6 · In [{record.execution_count}]"
