"""GPU energy through a fake NVML module replaying power traces; expected values are exact."""

from __future__ import annotations

import os

import pytest

from green_assist.sensors import Method
from green_assist.sensors.gpus import visible_devices

from .fake_nvml import FakeGpu, FakeMig, fake_nvml

# 100 W rising to 300 W over the first second, then flat. Energy from 0 to t (mJ):
# 100000 t + 100000 t^2 for t <= 1, then 200000 + 300000 (t - 1).
RAMP = [(0.0, 100_000.0), (1.0, 300_000.0)]


def ramp_energy_j(t: float) -> float:
    mj = 100_000 * t + 100_000 * t * t if t <= 1 else 200_000 + 300_000 * (t - 1)
    return mj / 1000


def gpu(name="A100", uuid="GPU-aaaa-1111", **kw):
    kw.setdefault("trace", RAMP)
    return FakeGpu(name=name, uuid=uuid, **kw)


def run_window(meter, clock, start, stop, ticks=(), name="w"):
    clock.t = start
    window = meter.start_window(name)
    for t in ticks:
        clock.t = t
        meter.sample_now()
    clock.t = stop
    return window.stop()


def test_energy_counter_gives_exact_window_energy(make_meter, clock):
    meter = make_meter(gpus=[gpu()])
    assert "gpu:0" in meter.components()
    result = run_window(meter, clock, 0.5, 1.5)
    energy = result.energy["gpu:0"]
    assert energy.method is Method.COUNTER
    assert energy.joules == ramp_energy_j(1.5) - ramp_energy_j(0.5) == 275.0
    assert energy.detail["device"] == "A100"
    assert "nvmlDeviceGetTotalEnergyConsumption" in energy.detail["source"]
    assert "100 ms" in energy.detail["uncertainty"]
    assert result.total_joules == pytest.approx(
        275.0 + result.energy["cpu"].joules + result.energy["dram"].joules
    )
    assert result.total_method is Method.ESTIMATED  # cpu/dram are estimates here


def test_window_shorter_than_counter_period_uses_instant_power(make_meter, clock):
    meter = make_meter(gpus=[gpu()])
    result = run_window(meter, clock, 1.25, 1.3125)  # 62.5 ms at a flat 300 W
    energy = result.energy["gpu:0"]
    assert energy.method is Method.POLLED
    assert energy.joules == 300.0 * 0.0625
    assert "shorter than the energy counter" in energy.detail["source"]


def test_without_counter_instant_power_is_integrated_by_the_trapezoid_rule(make_meter, clock):
    meter = make_meter(gpus=[gpu(counter=False)])
    result = run_window(meter, clock, 0.5, 1.5, ticks=[0.75, 1.0, 1.25])
    energy = result.energy["gpu:0"]
    assert energy.method is Method.POLLED
    # Samples fall on the trace's corner (t=1), so the trapezoid rule is exact.
    assert energy.joules == ramp_energy_j(1.5) - ramp_energy_j(0.5)
    assert "POWER_INSTANT" in energy.detail["source"]


def test_without_counter_or_instant_field_power_usage_is_integrated(make_meter, clock):
    meter = make_meter(gpus=[gpu(counter=False, instant_field=False)])
    result = run_window(meter, clock, 0.5, 1.5, ticks=[0.75, 1.0, 1.25])
    energy = result.energy["gpu:0"]
    assert energy.method is Method.POLLED
    assert energy.joules == 275.0
    assert "nvmlDeviceGetPowerUsage" in energy.detail["source"]


def test_device_without_energy_or_power_is_none_with_reason(make_meter, clock):
    meter = make_meter(gpus=[gpu(counter=False, instant_field=False, power_usage=False)])
    energy = run_window(meter, clock, 0.0, 1.0).energy["gpu:0"]
    assert energy.joules is None and energy.method is None
    assert "supports neither" in energy.reason


def test_device_lost_mid_window_is_none_and_the_rest_keeps_working(make_meter, clock):
    meter = make_meter(gpus=[gpu(), gpu(name="T4", uuid="GPU-bbbb-2222", lost_at=1.0)])
    result = run_window(meter, clock, 0.5, 1.5, ticks=[1.0])
    lost = result.energy["gpu:1"]
    assert lost.joules is None and lost.method is None
    assert "gpu:1 (T4) stopped answering NVML" in lost.reason
    assert "GPU is lost" in lost.reason
    assert result.energy["gpu:0"].joules == 275.0
    assert result.energy["cpu"].joules is not None
    assert "gpu:1" in result.missing
    assert result.total_joules >= 275.0
    later = run_window(meter, clock, 1.5, 2.0)
    still_lost = later.energy["gpu:1"]
    assert still_lost.joules is None and "stopped answering" in still_lost.reason
    assert later.energy["gpu:0"].joules == 150.0
    assert meter.power_now()["gpu:1"].watts is None


def test_nested_gpu_windows_count_once(make_meter, clock):
    meter = make_meter(gpus=[gpu()])
    clock.t = 0.0
    outer = meter.start_window("outer")
    inner = run_window(meter, clock, 0.5, 1.5, name="inner")
    clock.t = 2.0
    result = outer.stop()
    assert inner.energy["gpu:0"].joules == 275.0
    assert result.energy["gpu:0"].joules == ramp_energy_j(2.0) == 500.0


