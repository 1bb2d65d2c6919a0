"""CPU and DRAM energy from a fake powercap tree; expected values are exact."""

from __future__ import annotations

import pytest

from green_assist.sensors import Method

from .powercap_tree import MAX_RANGE_UJ, PowercapTree, ProcStat


@pytest.fixture
def tree(tmp_path):
    return PowercapTree(tmp_path / "powercap")


@pytest.fixture
def proc_stat(tmp_path):
    """A quiet machine: nobody else's CPU time moves unless a test adds some."""
    return ProcStat(tmp_path / "stat")


@pytest.fixture
def rapl_meter(make_meter, tree, proc_stat):
    def make():
        return make_meter(
            {
                "GREEN_ASSIST_POWERCAP_ROOT": str(tree.root),
                "GREEN_ASSIST_PROC_STAT": str(proc_stat.path),
            }
        )

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


def test_counter_when_alone_on_the_machine(rapl_meter, tree, proc_stat, clock):
    tree.zone("intel-rapl:0", "package-0", 0)
    meter = rapl_meter()
    window = meter.start_window("alone")
    tree.set("intel-rapl:0", 2_000_000)
    proc_stat.add_busy(0.01)  # background noise: under 5% of one core over the second
    clock.t += 1.0
    cpu = window.stop().energy["cpu"]
    assert cpu.method is Method.COUNTER and cpu.joules == 2.0
    assert "alone" in cpu.detail["attribution"]


def test_other_processes_cpu_time_makes_the_reading_attributed(rapl_meter, tree, proc_stat, clock):
    tree.intel_server()
    meter = rapl_meter()
    window = meter.start_window("shared")
    tree.set("intel-rapl:0", 3_000_000)  # package +2 J
    tree.set("intel-rapl:0:2", 700_000)  # dram +0.4 J
    mine = burn_cpu(0.3)  # this process: about 0.3 CPU-seconds
    proc_stat.add_busy(30.0 + mine)  # the machine: ours and 30 CPU-seconds of others'
    clock.t += 2.0
    result = window.stop()
    cpu, dram = result.energy["cpu"], result.energy["dram"]
    share = cpu.detail["share"]
    assert cpu.detail["own_cpu_s"] >= 0.25
    assert share == pytest.approx(mine / (30.0 + mine), rel=0.05)
    assert cpu.method is Method.ATTRIBUTED and dram.method is Method.ATTRIBUTED
    assert cpu.detail["package_joules"] == 2.0 and dram.detail["package_joules"] == 0.4
    assert cpu.joules == pytest.approx(2.0 * share)
    assert dram.joules == pytest.approx(0.4 * share)
    assert "shared machine" in cpu.reason
    assert result.total_method is Method.ATTRIBUTED


def test_attributed_with_a_real_competing_process(make_meter, tree, clock):
    """The machine's real /proc/stat, a real process burning CPU next to this one: the
    package (a fake counter) is shared, so this process gets at most its part of the
    CPU time the two used (others on this machine only lower it).

    The competitor is started through a shell that exits at once, so it is not a
    descendant of this process: a child's CPU time is this process tree's own."""
    import os
    import signal
    import subprocess
    import sys

    import psutil

    tree.zone("intel-rapl:0", "package-0", 0)
    meter = make_meter({"GREEN_ASSIST_POWERCAP_ROOT": str(tree.root)})
    burner = "import time\nend = time.time() + 30\nwhile time.time() < end: pass"
    started = subprocess.run(
        ["sh", "-c", '"$0" -c "$1" </dev/null >/dev/null 2>&1 & echo $!', sys.executable, burner],
        capture_output=True,
        text=True,
        check=True,
    )
    competitor = psutil.Process(int(started.stdout))
    try:
        assert competitor.pid not in {c.pid for c in psutil.Process().children(recursive=True)}
        start_theirs = _cpu(competitor)
        window = meter.start_window("next to a competitor")
        burn_cpu(0.5)
        tree.set("intel-rapl:0", 10_000_000)
        clock.t += 1.0
        cpu = window.stop().energy["cpu"]
        theirs = _cpu(competitor) - start_theirs
    finally:
        os.kill(competitor.pid, signal.SIGKILL)
    assert theirs > 0.05  # it did run during the window
    mine = cpu.detail["own_cpu_s"]
    assert cpu.method is Method.ATTRIBUTED
    assert cpu.detail["package_joules"] == 10.0
    assert 0 < cpu.detail["share"] <= mine / (mine + theirs) + 0.05  # 10 ms ticks
    assert cpu.joules == pytest.approx(10.0 * cpu.detail["share"])


def test_short_window_takes_its_share_from_recent_samples(rapl_meter, tree, proc_stat, clock):
    tree.zone("intel-rapl:0", "package-0", 0)
    meter = rapl_meter()
    for _ in range(10):  # the sampler's last second: others busy 2 cores
        clock.t += 0.1
        proc_stat.add_busy(0.2)
        meter.sample_now()
    window = meter.start_window("short")
    tree.set("intel-rapl:0", 50_000)
    clock.t += 0.02
    cpu = window.stop().energy["cpu"]
    assert cpu.method is Method.ATTRIBUTED
    # The latest sample from which the machine was busy for 0.5 CPU-s: 3 ticks back.
    assert cpu.detail["share_window_s"] == pytest.approx(0.32)
    assert cpu.detail["machine_cpu_s"] == pytest.approx(0.6, abs=0.05)
    assert meter.power_now()["cpu"].method is Method.ATTRIBUTED  # live power: same basis


def burn_cpu(seconds: float) -> float:
    """Spin for ``seconds`` of this process's CPU time; return the CPU time spent."""
    import time

    start = time.process_time()
    while time.process_time() < start + seconds:
        pass
    return time.process_time() - start


def _cpu(process) -> float:
    times = process.cpu_times()
    return times.user + times.system


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
