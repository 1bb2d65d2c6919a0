"""The public window API on this machine's live backends (the estimate path here)."""

from __future__ import annotations

import json
import os
import time

import pytest

from green_assist.sensors import EnergyMeter, Method, WindowResult
from green_assist.sensors.backend import Reading, _power_from_history


@pytest.fixture
def meter():
    m = EnergyMeter.from_environment()
    yield m
    m.close()


def burn_cpu(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def burn_wall(seconds: float) -> None:
    # Until both clocks pass: the meter's wall clock (process CPU time also counts the
    # sampler thread, so it alone can pass 0.2 s early) and this thread's own CPU time (on
    # a loaded machine 0.2 s of wall time can hold only a few ms of CPU).
    end = time.monotonic() + seconds  # the meter's clock
    cpu_end = time.thread_time() + seconds
    while time.monotonic() < end or time.thread_time() < cpu_end:
        pass


def test_window_reports_every_component_with_its_method(meter):
    with meter.window("busy") as w:
        burn_wall(0.2)
    result = w.result
    assert isinstance(result, WindowResult)
    assert result.name == "busy"
    assert result.started_at.tzinfo is not None
    assert result.duration_s >= 0.2
    for name in meter.components():
        energy = result.energy[name]
        if energy.joules is None:
            assert energy.reason, f"{name} is None without a reason"
        else:
            assert energy.method in set(Method)
    cpu = result.energy["cpu"]
    assert cpu.joules is not None and cpu.joules > 0
    # The CPU figure is exactly its documented model applied to the CPU time it reports.
    if cpu.method is Method.ESTIMATED:
        assert cpu.joules == pytest.approx(
            cpu.detail["watts_per_logical_cpu"] * cpu.detail["cpu_seconds"]
        )
        # This thread burned 0.2 s of its own CPU clock (ns resolution); the process's
        # CPU time comes in clock ticks (10 ms), so it may read up to a tick less, and
        # the difference of two tick counts carries float rounding (0.18999999999999773).
        tick = 1 / os.sysconf("SC_CLK_TCK")
        assert cpu.detail["cpu_seconds"] >= 0.2 - 1.5 * tick
        assert cpu.reason and cpu.reason.startswith("estimated")
        assert cpu.detail["uncertainty"]
    assert result.total_joules == pytest.approx(
        sum(e.joules for e in result.energy.values() if e.joules is not None)
    )


def test_nested_windows_do_not_double_count(meter):
    outer = meter.start_window("outer")
    burn_cpu(0.1)
    with meter.window("inner") as inner:
        burn_cpu(0.2)
    burn_cpu(0.1)
    outer_result = outer.stop()
    inner_cpu = inner.result.energy["cpu"]
    outer_cpu = outer_result.energy["cpu"]
    assert inner_cpu.joules is not None and outer_cpu.joules is not None
    # The outer window includes the inner exactly once: more than it, less than twice plus.
    assert inner_cpu.joules < outer_cpu.joules
    # CPU time comes in 10 ms ticks summed as floats: allow their rounding.
    assert outer_cpu.detail["cpu_seconds"] >= inner_cpu.detail["cpu_seconds"] + 0.19 - 1e-9
    assert outer_result.duration_s > inner.result.duration_s


def test_peak_rss_is_per_window(meter):
    outer = meter.start_window("outer")
    big = bytearray(150 * 2**20)
    big[::4096] = b"x" * len(big[::4096])  # touch every page so it is resident
    del big
    with meter.window("small inner") as inner:
        small = bytearray(2**20)
        del small
    result = outer.stop()
    assert result.peak_rss_bytes is not None and inner.result.peak_rss_bytes is not None
    assert result.peak_rss_bytes >= 150 * 2**20
    assert inner.result.peak_rss_bytes < result.peak_rss_bytes - 100 * 2**20
    assert result.gpu_peak_memory_bytes == {}


def test_result_is_json_ready_and_stop_is_idempotent(meter):
    w = meter.start_window("json")
    first = w.stop()
    assert w.stop() is first
    data = json.loads(json.dumps(first.to_dict()))
    assert data["name"] == "json"
    assert set(data["energy"]) == set(meter.components())
    assert data["total_method"] in {m.value for m in Method}


def test_live_stream_is_cumulative_and_says_how(meter):
    first = meter.cumulative_joules()["cpu"].joules
    burn_cpu(0.1)
    meter.sample_now()
    second = meter.cumulative_joules()["cpu"].joules
    assert first is not None and second is not None and second > first
    power = meter.power_now()
    assert set(power) == set(meter.components())
    for reading in power.values():
        assert reading.watts is None or reading.method is not None


def test_a_windows_live_power_leaves_out_the_idle_time_before_it(meter):
    # Idle for a second, then busy: the power since the window started is the busy
    # power, not an average that reaches back into the idle second (which made the
    # first point of a cell after a pause read 0 W).
    meter.sample_now()
    time.sleep(1.0)
    window = meter.start_window("busy after a pause")
    burn_wall(0.3)
    meter.sample_now()
    since_start = meter.power_now(window)["cpu"].watts
    over_horizon = meter.power_now()["cpu"].watts
    window.stop()
    assert since_start is not None and over_horizon is not None
    assert since_start > 1.5 * over_horizon


def test_samples_a_few_ms_apart_give_no_power_rather_than_zero():
    # A cell's start reading and a sampler tick right after it differ by less than a CPU
    # clock tick even on a busy CPU: that slope is no figure (a chart drew it as 0 W), so
    # the power is unknown until the samples span 50 ms.
    start = {"cpu": Reading(100.0, Method.ESTIMATED)}
    tick = {"cpu": Reading(100.0, Method.ESTIMATED)}
    later = {"cpu": Reading(101.5, Method.ESTIMATED)}
    too_soon = _power_from_history("cpu", [(10.0, start), (10.004, tick)], 1.0)
    assert too_soon.watts is None and too_soon.reason == "not enough samples yet"
    assert _power_from_history("cpu", [(10.0, start), (10.1, later)], 1.0).watts == (
        pytest.approx(15.0)
    )


def test_sample_interval_limits(meter):
    meter.set_sample_interval(0.01)
    assert meter.sample_interval_s == 0.01
    with pytest.raises(ValueError, match="100 Hz"):
        meter.set_sample_interval(0.001)
    with pytest.raises(ValueError, match="number of seconds"):
        meter.set_sample_interval("fast")


def test_closed_meter_refuses_new_windows_and_default_is_renewed():
    meter = EnergyMeter.default()
    assert EnergyMeter.default() is meter
    meter.close()
    with pytest.raises(RuntimeError, match="closed"):
        meter.start_window("late")
    fresh = EnergyMeter.default()
    assert fresh is not meter and not fresh.closed
    fresh.close()
