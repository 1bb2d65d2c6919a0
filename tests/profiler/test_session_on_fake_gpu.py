"""A profiler session on a faked GPU machine: exact GPU energy in the record, hardware
facts, and advice built from the session's own measurements."""

from __future__ import annotations

import pytest

from green_assist.profiler.hardware import GpuProbe
from green_assist.profiler.measurement import Target
from green_assist.profiler.session import ProfilerSession
from green_assist.profiler.session_log import read_log

from . import fake_gpu_machine
from .fake_gpu_machine import GIB


@pytest.fixture
def machine(monkeypatch):
    return fake_gpu_machine.install(monkeypatch)


@pytest.fixture
def session(machine, tmp_path):
    meter = machine.meter()
    session = ProfilerSession(meter=meter, log_dir=tmp_path, gpu_probe=GpuProbe(env={}))
    yield session
    session.close()
    meter.close()


def run_cell(session, machine, seconds, count=1, utilization=None):
    measurement = session.begin(Target(execution_count=count, source=f"cell {count}"))
    machine.clock.advance(seconds)
    for _ in range(int(seconds)):  # what the background thread samples every 0.5 s
        measurement.sample_gpus(session.gpu_probe.utilization())
    return session.finish(measurement)


def test_record_has_exact_gpu_energy_and_hardware(session, machine):
    machine.cuda.allocate(3 * GIB)
    record = run_cell(session, machine, 10)
    gpu = record.energy["gpu:0"]
    assert gpu["method"] == "counter"
    assert gpu["joules"] == pytest.approx(200.0 * 10)  # 200 W for 10 s
    assert record.gpu_peak_memory_bytes == {"gpu:0": 3 * GIB}
    assert record.hardware["gpus"] == [
        {
            "label": "gpu:0",
            "name": "NVIDIA A100-SXM4-80GB",
            "memory_total_bytes": 80 * GIB,
            "compute_capability": "8.0",
            "fast_low_precision": "bfloat16",
        }
    ]
    assert machine.cuda.synchronized >= 2  # window edges wait for queued GPU work
    assert read_log(session.writer.path).records[0].to_dict() == record.to_dict()


def test_waiting_gpu_gets_underused_advice(session, machine):
    machine.utilization = 18.0
    record = run_cell(session, machine, 20)
    advice = {a["code"]: a for a in record.advice}
    assert advice["gpu-underused"]["evidence"]["mean_utilization_percent"] == {"gpu:0": 18.0}
    machine.utilization = 97.0
    busy = run_cell(session, machine, 20, count=2)
    assert "gpu-underused" not in {a["code"] for a in busy.advice}


def test_long_pause_holding_memory_is_reported_on_the_next_cell(session, machine):
    machine.cuda.allocate(12 * GIB)
    run_cell(session, machine, 5)
    machine.clock.advance(3600)  # the user went to lunch; the kernel kept 12 GiB
    record = run_cell(session, machine, 5, count=2)
    advice = {a["code"]: a for a in record.advice}["idle-gpu-memory"]
    assert advice["evidence"]["idle_s"] == pytest.approx(3600)
    assert advice["evidence"]["gpu_memory_held_bytes"] == {"gpu:0": 12 * GIB}
    assert advice["evidence"]["gpu_energy_j"]["gpu:0"] == pytest.approx(200.0 * 3600)


def test_memory_near_the_limit(session, machine):
    machine.cuda.allocate(77 * GIB)
    record = run_cell(session, machine, 5)
    assert "memory-near-limit" in {a["code"] for a in record.advice}
