"""``green-assist run``: one record per script run, the script's exit code, reports."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from green_assist.profiler.session_log import read_session_dir

from .conftest import needs_torch

pytestmark = pytest.mark.slow


def run(tmp_path, *args):
    env_code = "import sys; from green_assist.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", env_code, "run", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )


def script(tmp_path, body):
    path = tmp_path / "job.py"
    path.write_text(textwrap.dedent(body))
    return path.name


def records(tmp_path):
    return [r for log in read_session_dir(tmp_path / ".green_assist") for r in log.records]


def test_runs_the_script_as_main_with_its_arguments(tmp_path):
    name = script(
        tmp_path,
        """
        import sys
        if __name__ == "__main__":
            print("args", sys.argv[1:])
        """,
    )
    done = run(tmp_path, "--label", "job", name, "a", "--flops")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "args ['a', '--flops']"  # after SCRIPT: the script's
    assert "green_assist: job · " in done.stderr and "energy" in done.stderr
    (record,) = records(tmp_path)
    assert record.kind == "script" and record.mode == "script" and record.status == "ok"
    assert record.source == "job.py a --flops" and record.flops is None


def test_failing_script_keeps_its_exit_code_and_an_error_record(tmp_path):
    name = script(tmp_path, "raise SystemExit(3)\n")
    assert run(tmp_path, name).returncode == 3
    name = script(tmp_path, "raise KeyError('missing')\n")
    done = run(tmp_path, name)
    assert done.returncode == 1 and "KeyError: 'missing'" in done.stderr
    statuses = sorted((r.status, (r.error or {}).get("ename")) for r in records(tmp_path))
    assert statuses == [("error", "KeyError"), ("error", "SystemExit")]


def test_bad_report_format_is_refused_before_running(tmp_path):
    name = script(tmp_path, "open('ran', 'w').close()\n")
    done = run(tmp_path, "--report", "out.pdf", name)
    assert done.returncode == 2 and "cannot tell the report format" in done.stderr
    assert not (tmp_path / "ran").exists()
    assert run(tmp_path, "missing.py").returncode == 2


@pytest.mark.torch
@needs_torch[1]
def test_flops_and_report(tmp_path):
    name = script(
        tmp_path,
        """
        import torch
        from torch import nn
        import torch.nn.functional as F
        model = nn.Sequential(nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 1024),
                              nn.ReLU(), nn.Linear(1024, 10))
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        x, y = torch.randn(64, 784), torch.randint(0, 10, (64,))
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
        """,
    )
    done = run(tmp_path, "--flops", "--report", "run.json", name)
    assert done.returncode == 0, done.stderr
    (record,) = records(tmp_path)
    assert record.flops == 612_106_240
    report = json.loads((tmp_path / "run.json").read_text())
    assert report["session"]["cells"][0]["flops"] == 612_106_240


def test_start_up_is_reported_apart_from_the_scripts_own_window(tmp_path):
    name = script(
        tmp_path,
        """
        import time
        end = time.process_time() + 0.3
        while time.process_time() < end:
            pass
        """,
    )
    done = run(tmp_path, name)
    assert done.returncode == 0, done.stderr
    (record,) = records(tmp_path)
    startup = record.startup
    # The process started before the meter, which started before the script.
    assert startup["startup_s"] >= startup["unmetered_s"] >= 0
    assert startup["startup_s"] > 0
    # Energy with start-up covers the script's window and the metered start-up around it.
    assert startup["energy_with_startup_j"] >= record.energy_j > 0
    assert startup["startup_energy_j"] == pytest.approx(
        startup["energy_with_startup_j"] - record.energy_j
    )
    assert "before the script" in done.stderr and "energy with start-up" in done.stderr
