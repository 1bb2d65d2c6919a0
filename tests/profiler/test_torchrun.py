"""A real 2-rank torchrun job (DDP, gloo on CPU) under ``green-assist run``, merged by
``green-assist report``. The machine's RAPL package counter is a fake powercap tree that
a thread here advances while the job runs: both ranks read the same node-wide counter,
and the merged job must count it once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import jsonschema
import pytest

from green_assist.profiler.session_log import read_session_dir
from green_assist.report import schema, write_report

from .conftest import needs_torch

pytestmark = [pytest.mark.slow, *needs_torch]

BIN = Path(sys.executable).parent
TRAIN = """
    import torch
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel

    dist.init_process_group("gloo")
    torch.manual_seed(0)
    model = DistributedDataParallel(
        torch.nn.Sequential(torch.nn.Linear(32, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1))
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    torch.manual_seed(dist.get_rank())  # different data on each rank
    for _ in range(20):
        x, y = torch.randn(64, 32), torch.randn(64, 1)
        loss = torch.nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    # DDP averaged the gradients: every rank ends with the same weights.
    mine = torch.cat([p.detach().flatten() for p in model.parameters()])
    everyone = [torch.zeros_like(mine) for _ in range(dist.get_world_size())]
    dist.all_gather(everyone, mine)
    assert all(torch.equal(everyone[0], other) for other in everyone)
    print(f"rank {dist.get_rank()} trained\\n", end="", flush=True)  # one write per rank
    dist.destroy_process_group()
"""
PACKAGE_WATTS = 50.0


class TickingPackage:
    """A fake RAPL package whose counter advances at PACKAGE_WATTS in real time."""

    def __init__(self, root: Path) -> None:
        self.zone = root / "intel-rapl:0"
        self.zone.mkdir(parents=True)
        (self.zone / "name").write_text("package-0\n")
        (self.zone / "max_energy_range_uj").write_text("262143328850\n")
        self.uj = 1_000_000
        self._write()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _write(self) -> None:
        temp = self.zone / "energy_uj.tmp"
        temp.write_text(f"{self.uj}\n")
        os.replace(temp, self.zone / "energy_uj")  # readers never see a half-written file

    def _run(self) -> None:
        while not self._stop.wait(0.01):
            self.uj += int(PACKAGE_WATTS * 0.01 * 1e6)
            self._write()

    def __enter__(self) -> TickingPackage:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@pytest.mark.skipif(shutil.which("torchrun", path=str(BIN)) is None, reason="needs torchrun")
def test_two_rank_torchrun_job_is_merged_without_double_counting(tmp_path):
    (tmp_path / "train.py").write_text(textwrap.dedent(TRAIN))
    logs = tmp_path / "logs"
    # A quiet machine (its CPU times never move), so each rank reads the whole package
    # as if alone and the merge must count it once; attribution by CPU share on a busy
    # machine is tested in tests/sensors/test_rapl.py.
    (tmp_path / "stat").write_text("cpu  1000 0 1000 100000 0 0 0 0 0 0\n")
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "GREEN_ASSIST_SESSION_DIR": str(logs),
        "GREEN_ASSIST_POWERCAP_ROOT": str(tmp_path / "powercap"),
        "GREEN_ASSIST_PROC_STAT": str(tmp_path / "stat"),
        "OMP_NUM_THREADS": "1",
    }
    # --standalone: a free port and a fresh run id (other jobs may share this machine).
    command = [str(BIN / "torchrun"), "--standalone", "--nproc-per-node", "2", "--no-python"]
    with TickingPackage(tmp_path / "powercap"):
        done = subprocess.run(
            [*command, "green-assist", "run", "train.py"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "rank 0 trained" in done.stdout and "rank 1 trained" in done.stdout

    records = [r for log in read_session_dir(logs) for r in log.records]
    assert len(records) == 2  # one log per rank
    identities = sorted((r.distributed or {}).get("rank") for r in records)
    assert identities == [0, 1]
    job_ids = {r.distributed["job_id"] for r in records if r.distributed}
    assert len(job_ids) == 1
    for record in records:
        assert record.distributed["world_size"] == 2
        assert record.distributed["local_rank"] == record.distributed["rank"]
        assert record.distributed["job_id_source"] == "torchelastic"
        # Each rank read the whole package counter (and may have taken its own share).
        assert record.energy["cpu"]["method"] in ("counter", "attributed")
    cpu = [r.energy["cpu"] for r in records]
    package = [e["detail"].get("package_joules", e["joules"]) for e in cpu]
    shares = [e["detail"].get("share") for e in cpu]

    report_path = tmp_path / "job.json"
    made = subprocess.run(
        [str(BIN / "green-assist"), "report", str(logs), "-o", str(report_path), "--no-findings"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    document = json.loads(report_path.read_text())
    jsonschema.validate(document, schema())
    job = document["session"]["distributed"]
    assert job["job_id"] == job_ids.pop() and job["world_size"] == 2
    assert [rank["rank"] for rank in job["ranks"]] == [0, 1]
    # The job total is the sum of its ranks, and equals the report's total.
    assert job["energy_j"] == pytest.approx(sum(rank["energy_j"] for rank in job["ranks"]))
    assert document["session"]["totals"]["energy_j"] == pytest.approx(job["energy_j"])
    # The node-wide package is counted once (the larger of the two readings), not twice,
    # and split by the ranks' shares of it (equally when they have none).
    (device,) = job["nodes"][0]["node_wide_devices"]
    assert device["component"] == "cpu"
    assert device["joules"] == pytest.approx(max(package))
    split = min(1.0, sum(s or 0.0 for s in shares)) if any(shares) else 1.0
    job_cpu = sum(
        d["joules"] for rank in job["ranks"] for d in rank["devices"] if d["component"] == "cpu"
    )
    assert job_cpu == pytest.approx(max(package) * split)
    assert job_cpu < 0.6 * sum(package)
    # The package ran at PACKAGE_WATTS over the ranks' time (a loaded machine: loose bounds).
    longest = max(r.duration_s for r in records)
    assert 0.3 * PACKAGE_WATTS * longest < max(package) < 1.2 * PACKAGE_WATTS * longest

    write_report([logs], tmp_path / "job.html")  # what the CLI does for -o job.html
    page = (tmp_path / "job.html").read_text()
    assert "Per rank" in page and "Per node" in page
