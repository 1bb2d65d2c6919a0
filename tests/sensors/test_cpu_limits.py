"""Cores available to the process: cgroup quotas (v1 and v2) over fake /proc and cgroup trees,
and CPU time of child processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from green_assist.sensors.cpu import (
    affinity_cpus,
    cgroup_cpu_quota,
    cpu_limit,
    descendants_cpu_seconds,
)

V2_MOUNTINFO = "41 31 0:38 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw\n"
V1_MOUNTINFO = (
    "31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 /docker/abc /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
)


def fake_system(tmp_path: Path, mountinfo: str, cgroup: str) -> tuple[Path, Path]:
    proc_self = tmp_path / "proc" / "self"
    proc_self.mkdir(parents=True)
    (proc_self / "mountinfo").write_text(mountinfo)
    (proc_self / "cgroup").write_text(cgroup)
    return proc_self, tmp_path / "fs"


def write(path: Path, text: str) -> None:
    path.mkdir(parents=True, exist_ok=True)
    for line in text.strip().splitlines():
        name, value = line.split("=", 1)
        (path / name).write_text(value + "\n")


def test_cgroup_v2_quota_of_own_group_and_tighter_parent(tmp_path):
    proc_self, fs = fake_system(tmp_path, V2_MOUNTINFO, "0::/kubepods/pod1/ctr\n")
    base = fs / "sys/fs/cgroup"
    write(base / "kubepods", "cpu.max=max 100000")
    write(base / "kubepods/pod1", "cpu.max=150000 100000")  # 1.5 cores for the pod
    write(base / "kubepods/pod1/ctr", "cpu.max=400000 100000")  # 4 for the container
    quota, where = cgroup_cpu_quota(proc_self, fs)
    assert quota == 1.5
    assert "cgroup v2" in where and "pod1" in where
    limit = cpu_limit(proc_self, fs)
    assert limit.cores == min(1.5, affinity_cpus())
    assert limit.quota_cores == 1.5


def test_cgroup_v2_without_quota(tmp_path):
    proc_self, fs = fake_system(tmp_path, V2_MOUNTINFO, "0::/\n")
    write(fs / "sys/fs/cgroup", "cpu.max=max 100000")
    quota, where = cgroup_cpu_quota(proc_self, fs)
    assert quota is None and "no CPU quota" in where
    limit = cpu_limit(proc_self, fs)
    assert limit.cores == affinity_cpus() and "affinity" in limit.source


def test_cgroup_v1_quota_inside_a_container_mount(tmp_path):
    # The container sees its own cgroup mounted at the controller's mount point.
    cgroup = "4:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n"
    proc_self, fs = fake_system(tmp_path, V1_MOUNTINFO, cgroup)
    write(fs / "sys/fs/cgroup/cpu,cpuacct", "cpu.cfs_quota_us=50000\ncpu.cfs_period_us=100000")
    quota, where = cgroup_cpu_quota(proc_self, fs)
    assert quota == 0.5 and "cgroup v1" in where
    assert cpu_limit(proc_self, fs).cores == 0.5


def test_cgroup_v1_unlimited(tmp_path):
    proc_self, fs = fake_system(tmp_path, V1_MOUNTINFO, "4:cpu,cpuacct:/docker/abc\n")
    write(fs / "sys/fs/cgroup/cpu,cpuacct", "cpu.cfs_quota_us=-1\ncpu.cfs_period_us=100000")
    assert cgroup_cpu_quota(proc_self, fs)[0] is None


def test_no_cgroup_information(tmp_path):
    quota, where = cgroup_cpu_quota(tmp_path / "nowhere", tmp_path)
    assert quota is None and "no cgroup information" in where


def test_cpu_time_of_child_processes_is_counted(make_meter):
    meter = make_meter()
    with meter.window("subprocess") as w:
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import time\nend = time.process_time() + 0.4\n"
                "while time.process_time() < end: pass",
            ],
            check=True,
        )
    cpu = w.result.energy["cpu"]
    assert cpu.detail["cpu_seconds"] >= 0.4 - 1e-9  # clock ticks as floats: 0.39999999999999
    assert cpu.joules == pytest.approx(
        cpu.detail["watts_per_logical_cpu"] * cpu.detail["cpu_seconds"]
    )


def test_cpu_time_of_a_still_running_child_is_counted(make_meter):
    meter = make_meter()
    child_code = (
        "import sys, time\nend = time.process_time() + 0.4\n"
        "while time.process_time() < end: pass\nprint('done', flush=True)\nsys.stdin.read()"
    )
    window = meter.start_window("worker")
    child = subprocess.Popen(
        [sys.executable, "-c", child_code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "done"
        result = window.stop()  # the child is alive (waiting on stdin): found by the scan
    finally:
        child.communicate("")
    # The child's own clock has ns resolution, the kernel's accounting 10 ms ticks: a
    # child that burned 0.4 s may be charged a tick less (0.39 seen on a loaded machine).
    tick = 1 / os.sysconf("SC_CLK_TCK")
    assert result.energy["cpu"].detail["cpu_seconds"] >= 0.4 - 1.5 * tick


_BURN_THEN_WAIT = (
    "import sys, time\nend = time.process_time() + {seconds}\n"
    "while time.process_time() < end: pass\nprint('done', flush=True)\nsys.stdin.read()"
)


def test_live_grandchildren_are_found_and_agree_with_psutil():
    """A worker that starts its own worker (a DataLoader in a subprocess): both count."""
    grandchild = _BURN_THEN_WAIT.format(seconds=0.3)
    child_code = (
        "import subprocess, sys\n"
        f"g = subprocess.Popen([sys.executable, '-c', {grandchild!r}], "
        "stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)\n"
        "assert g.stdout.readline().strip() == 'done'\n"
        + _BURN_THEN_WAIT.format(seconds=0.3).replace("sys.stdin.read()", "")
        + "sys.stdin.read()\ng.communicate('')\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", child_code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "done"
        found = descendants_cpu_seconds(os.getpid())
        by_psutil = sum(sum(p.cpu_times()[:2]) for p in psutil.Process().children(recursive=True))
    finally:
        child.communicate("")
    assert found is not None, "this Linux has /proc/<pid>/task/<tid>/children"
    assert found >= 0.6
    assert found == pytest.approx(by_psutil, abs=0.05)


def test_without_children_lists_the_scan_says_so(tmp_path):
    (tmp_path / "42" / "task" / "42").mkdir(parents=True)  # a kernel without CONFIG_PROC_CHILDREN
    assert descendants_cpu_seconds(42, proc=tmp_path) is None
    assert descendants_cpu_seconds(43, proc=tmp_path) is None  # no such process
