"""Merging the ranks of a distributed job: node-wide figures counted once per node.

The records are built with the real record type the way the sensors write them (a RAPL
package counter, an NVML device read by several ranks, an attributed share); the merge
and the report around it are the real code."""

from __future__ import annotations

import json

import jsonschema
import pytest

from green_assist.profiler.distributed import rank_identity
from green_assist.report import build_report, load_sessions, render, schema

from .records import INTENSITY, record, write_log

JOB = "3f2a-job"


def rank_record(rank: int, node: str, energy: dict, *, job: str = JOB, minute: int = 0, **kw):
    known = [e["joules"] for e in energy.values() if e.get("joules") is not None]
    joules = sum(known)
    return record(
        session_id=f"20250301T10{minute:02d}00Z-rank{rank}",
        started_at=f"2025-03-01T10:{minute:02d}:0{rank}+00:00",
        kind="script",
        mode="script",
        execution_count=None,
        joules=joules,
        energy=energy,
        duration_s=kw.pop("duration_s", 30.0),
        distributed={
            "job_id": job,
            "job_id_source": kw.pop("source", "torchelastic"),
            "rank": rank,
            "local_rank": rank % 2,
            "world_size": kw.pop("world_size", 4),
            "node": node,
        },
        source="train.py",
        **kw,
    )


def rapl(joules: float) -> dict:
    return {"joules": joules, "method": "counter", "reason": None, "detail": {}}


def estimate(joules: float) -> dict:
    return {"joules": joules, "method": "estimated", "reason": "no RAPL", "detail": {}}


def gpu(joules: float, uuid: str, share: float | None = None, *, attributed: bool = False):
    detail = {"device": "Test GPU", "uuid": uuid}
    if attributed:
        detail.update(device_joules=joules, share=share)
        return {"joules": joules * (share or 1), "method": "attributed", "detail": detail}
    return {"joules": joules, "method": "counter", "reason": None, "detail": detail}


def report_of(tmp_path, records):
    paths = [write_log(tmp_path / f"{r.session_id}.jsonl", [r]) for r in records]
    return build_report(load_sessions(paths), analyze_code=False)


def test_rapl_package_read_by_two_ranks_on_a_node_is_counted_once(tmp_path):
    records = [
        rank_record(0, "node-a", {"cpu": rapl(100.0)}),
        rank_record(1, "node-a", {"cpu": rapl(104.0)}),
        rank_record(2, "node-b", {"cpu": rapl(80.0)}),
        rank_record(3, "node-b", {"cpu": rapl(78.0)}),
    ]
    report = report_of(tmp_path, records)
    (job,) = report.jobs
    by_rank = {r.rank: r for r in job.ranks}
    # node-a: the package counted once (the larger reading), split equally.
    assert by_rank[0].record.energy_j == pytest.approx(52.0)
    assert by_rank[1].record.energy_j == pytest.approx(52.0)
    assert by_rank[2].record.energy_j == pytest.approx(40.0)
    assert job.energy_j == pytest.approx(184.0)  # not 362: no double counting
    assert report.totals.energy_j == pytest.approx(184.0)  # the report's totals agree
    assert by_rank[0].measured_energy_j == 100.0
    entry = by_rank[0].record.energy["cpu"]
    assert entry["method"] == "attributed"
    assert entry["detail"]["node_joules_counted_once"] == 104.0
    assert "counted once" in entry["reason"] and "equally" in entry["reason"]
    # CO2e follows the split energy at the record's own intensity.
    assert job.co2e_g == pytest.approx(184.0 / 3.6e6 * INTENSITY)
    nodes = {n["node"]: n for n in job.to_dict()["nodes"]}
    assert nodes["node-a"]["energy_j"] == pytest.approx(104.0)
    assert nodes["node-a"]["node_wide_devices"][0]["split"] == "equal"


def test_per_process_estimates_are_summed_as_they_are(tmp_path):
    records = [rank_record(r, "node-a", {"cpu": estimate(10.0 + r)}) for r in range(2)]
    (job,) = report_of(tmp_path, records).jobs
    assert job.energy_j == pytest.approx(21.0)
    assert [r.record.energy["cpu"]["method"] for r in job.ranks] == ["estimated"] * 2
    assert not job.node_devices


def test_shared_gpu_is_split_by_the_ranks_shares_and_unused_gpus_give_nothing(tmp_path):
    # Both ranks see both GPUs (NVML reads devices). Rank 0 runs on gpu:0, rank 1 on
    # gpu:1; each record holds the other device's whole energy, unattributed.
    records = [
        rank_record(
            0,
            "node-a",
            {"gpu:0": gpu(300.0, "GPU-0", 0.9, attributed=True), "gpu:1": gpu(200.0, "GPU-1")},
            world_size=2,
        ),
        rank_record(
            1,
            "node-a",
            {"gpu:0": gpu(310.0, "GPU-0"), "gpu:1": gpu(190.0, "GPU-1", 1.0, attributed=True)},
            world_size=2,
        ),
    ]
    (job,) = report_of(tmp_path, records).jobs
    by_rank = {r.rank: r.record for r in job.ranks}
    assert by_rank[0].energy["gpu:0"]["joules"] == pytest.approx(310.0 * 0.9)
    assert by_rank[0].energy["gpu:1"]["joules"] == 0.0  # not seen on it: not its energy
    assert by_rank[1].energy["gpu:1"]["joules"] == pytest.approx(200.0)
    assert by_rank[1].energy["gpu:0"]["joules"] == 0.0
    assert job.energy_j == pytest.approx(310.0 * 0.9 + 200.0)
    splits = {d.device: d.split for d in job.node_devices}
    assert splits == {"gpu:0 (Test GPU)": "share", "gpu:1 (Test GPU)": "share"}


