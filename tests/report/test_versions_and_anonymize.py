"""Reports name the software a session ran with, and ``--anonymize`` makes them safe to share."""

from __future__ import annotations

import json
import platform
import re
from importlib import metadata

import pytest

from green_assist import __version__
from green_assist.cli import main
from green_assist.profiler.hardware import GpuProbe
from green_assist.profiler.measurement import Target
from green_assist.profiler.session import ProfilerSession
from green_assist.sensors import EnergyMeter

from .records import record, write_log

HOST = "build-host-7"
HOME = "/home/ana/project"


def installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


@pytest.fixture
def profiled_log(tmp_path):
    """A log written by the real profiler on this machine."""
    meter = EnergyMeter.from_environment(start_sampler=False)
    session = ProfilerSession(meter=meter, log_dir=tmp_path, gpu_probe=GpuProbe(env={}))
    try:
        session.finish(session.begin(Target(execution_count=1, source="x = 1")))
    finally:
        session.close()
        meter.close()
    return session.writer.path


def test_report_lists_python_torch_jupyterlab_and_green_assist(profiled_log, tmp_path):
    expected = {
        "python": platform.python_version(),
        "green_assist": __version__,
        "torch": installed("torch"),
        "jupyterlab": installed("jupyterlab"),
    }
    out = tmp_path / "r.json"
    assert main(["report", str(profiled_log), "-o", str(out)]) == 0
    software = json.loads(out.read_text())["session"]["methods"]["software"]
    for name, version in expected.items():
        if version is not None:
            assert software[name] == [version], name
    md = tmp_path / "r.md"
    assert main(["report", str(profiled_log), "-o", str(md)]) == 0
    assert f"Software: python {expected['python']}" in md.read_text()
    html = tmp_path / "r.html"
    assert main(["report", str(profiled_log), "-o", str(html)]) == 0
    software_table = html.read_text().split("<h3>Software</h3>", 1)[1].split("</table>", 1)[0]
    assert f"<td>{expected['python']}</td>" in software_table
    if expected["torch"]:
        assert f"<td>{expected['torch']}</td>" in software_table


def private_log(path):
    hardware = {"hostname": HOST, "cpu_model": "Test CPU", "cpu_count": 2}
    cell = record(1, hardware=hardware, source=f"data = open('{HOME}/data.csv').read()\n")
    script = record(
        2,
        hardware=hardware,
        kind="script",
        mode="script",
        source=f"{HOME}/train.py --epochs 1",
        error={"ename": "OSError", "evalue": f"cannot read {HOME}/ckpt.pt on {HOST}"},
        status="error",
    )
    return write_log(path, [cell, script])


@pytest.mark.parametrize("suffix", [".html", ".json", ".md", ".csv"])
def test_anonymize_drops_the_host_name_and_absolute_paths(tmp_path, suffix):
    log = private_log(tmp_path / "private.jsonl")
    plain, shared = tmp_path / f"plain{suffix}", tmp_path / f"shared{suffix}"
    assert main(["report", str(log), "-o", str(plain), "--no-findings"]) == 0
    assert main(["report", str(log), "-o", str(shared), "--no-findings", "--anonymize"]) == 0
    text = shared.read_text(encoding="utf-8")
    assert HOST not in text and "/home/ana" not in text and str(tmp_path) not in text
    if suffix in (".html", ".json"):  # the formats that show hardware and script names
        assert HOST in plain.read_text(encoding="utf-8")
        assert "…/train.py --epochs 1" in text
    if suffix == ".json":
        document = json.loads(text)["session"]
        assert document["sources"][0]["path"] == "…/private.jsonl"
        assert all("hostname" not in h for h in document["methods"]["hardware"])
        assert document["totals"]["cells"] == 2  # the figures are all still there


def test_anonymize_keeps_hardware_paths_and_urls():
    from green_assist.report.anonymize import scrub_text

    text = "no RAPL at /sys/class/powercap; see https://example.org/a/b/c; in /tmp/x/y.py"
    assert scrub_text(text) == (
        "no RAPL at /sys/class/powercap; see https://example.org/a/b/c; in …/y.py"
    )
    assert scrub_text(r"C:\Users\ana\nb.ipynb failed") == r"…\nb.ipynb failed"
    host = re.compile(r"\bvm\b")
    assert scrub_text("ran on vm, not in a VM or vmware", host) == (
        "ran on [host], not in a VM or vmware"
    )
