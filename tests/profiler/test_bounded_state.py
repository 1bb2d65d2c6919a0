"""What a profiler session keeps in memory (totals, recent records, each cell's last run)
and how its records reach the disk (written by the cell's thread, fsync-ed by the
background thread before the next cell starts, delivered to listeners in order)."""

from __future__ import annotations

import threading
import time

import pytest

from green_assist.profiler.background import BackgroundWorker
from green_assist.profiler.hardware import GpuProbe
from green_assist.profiler.measurement import Target
from green_assist.profiler.messages import RECENT_RECORDS
from green_assist.profiler.session import ProfilerSession
from green_assist.profiler.session_log import read_log
from green_assist.profiler.verdict import cell_key
from green_assist.sensors import EnergyMeter


@pytest.fixture
def session(tmp_path):
    meter = EnergyMeter.from_environment(start_sampler=False)
    session = ProfilerSession(meter=meter, log_dir=tmp_path, gpu_probe=GpuProbe(env={}))
    yield session
    session.close()
    meter.close()


def run_cell(session: ProfilerSession, count: int, cell_id: str, status: str = "ok"):
    target = Target(mode="auto", execution_count=count, cell_id=cell_id, source=f"x = {count}")
    measurement = session.begin(target)
    error = {"ename": "ValueError", "evalue": "bad"} if status == "error" else None
    return session.finish(measurement, status, error)


def test_memory_holds_totals_recent_records_and_each_cells_last_run(session):
    cells = ["a", "b", "c"]
    finished = [
        run_cell(session, count, cells[count % 3], "error" if count % 10 == 0 else "ok")
        for count in range(1, 121)
    ]
    assert len(session.recent) == RECENT_RECORDS
    assert list(session.recent) == finished[-RECENT_RECORDS:]
    assert set(session.last_runs) == {"id:a", "id:b", "id:c"}
    assert session.last_run("id:a") is finished[119]  # count 120 ran in cell "a"
    assert session.last_run("id:b") is finished[117]
    assert session.last_run(None) is None
    totals = session.totals()
    assert totals.cells == 120 and totals.errors == 12
    assert totals.energy_j == pytest.approx(sum(r.energy_j or 0 for r in finished))
    assert totals.duration_s == pytest.approx(sum(r.duration_s for r in finished))
    assert totals.energy_method == finished[0].energy_method
    # Every record is on disk, in order, and comes back for reports.
    back = session.records()
    assert [r.execution_count for r in back] == list(range(1, 121))
    assert [r.to_dict() for r in back] == [r.to_dict() for r in finished]


def test_records_are_in_the_file_when_finish_returns(session):
    record = run_cell(session, 1, "a")
    # No wait: the cell's own thread wrote the line (only the fsync is left to the
    # background thread), so a kernel killed right now keeps it.
    assert read_log(session.writer.path).records[-1].to_dict() == record.to_dict()


def test_cells_without_identity_are_not_compared_and_scripts_are_by_command():
    assert cell_key(_record(cell_id=None, label=None)) is None
    assert cell_key(_record(cell_id="c1", label="train")) == "id:c1"
    assert cell_key(_record(cell_id=None, label="train")) == "label:train"
    assert cell_key(_record(kind="script", source="train.py --epochs 1")) == (
        "script:train.py --epochs 1"
    )


def test_listeners_get_records_in_order_after_the_fsync(session):
    got: list[tuple[int, int, str]] = []
    synced = threading.Event()
    real_sync = session.writer.sync

    def sync() -> None:  # the writer's own fsync, noting when it ran
        real_sync()
        synced.set()

    session.background._sync_log = sync
    session.on_record_synced.append(
        lambda record, totals: got.append(
            (record.execution_count, totals.cells, threading.current_thread().name)
        )
    )
    for count in range(1, 6):
        run_cell(session, count, "a")
    session.close()
    assert synced.is_set()
    assert [(count, cells) for count, cells, _ in got] == [(n, n) for n in range(1, 6)]
    assert {thread for _, _, thread in got} == {"green-assist-background"}


def test_the_next_cell_waits_for_the_previous_records_fsync():
    """The background thread's group commit is awaited before the next cell starts."""
    order: list[str] = []
    release = threading.Event()

    def slow_sync() -> None:
        release.wait(5)
        order.append("synced")

    worker = BackgroundWorker(slow_sync, lambda err: None)
    worker.written(lambda: order.append("delivered"))
    waiter = threading.Thread(target=lambda: (worker.wait_synced(), order.append("next cell")))
    waiter.start()
    time.sleep(0.2)
    assert order == []  # still waiting for the fsync
    release.set()
    waiter.join(5)
    worker.close()
    assert order[0] == "synced"
    assert sorted(order[1:]) == ["delivered", "next cell"]


def test_one_fsync_covers_every_line_written_before_it():
    syncs: list[int] = []
    release = threading.Event()
    worker = BackgroundWorker(lambda: (release.wait(5), syncs.append(1)), lambda err: None)
    for _ in range(10):  # ten cells finish while the first fsync is still running
        worker.written()
    release.set()
    assert worker.wait_synced(5)
    worker.close()
    assert 1 <= len(syncs) <= 2


def test_a_failing_fsync_is_reported_and_does_not_block_cells():
    problems: list[str] = []

    def broken() -> None:
        raise OSError(28, "No space left on device")

    worker = BackgroundWorker(broken, lambda err: problems.append(str(err)))
    worker.written()
    assert worker.wait_synced(5)
    worker.close()
    assert problems and "No space left" in problems[0]


def _record(**fields):
    from green_assist.profiler.session_log import ProfileRecord

    return ProfileRecord(
        session_id="s", started_at="2026-01-01T00:00:00+00:00", duration_s=1.0, **fields
    )


def test_running_totals_equal_the_totals_of_the_whole_list():
    from green_assist.profiler.totals import RunningTotals, session_totals

    records = [
        _record(energy_j=1.5, energy_method="counter", co2e_g=0.2, peak_rss_bytes=10),
        _record(energy_j=None, energy_missing=["gpu:0"], status="error"),
        _record(energy_j=2.25, energy_method="estimated", co2e_g=None, flops=100),
        _record(energy_j=0.1, energy_method="polled", flops=50, flops_complete=False),
    ]
    running = RunningTotals()
    for count, record in enumerate(records, start=1):
        running.add(record)
        assert running.totals() == session_totals(records[:count])
    assert RunningTotals().totals() == session_totals([])


def test_every_cell_gets_live_messages_not_only_the_first(tmp_path):
    meter = EnergyMeter.from_environment(start_sampler=False)
    session = ProfilerSession(meter=meter, log_dir=tmp_path, live=True, gpu_probe=GpuProbe(env={}))
    seen: list[int | None] = []
    session.on_live.append(lambda message: seen.append(message["execution_count"]))
    try:
        for count in (1, 2, 3):
            measurement = session.begin(Target(mode="auto", execution_count=count, source="x"))
            time.sleep(0.35)  # the first live message goes out 0.1 s after the start
            session.finish(measurement)
            time.sleep(0.2)  # idle between cells
    finally:
        session.close()
        meter.close()
    assert sorted(set(seen)) == [1, 2, 3]
