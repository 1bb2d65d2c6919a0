"""Merge the ranks of a distributed job into one job, counting node-wide figures once.

Each rank of ``torchrun ... green-assist run`` (or ``srun``) writes its own record with
``distributed = {job_id, rank, local_rank, world_size, node}``. Summing the ranks' energy
is right for per-process figures (the CPU-time estimate, a GPU share attributed to the
process) but counts a **node-wide** figure once per rank: every rank on a node reads the
same RAPL package counter, and every rank reads the whole energy of each GPU it sees
(NVML measures devices, not processes). So, per node and per device:

- the device's energy is counted **once**: the largest whole-device figure among the
  node's ranks (their windows cover the same job, so the largest is the closest to
  their union);
- it is **split by the ranks' shares**: a rank's ``share`` where the record has one (NVML
  per-process attribution), 0 for a rank whose process was not seen on a device others
  were seen on; without any share on the node, equally among the ranks that measured it.
  Shares summing past 1 (windows that differ a little) are scaled to 1.

A split figure is ``attributed`` (a measured device figure of which a share is given to
the rank), never better than the method it came from. A node with one rank keeps its
figures as they were. Records of a job are grouped by ``job_id``; a job id made of the
master address and port (torchrun without a run id) can be reused by a later job, so
such records are also split where their ranks do not overlap in time.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from ..methods import least_certain
from ..profiler.session_log import ProfileRecord
from ..profiler.totals import Totals, session_totals

# Components read from whole-node RAPL counters.
PACKAGE_COMPONENTS = ("cpu", "dram")
# Keys under which a record's detail keeps the whole device's energy before attribution.
WHOLE_DEVICE_KEYS = ("device_joules", "package_joules", "node_joules")


@dataclass
class RankShare:
    """One rank's part of one node-wide device."""

    rank: int
    joules: float
    share: float
    measured_joules: float


@dataclass
class NodeDevice:
    """A node-wide device (a CPU package, a GPU) as the job counts it: once."""

    node: str
    component: str
    device: str
    joules: float
    method: str | None
    split: str  # "share" | "equal"
    ranks: list[RankShare] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "component": self.component,
            "device": self.device,
            "joules": self.joules,
            "method": self.method,
            "split": self.split,
            "ranks": [
                {
                    "rank": r.rank,
                    "joules": r.joules,
                    "share": r.share,
                    "measured_joules": r.measured_joules,
                }
                for r in self.ranks
            ],
        }


@dataclass
class JobRank:
    """One rank's record after node-wide figures were counted once."""

    record: ProfileRecord
    measured_energy_j: float | None

    @property
    def identity(self) -> dict[str, Any]:
        return self.record.distributed or {}

    @property
    def rank(self) -> int:
        return int(self.identity["rank"])

    @property
    def node(self) -> str:
        return str(self.identity.get("node") or "")

    def devices(self) -> list[dict[str, Any]]:
        found = []
        for name, entry in self.record.energy.items():
            detail = _detail(entry)
            found.append(
                {
                    "component": name,
                    "device": _device_name(name, entry),
                    "joules": entry.get("joules"),
                    "method": entry.get("method"),
                    "node_wide": "node_joules_counted_once" in detail,
                }
            )
        return found

    def to_dict(self) -> dict[str, Any]:
        record = self.record
        return {
            "rank": self.rank,
            "local_rank": self.identity.get("local_rank"),
            "node": self.node,
            "session_id": record.session_id,
            "started_at": record.started_at,
            "status": record.status,
            "energy_j": record.energy_j,
            "energy_method": record.energy_method,
            "measured_energy_j": self.measured_energy_j,
            "co2e_g": record.co2e_g,
            "duration_s": record.duration_s,
            "devices": self.devices(),
        }


@dataclass
class DistributedJob:
    """The ranks of one job, with node-wide devices counted once per node."""

    job_id: str
    job_id_source: str | None
    world_size: int | None
    ranks: list[JobRank]
    node_devices: list[NodeDevice]
    warnings: list[str] = field(default_factory=list)

    @property
    def totals(self) -> Totals:
        """The job's totals: the ranks' records after node-wide figures were split."""
        return session_totals([r.record for r in self.ranks])

    @property
    def energy_j(self) -> float | None:
        return self.totals.energy_j

    @property
    def co2e_g(self) -> float | None:
        return self.totals.co2e_g

    @property
    def duration_s(self) -> float:
        """Wall time from the first rank's start to the last rank's end."""
        starts = [r.record.started for r in self.ranks]
        ends = [r.record.started + timedelta(seconds=r.record.duration_s) for r in self.ranks]
        return (max(ends) - min(starts)).total_seconds()

    @property
    def missing_ranks(self) -> list[int]:
        if not self.world_size:
            return []
        present = {r.rank for r in self.ranks}
        return [rank for rank in range(self.world_size) if rank not in present]

    def nodes(self) -> list[dict[str, Any]]:
        by_node: dict[str, list[JobRank]] = {}
        for rank in self.ranks:
            by_node.setdefault(rank.node, []).append(rank)
        result = []
        for node, ranks in sorted(by_node.items()):
            totals = session_totals([r.record for r in ranks])
            result.append(
                {
                    "node": node,
                    "ranks": sorted(r.rank for r in ranks),
                    "energy_j": totals.energy_j,
                    "co2e_g": totals.co2e_g,
                    "energy_method": totals.energy_method,
                    "node_wide_devices": [d.to_dict() for d in self.node_devices if d.node == node],
                }
            )
        return result

    def to_dict(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "job_id_source": self.job_id_source,
            "world_size": self.world_size,
            "ranks_found": len(self.ranks),
            "missing_ranks": self.missing_ranks,
            "energy_j": self.totals.energy_j,
            "energy_method": self.totals.energy_method,
            "co2e_g": self.totals.co2e_g,
            "duration_s": self.duration_s,
            "ranks": [rank.to_dict() for rank in self.ranks],
            "nodes": self.nodes(),
            "warnings": list(self.warnings),
        }