def test_one_rank_per_node_keeps_its_counter_figures(tmp_path):
    records = [
        rank_record(0, "node-a", {"cpu": rapl(50.0)}, world_size=2),
        rank_record(1, "node-b", {"cpu": rapl(60.0)}, world_size=2),
    ]
    (job,) = report_of(tmp_path, records).jobs
    assert job.energy_j == pytest.approx(110.0)
    assert [r.record.energy["cpu"]["method"] for r in job.ranks] == ["counter", "counter"]


def test_missing_ranks_and_a_reused_master_address_are_reported(tmp_path):
    first = [
        rank_record(r, "n", {"cpu": estimate(5.0)}, job="127.0.0.1:29500", source="master")
        for r in range(2)
    ]
    later = [
        rank_record(
            r, "n", {"cpu": estimate(7.0)}, job="127.0.0.1:29500", source="master", minute=5
        )
        for r in range(2)
    ]
    report = report_of(tmp_path, first + later)
    assert [job.energy_j for job in report.jobs] == [pytest.approx(10.0), pytest.approx(14.0)]
    assert all(job.missing_ranks == [2, 3] for job in report.jobs)
    assert any("no record of rank(s) 2, 3 of 4" in w for w in report.warnings)
    assert any("2 distributed jobs" in w for w in report.warnings)


def test_json_report_carries_the_job_and_validates(tmp_path):
    records = [rank_record(r, "node-a", {"cpu": rapl(20.0 + r)}, world_size=2) for r in range(2)]
    document = json.loads(render(report_of(tmp_path, records), "json"))
    jsonschema.validate(document, schema())
    job = document["session"]["distributed"]
    assert job["job_id"] == JOB and job["world_size"] == 2
    assert [rank["rank"] for rank in job["ranks"]] == [0, 1]
    assert sum(rank["energy_j"] for rank in job["ranks"]) == pytest.approx(job["energy_j"])
    assert job["energy_j"] == pytest.approx(21.0)
    assert {"rank", "node", "energy_j", "duration_s", "devices"} <= set(job["ranks"][0])
    assert job["ranks"][0]["devices"][0]["node_wide"] is True


def test_html_report_has_per_rank_and_per_node_tables(tmp_path):
    records = [rank_record(r, f"node-{r}", {"cpu": estimate(3.0)}, world_size=2) for r in (0, 1)]
    html = render(report_of(tmp_path, records), "html")
    section = html[html.index('id="distributed"') :]
    assert "Per rank" in section and "Per node" in section
    assert "node-0" in section and "node-1" in section


def test_a_damaged_identity_is_not_a_rank(tmp_path):
    bad = rank_record(0, "n", {"cpu": estimate(1.0)})
    bad.distributed = {"job_id": 7, "rank": "zero"}
    report = report_of(tmp_path, [bad])
    assert report.jobs == []
    assert any("distributed" in w for w in report.warnings)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"RANK": "1", "LOCAL_RANK": "1", "WORLD_SIZE": "2", "TORCHELASTIC_RUN_ID": "abc"},
            ("abc", "torchelastic", 1, 1, 2),
        ),
        (
            {
                "RANK": "3",
                "WORLD_SIZE": "4",
                "TORCHELASTIC_RUN_ID": "none",
                "MASTER_ADDR": "10.0.0.1",
                "MASTER_PORT": "29500",
            },
            ("10.0.0.1:29500", "master", 3, None, 4),
        ),
        (
            {
                "SLURM_PROCID": "5",
                "SLURM_LOCALID": "1",
                "SLURM_NTASKS": "8",
                "SLURM_JOB_ID": "4242",
                "SLURM_STEP_ID": "0",
            },
            ("4242.0", "slurm", 5, 1, 8),
        ),
    ],
)
def test_rank_identity_from_the_launchers_environment(env, expected):
    identity = rank_identity(env, hostname="host-1")
    assert identity is not None
    got = (
        identity["job_id"],
        identity["job_id_source"],
        identity["rank"],
        identity["local_rank"],
        identity["world_size"],
    )
    assert got == expected
    assert identity["node"] == "host-1"


def test_no_rank_variables_means_not_a_rank():
    assert rank_identity({"SLURM_JOB_ID": "1"}, hostname="h") is None
    assert rank_identity({"RANK": "0"}, hostname="h") is None  # no job to belong to
    assert rank_identity({"SLURM_PROCID": "0", "SLURM_JOB_ID": "9", "SLURMD_NODENAME": "c1"})