def test_mig_instance_gets_a_labelled_slice_share(make_meter, clock):
    parent = gpu(trace=[(0.0, 280_000.0)], mig_capable=True, mig_mode=True)
    mig = FakeMig(uuid="MIG-1234-abcd", parent=parent, slices=2)
    meter = make_meter({"CUDA_VISIBLE_DEVICES": "MIG-1234-abcd"}, gpus=[parent], migs=[mig])
    result = run_window(meter, clock, 0.0, 1.0)
    energy = result.energy["gpu:0"]
    assert energy.method is Method.ESTIMATED
    assert energy.detail["whole_gpu_joules"] == 280.0
    assert energy.detail["whole_gpu_method"] == "counter"
    assert energy.joules == 80.0  # 2 of 7 slices
    assert "MIG instance" in energy.reason and "2/7" in energy.reason
    assert result.gpu_peak_memory_bytes == {"gpu:0": mig.memory_used}


def test_whole_gpu_in_mig_mode_is_labelled(make_meter, clock):
    meter = make_meter(gpus=[gpu(mig_capable=True, mig_mode=True)])
    energy = run_window(meter, clock, 0.5, 1.5).energy["gpu:0"]
    assert energy.method is Method.COUNTER and energy.joules == 275.0
    assert "MIG mode is on" in energy.reason


def test_shared_gpu_energy_is_attributed_by_sm_utilisation(make_meter, clock):
    me, other = os.getpid(), 99_999
    shared = gpu(
        trace=[(0.0, 200_000.0)],
        processes=[me, other],
        util_samples=[
            (300_000, me, 30),
            (300_000, other, 90),
            (600_000, me, 30),
            (600_000, other, 90),
            (900_000, me, 100),
        ],
    )
    meter = make_meter(gpus=[shared])
    result = run_window(meter, clock, 0.25, 0.75, ticks=[0.5])
    energy = result.energy["gpu:0"]
    assert energy.method is Method.ATTRIBUTED
    assert energy.detail["device_joules"] == 100.0
    assert energy.detail["share"] == 0.25
    assert energy.joules == 25.0
    assert "25%" in energy.reason


def test_shared_gpu_without_this_process_in_the_list_says_so(make_meter, clock):
    meter = make_meter(gpus=[gpu(trace=[(0.0, 200_000.0)], processes=[99_999])])
    energy = run_window(meter, clock, 0.0, 1.0).energy["gpu:0"]
    assert energy.method is Method.COUNTER and energy.joules == 200.0
    assert "does not show this process's PID" in energy.reason


def test_gpu_used_by_this_process_alone_is_the_whole_device(make_meter, clock):
    meter = make_meter(gpus=[gpu(trace=[(0.0, 200_000.0)], processes=[os.getpid()])])
    energy = run_window(meter, clock, 0.0, 1.0).energy["gpu:0"]
    assert energy.method is Method.COUNTER and energy.joules == 200.0
    assert "no other process" in energy.detail["scope"]


def test_peak_memory_and_live_power(make_meter, clock):
    card = gpu()
    meter = make_meter(gpus=[card])
    clock.t = 0.5
    window = meter.start_window("mem")
    card.memory_used = 7_000_000_000
    clock.t = 0.75
    meter.sample_now()
    card.memory_used = 2_000_000_000
    clock.t = 1.0
    meter.sample_now()
    power = meter.power_now()["gpu:0"]
    assert power.watts == 300.0 and power.method is Method.POLLED
    result = window.stop()
    assert result.gpu_peak_memory_bytes == {"gpu:0": 7_000_000_000}
    assert "NVML" in result.peak_memory_notes["gpu:0"]
    cumulative = meter.cumulative_joules()["gpu:0"]
    assert cumulative.joules == ramp_energy_j(1.0) == 200.0


def test_nvml_library_missing_means_no_gpu_component_and_a_reason(make_meter):
    meter = make_meter(library_missing=True)
    assert not any(c.startswith("gpu") for c in meter.components())
    assert "NVML Shared Library Not Found" in meter.notes["gpu"]
    assert "libnvidia-ml" in meter.notes["gpu"]


def test_meter_close_shuts_nvml_down(make_meter, clock):
    import sys

    meter = make_meter(gpus=[gpu()])
    meter.close()
    assert sys.modules["pynvml"].calls == ["shutdown"]


@pytest.mark.parametrize(
    ("visible", "uuids", "note"),
    [
        (None, ["GPU-aaaa", "GPU-bbbb", "GPU-cccc"], None),
        ("2,0", ["GPU-cccc", "GPU-aaaa"], None),
        ("GPU-bb,GPU-a", ["GPU-bbbb", "GPU-aaaa"], None),
        ("1,7,0", ["GPU-bbbb"], "stops at '7'"),
        ("0,GPU-", ["GPU-aaaa"], "matches 3 device UUIDs"),
        ("-1", [], "stops at '-1'"),
        ("", [], "empty"),
    ],
)
def test_cuda_visible_devices_by_index_and_uuid(clock, visible, uuids, note):
    gpus = [gpu(uuid=u) for u in ("GPU-aaaa", "GPU-bbbb", "GPU-cccc")]
    env = {} if visible is None else {"CUDA_VISIBLE_DEVICES": visible}
    devices, why = visible_devices(fake_nvml(clock, gpus), env)
    assert [d.uuid for d in devices] == uuids
    assert [d.label for d in devices] == [f"gpu:{i}" for i in range(len(uuids))]
    if note is None:
        assert why is None
    else:
        assert note in why


def test_host_description_lists_visible_gpus(monkeypatch, clock):
    import sys

    from green_assist.hostinfo import describe_host

    gpus = [gpu(name="A100", uuid="GPU-aaaa"), gpu(name="T4", uuid="GPU-bbbb")]
    monkeypatch.setitem(sys.modules, "pynvml", fake_nvml(clock, gpus))
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "1")
    host = describe_host()
    assert host["gpu_names"] == ["T4"] and host["gpu_count"] == 1
    assert host["cores_available"] >= 1