@dataclass
class MergedRecords:
    """Records with each job's node-wide figures counted once, and the jobs."""

    records: list[ProfileRecord]
    jobs: list[DistributedJob]
    warnings: list[str]


def is_rank_identity(value: Any) -> bool:
    """Whether a record's ``distributed`` field is usable (a job id and a rank)."""
    if not isinstance(value, dict):
        return False
    rank = value.get("rank")
    job = value.get("job_id")
    return isinstance(job, str) and bool(job) and isinstance(rank, int) and rank >= 0


def merge_jobs(records: list[ProfileRecord]) -> MergedRecords:
    """``records`` (in order) with node-wide figures of distributed jobs counted once."""
    groups = _group_jobs([r for r in records if is_rank_identity(r.distributed)])
    if not groups:
        return MergedRecords(list(records), [], [])
    replaced: dict[int, ProfileRecord] = {}
    jobs = []
    for members in groups:
        copies = [copy.deepcopy(record) for record in members]
        replaced.update((id(original), new) for original, new in zip(members, copies, strict=True))
        jobs.append(_merge_job(copies))
    warnings = [w for job in jobs for w in job.warnings]
    if len(jobs) > 1:
        names = ", ".join(job.job_id for job in jobs)
        warnings.append(f"{len(jobs)} distributed jobs in this report ({names})")
    merged = [replaced.get(id(record), record) for record in records]
    return MergedRecords(merged, jobs, warnings)


def _group_jobs(records: list[ProfileRecord]) -> list[list[ProfileRecord]]:
    """Records by job id; ids made of the master address are also split by time."""
    by_id: dict[str, list[ProfileRecord]] = {}
    for record in records:
        assert record.distributed is not None
        by_id.setdefault(str(record.distributed["job_id"]), []).append(record)
    groups: list[list[ProfileRecord]] = []
    for members in by_id.values():
        members.sort(key=lambda r: r.started_at)
        if (members[0].distributed or {}).get("job_id_source") != "master":
            groups.append(members)
            continue
        current: list[ProfileRecord] = []
        end = None
        for record in members:
            start = record.started
            if current and end is not None and start > end:
                groups.append(current)
                current, end = [], None
            current.append(record)
            finish = start + timedelta(seconds=record.duration_s or 0.0)
            end = finish if end is None else max(end, finish)
        groups.append(current)
    return groups


def _merge_job(copies: list[ProfileRecord]) -> DistributedJob:
    """Count the node-wide figures of one job's records once (the records are changed)."""
    first = copies[0].distributed or {}
    measured = [record.energy_j for record in copies]
    warnings: list[str] = []
    sizes = {(r.distributed or {}).get("world_size") for r in copies}
    known_sizes = sorted(size for size in sizes if isinstance(size, int))
    if len(known_sizes) > 1:
        warnings.append(f"job {first['job_id']}: ranks disagree on the world size {known_sizes}")
    world_size = known_sizes[-1] if known_sizes else None
    devices: list[NodeDevice] = []
    by_node: dict[str, list[ProfileRecord]] = {}
    for record in copies:
        node = str((record.distributed or {}).get("node") or "")
        by_node.setdefault(node, []).append(record)
    for node, on_node in by_node.items():
        devices.extend(_count_node_once(node, on_node))
    for record, before in zip(copies, measured, strict=True):
        if any("node_joules_counted_once" in _detail(e) for e in record.energy.values()):
            _retotal(record, before)
    ranks = [JobRank(record, before) for record, before in zip(copies, measured, strict=True)]
    ranks.sort(key=lambda r: (r.rank, r.record.started_at))
    job = DistributedJob(
        job_id=str(first["job_id"]),
        job_id_source=first.get("job_id_source"),
        world_size=world_size,
        ranks=ranks,
        node_devices=devices,
        warnings=warnings,
    )
    if job.missing_ranks:
        missing = ", ".join(str(rank) for rank in job.missing_ranks)
        job.warnings.append(
            f"job {job.job_id}: no record of rank(s) {missing} of {job.world_size}; "
            "the job's totals cover the ranks found"
        )
    return job


