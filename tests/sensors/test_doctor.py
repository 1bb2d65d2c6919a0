"""``green-assist doctor``: on this machine, over a fake powercap tree and over a fake NVML."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from green_assist.cli.doctor import format_report
from green_assist.sensors.diagnose import diagnose

from .fake_nvml import FakeGpu, FakeMig, fake_nvml
from .powercap_tree import PowercapTree


def doctor(*args, env=None, prefix=()):
    environment = dict(os.environ)
    environment.update(env or {})
    return subprocess.run(
        [*prefix, sys.executable, "-m", "green_assist", "doctor", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
    )


def test_doctor_json_on_this_machine_says_estimated_and_gpu_absent():
    if Path("/sys/class/powercap").exists():
        pytest.skip("this machine exposes RAPL; the estimate is not the live path here")
    result = doctor("--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    cpu = report["components"]["cpu"]
    assert cpu["method"] == "estimated" and cpu["status"] == "estimated"
    assert "no powercap directory" in cpu["reason"]
    assert "GREEN_ASSIST_CPU_TDP_W" in cpu["fix"]
    gpu = report["components"].get("gpu")
    if gpu is None:
        pytest.skip("an NVIDIA GPU is visible on this machine")
    assert gpu["status"] == "absent" and gpu["method"] is None
    assert "NVML" in gpu["reason"] or "nvidia-ml-py" in gpu["reason"]
    assert gpu["fix"]
    constants = report["cpu"]["power_model"]
    assert constants["watts_per_logical_cpu"] > 0 and constants["source"]
    assert report["cpu"]["limit"]["cores_available"] >= 1
    assert report["carbon"]["is_default"] is True
    assert {gap["component"] for gap in report["gaps"]} >= {"cpu", "gpu", "carbon"}


def test_doctor_text_lists_components_constants_and_carbon():
    result = doctor(env={"GREEN_ASSIST_REGION": "FR"})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("green-assist doctor")
    for expected in (
        "cpu",
        "dram",
        "CPU estimate constants",
        "W per busy logical CPU",
        "Carbon",
        "for FR",
    ):
        assert expected in out


def _without_file_access_override():
    """Run a command so that file permissions apply to it: as root, drop the capabilities
    that let root read any file (as an ordinary user, nothing to drop)."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make a file unreadable")
    caps = "-dac_override,-dac_read_search"
    return (setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}")


def test_permission_denied_on_rapl_is_reported_with_the_fix(tmp_path):
    tree = PowercapTree(tmp_path / "powercap").intel_server()
    for zone in ("intel-rapl:0", "intel-rapl:1", "intel-rapl:0:2", "intel-rapl:1:0"):
        (tree.root / zone / "energy_uj").chmod(0o000)  # what Linux 5.10+ does for non-root
    result = doctor(
        "--json",
        env={"GREEN_ASSIST_POWERCAP_ROOT": str(tree.root)},
        prefix=_without_file_access_override(),
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    cpu = report["components"]["cpu"]
    assert cpu["method"] == "estimated"  # labelled, never passed off as a measurement
    assert "permission denied reading" in cpu["reason"]
    assert "chmod o+r" in cpu["reason"] and "udev" in cpu["reason"]
    assert "chmod o+r" in cpu["fix"]
    assert "permission denied" in report["rapl"]["problems"]["cpu"]


def test_doctor_over_fake_nvml_lists_each_gpu_with_its_method(monkeypatch, clock):
    parent = FakeGpu("A100", "GPU-aaaa", [(0.0, 100_000.0)], mig_capable=True, mig_mode=True)
    old = FakeGpu("K80", "GPU-bbbb", [(0.0, 50_000.0)], counter=False)
    mig = FakeMig("MIG-cccc", parent, slices=1)
    monkeypatch.setitem(sys.modules, "pynvml", fake_nvml(clock, [parent, old], [mig]))
    env = {"CUDA_VISIBLE_DEVICES": "GPU-bbbb,MIG-cccc", "GREEN_ASSIST_POWERCAP_ROOT": "/none"}
    report = diagnose(env)
    components = report["components"]
    assert "gpu" not in components
    assert components["gpu:0"]["method"] == "polled"
    assert "no energy counter" in components["gpu:0"]["fix"]
    assert components["gpu:1"]["method"] == "estimated"
    assert "MIG instance" in components["gpu:1"]["reason"]
    devices = {d["label"]: d for d in report["gpu"]["devices"]}
    assert devices["gpu:0"]["energy_counter"] is False
    assert devices["gpu:1"]["mig_instance"]["parent"] == "A100"
    text = format_report(report)
    assert "gpu:0" in text and "POLLED" not in text and "MEASURED (polled)" in text


def test_bad_settings_show_up_as_gaps(monkeypatch):
    env = {
        "GREEN_ASSIST_POWERCAP_ROOT": "/none",
        "GREEN_ASSIST_CPU_TDP_W": "very hot",
        "GREEN_ASSIST_REGION": "Atlantis",
    }
    report = diagnose(env)
    problems = " ".join(str(g["problem"]) for g in report["gaps"])
    assert "GREEN_ASSIST_CPU_TDP_W='very hot' is not a number" in problems
    assert "'Atlantis' not found" in problems
    assert report["carbon"]["is_default"] is True


def test_each_gap_has_its_own_fix_and_the_count_matches_the_list(tmp_path):
    env = {"GREEN_ASSIST_POWERCAP_ROOT": str(tmp_path / "no-powercap")}
    report = diagnose(env)
    gaps = report["gaps"]
    fixes = [gap["fix"] for gap in gaps]
    assert all(fixes) and len(set(fixes)) == len(fixes)  # no gap repeats another's advice
    components = report["components"]
    assert "TDP" not in components["dram"]["fix"]  # DRAM's fix is about DRAM
    assert "resident memory" in components["dram"]["fix"]
    text = format_report(report)
    names = ", ".join(gap["component"] for gap in gaps)
    assert text.rstrip().endswith(f"{len(gaps)} gaps, each with its fix above: {names}.")
    flattened = " ".join(text.split())
    for fix in fixes:  # every gap's fix is printed
        assert " ".join(fix.split()) in flattened


def test_an_unknown_cpu_model_reads_as_a_sentence():
    report = diagnose({"GREEN_ASSIST_POWERCAP_ROOT": "/none"})
    source = report["cpu"]["power_model"]["source"]
    if report["cpu"]["power_model"]["tdp_w"] is None:  # this machine's CPU is not in the table
        assert source.startswith("Median TDP per hardware thread of the ")
        assert "unknown model:" not in source
