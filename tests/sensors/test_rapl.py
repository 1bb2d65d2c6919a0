"""CPU and DRAM energy from a fake powercap tree; expected values are exact."""

from __future__ import annotations

import pytest

from green_assist.sensors import Method

from .powercap_tree import MAX_RANGE_UJ, PowercapTree


@pytest.fixture
def tree(tmp_path):
    return PowercapTree(tmp_path / "powercap")


@pytest.fixture
def rapl_meter(make_meter, tree):
    def make():
        return make_meter({"GREEN_ASSIST_POWERCAP_ROOT": str(tree.root)})

    return make


def test_packages_summed_dram_summed_and_wrap_around_counted(rapl_meter, tree, clock):
    tree.intel_server()
    meter = rapl_meter()
    assert meter.components() == ["cpu", "dram"]
    clock.t = 1.0
    window = meter.start_window("rapl")
    tree.set("intel-rapl:0", 3_500_000)  # +2.5 J
    tree.set("intel-rapl:1", 500)  # wrapped: +1000 to the top, +500 after
    tree.set("intel-rapl:0:0", 99_000_000)  # core and psys must not be added
    tree.set("intel-rapl:2", 99_000_000)
    tree.set("intel-rapl:0:2", 1_000_000)  # +0.7 J
    tree.set("intel-rapl:1:0", 130_000)  # +0.08 J
    clock.t = 2.0
    result = window.stop()
    cpu, dram = result.energy["cpu"], result.energy["dram"]
    assert cpu.method is Method.COUNTER and dram.method is Method.COUNTER
    assert cpu.joules == (2_500_000 + 1_500) / 1e6
    assert dram.joules == (700_000 + 80_000) / 1e6
    assert cpu.reason is None
    assert cpu.detail["domains"] == ["intel-rapl:0 (package-0)", "intel-rapl:1 (package-1)"]
    assert result.total_joules == cpu.joules + dram.joules
    assert result.total_method is Method.COUNTER
    scan = meter.describe()["backends"][0]["scan"]
    assert any("psys" in s for s in scan["skipped"])
    assert any("core" in s and "not added" in s for s in scan["skipped"])
    assert any("intel-rapl-mmio" in s for s in scan["skipped"])


def test_wrap_between_samples_is_counted_once_per_wrap(rapl_meter, tree, clock):
    tree.zone("intel-rapl:0", "package-0", MAX_RANGE_UJ - 1_000)
    meter = rapl_meter()
    window = meter.start_window("long")
    tree.set("intel-rapl:0", MAX_RANGE_UJ - 10)  # sampler sees +990
    meter.sample_now()
    tree.set("intel-rapl:0", 20)  # wraps: +10, +20
    meter.sample_now()
    tree.set("intel-rapl:0", 5_020)  # +5000
    result = window.stop()
    assert result.energy["cpu"].joules == (990 + 30 + 5_000) / 1e6


def test_nested_windows_over_a_wrap(rapl_meter, tree, clock):
    tree.zone("intel-rapl:0", "package-0", MAX_RANGE_UJ - 2_000)
    meter = rapl_meter()
    outer = meter.start_window("outer")
    tree.set("intel-rapl:0", MAX_RANGE_UJ - 1_000)
    inner = meter.start_window("inner")
    tree.set("intel-rapl:0", 4_000)
    inner_result = inner.stop()
    tree.set("intel-rapl:0", 10_000)
    outer_result = outer.stop()
    assert inner_result.energy["cpu"].joules == 5_000 / 1e6
    assert outer_result.energy["cpu"].joules == 12_000 / 1e6


def test_cpu_without_dram_domain_estimates_dram_and_says_why(rapl_meter, tree, clock):
    tree.zone("amd-rapl:0", "package-0", 0)  # AMD parts often expose no dram zone
    meter = rapl_meter()
    window = meter.start_window("amd")
    tree.set("amd-rapl:0", 1_234_567)
    result = window.stop()
    assert result.energy["cpu"].method is Method.COUNTER
    assert result.energy["cpu"].joules == 1.234567
    dram = result.energy["dram"]
    assert dram.method is Method.ESTIMATED
    assert "no RAPL dram zone" in dram.reason


def test_unreadable_package_counter_falls_back_to_a_labelled_estimate(rapl_meter, tree):
    tree.intel_server()
    energy = tree.root / "intel-rapl:1" / "energy_uj"
    energy.unlink()
    energy.mkdir()  # reading it fails (IsADirectoryError), even for root
    meter = rapl_meter()
    result = meter.start_window("w").stop()
    cpu = result.energy["cpu"]
    assert cpu.method is Method.ESTIMATED  # never a partial sum of packages
    assert "cannot read intel-rapl:1 (package-1)" in cpu.reason
    assert result.energy["dram"].method is Method.COUNTER


def test_counter_failing_mid_run_is_none_with_reason(rapl_meter, tree):
    tree.intel_server()
    meter = rapl_meter()
    window = meter.start_window("w")
    (tree.root / "intel-rapl:1" / "energy_uj").unlink()
    result = window.stop()
    cpu = result.energy["cpu"]
    assert cpu.joules is None and cpu.method is None
    assert "intel-rapl:1 failed mid-run" in cpu.reason
    assert result.energy["dram"].joules is not None
    assert "cpu" in result.missing


def test_no_powercap_root_means_estimate_with_reason(make_meter, tmp_path):
    meter = make_meter({"GREEN_ASSIST_POWERCAP_ROOT": str(tmp_path / "absent")})
    cpu = meter.start_window("w").stop().energy["cpu"]
    assert cpu.method is Method.ESTIMATED
    assert "no powercap directory" in cpu.reason


def test_empty_powercap_root_means_estimate_with_reason(make_meter, tree):
    meter = make_meter({"GREEN_ASSIST_POWERCAP_ROOT": str(tree.root)})
    cpu = meter.start_window("w").stop().energy["cpu"]
    assert cpu.method is Method.ESTIMATED
    assert "no RAPL zones" in cpu.reason