def _count_node_once(node: str, ranks: list[ProfileRecord]) -> list[NodeDevice]:
    """Count each node-wide device of ``node`` once and split it among ``ranks``."""
    seen: dict[tuple[str, str], list[tuple[ProfileRecord, float, float | None]]] = {}
    for record in ranks:
        for component, entry in record.energy.items():
            whole = _node_wide(component, entry)
            if whole is not None:
                key = (component, _device_key(component, _detail(entry)))
                seen.setdefault(key, []).append((record, whole[0], whole[1]))
    devices = []
    for (component, _key), readings in seen.items():
        if len(readings) < 2:
            continue  # one rank on this device: its figure is already its own
        name = _device_name(component, readings[0][0].energy[component])
        devices.append(_split(node, component, name, readings))
    return devices


def _split(
    node: str,
    component: str,
    device: str,
    readings: list[tuple[ProfileRecord, float, float | None]],
) -> NodeDevice:
    whole = max(joules for _, joules, _ in readings)
    shares = [share for _, _, share in readings]
    if any(share is not None for share in shares):
        weights = [share or 0.0 for share in shares]
        split = "share"
        total = sum(weights)
        if total > 1:
            weights = [w / total for w in weights]
    else:
        weights = [1.0 / len(readings)] * len(readings)
        split = "equal"
    methods = []
    result = NodeDevice(node, component, device, whole, None, split)
    for (record, measured_whole, _), weight in zip(readings, weights, strict=True):
        entry = record.energy[component]
        method = least_certain([entry.get("method"), "attributed"])
        methods.append(method)
        how = (
            "by the ranks' shares of the device"
            if split == "share"
            else "equally among them (their shares are unknown)"
        )
        detail = dict(_detail(entry))
        detail.update(
            node_joules_counted_once=whole,
            rank_share=weight,
            measured_joules=entry.get("joules"),
            measured_method=entry.get("method"),
        )
        record.energy[component] = {
            **entry,
            "joules": whole * weight,
            "method": method,
            "reason": (
                f"node-wide {_device_name(component, entry)}: {len(readings)} ranks on "
                f"{node} measured it; counted once ({whole:.4g} J) and split {how}"
            ),
            "detail": detail,
        }
        result.ranks.append(RankShare(_rank(record), whole * weight, weight, measured_whole))
    result.method = least_certain(methods)
    return result


def _node_wide(component: str, entry: Any) -> tuple[float, float | None] | None:
    """(whole-device joules, this rank's share or None) when ``entry`` is node-wide."""
    if not isinstance(entry, dict) or not _number(entry.get("joules")):
        return None
    detail = _detail(entry)
    share = detail.get("share") if _number(detail.get("share")) else None
    for key in WHOLE_DEVICE_KEYS:
        if _number(detail.get(key)):
            return float(detail[key]), share
    method = entry.get("method")
    if component in PACKAGE_COMPONENTS and method == "counter":
        return float(entry["joules"]), share  # a RAPL package or dram counter
    if component.startswith("gpu") and method in ("counter", "polled"):
        return float(entry["joules"]), None  # NVML reads the whole device
    if component.startswith("gpu") and "mig_instance" in detail:
        return float(entry["joules"]), None  # one MIG instance's share, seen by two ranks
    return None


def _device_key(component: str, detail: dict[str, Any]) -> str:
    return str(detail.get("mig_instance") or detail.get("uuid") or component)


def _device_name(component: str, entry: dict[str, Any]) -> str:
    name = _detail(entry).get("device")
    if name:
        return f"{component} ({name})"
    if component in PACKAGE_COMPONENTS and entry.get("method") == "counter":
        return "CPU package (RAPL)" if component == "cpu" else "DRAM (RAPL)"
    return component


def _retotal(record: ProfileRecord, measured: float | None) -> None:
    """Energy, method and CO2e of a record after some components were split."""
    known = [e for e in record.energy.values() if _number(e.get("joules"))]
    energy = sum(float(e["joules"]) for e in known) if known else None
    ratio = _co2e_per_joule(record, measured)
    record.energy_j = energy
    record.energy_method = least_certain(e.get("method") for e in known)
    record.co2e_g = energy * ratio if energy is not None and ratio is not None else None


def _co2e_per_joule(record: ProfileRecord, measured: float | None) -> float | None:
    """Grams of CO2e per joule this record used (its own intensity and PUE)."""
    if _number(record.co2e_g) and _number(measured) and measured:
        return float(record.co2e_g) / float(measured)  # type: ignore[arg-type]
    intensity, pue = record.carbon_intensity_g_per_kwh, record.pue
    if _number(intensity):
        return float(intensity) * (float(pue) if _number(pue) else 1.0) / 3.6e6  # type: ignore[arg-type]
    return None


def _rank(record: ProfileRecord) -> int:
    return int((record.distributed or {}).get("rank", -1))


def _detail(entry: Any) -> dict[str, Any]:
    detail = entry.get("detail") if isinstance(entry, dict) else None
    return detail if isinstance(detail, dict) else {}


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
