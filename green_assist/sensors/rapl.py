"""CPU package and DRAM energy from RAPL counters under powercap (method ``counter``).

The powercap root is ``/sys/class/powercap``, or ``GREEN_ASSIST_POWERCAP_ROOT`` (a
container that mounts the host's sysfs elsewhere; tests point it at a fake tree). It
lists zones such as ``intel-rapl:0`` (name ``package-0``), ``intel-rapl:0:0`` (``core``),
``intel-rapl:0:2`` (``dram``) and ``intel-rapl:1`` (``psys``).

- ``cpu`` is the sum of the top-level ``package-N`` zones. ``core`` and ``uncore`` are
  parts of a package and ``psys`` covers the whole platform, so none is added on top.
- ``dram`` is the sum of the ``dram`` zones.
- ``energy_uj`` wraps to 0 after ``max_energy_range_uj``; a decrease between two reads
  is counted as ``max_energy_range_uj - previous + current``. The meter's sampler reads
  the counters every 0.1 s, far more often than they can wrap (minutes at full power).
- The counters cover every process on the sockets. A window's package and DRAM energy
  is therefore **attributed** to this process tree by its share of the machine's busy
  CPU time over the window (``/proc/stat``; method ``attributed``, the whole-package
  figure and the share in the detail), as NVML energy is on a shared GPU. Only when the
  process is effectively alone (other processes used at most 5% of its CPU time, or
  of one core over the window) is the whole reading its own (method ``counter``).
  CPU time is counted in 10 ms ticks, so a window with less than 0.5 CPU-seconds of
  busy time on the machine takes its share from the sampler's readings over the last
  few seconds (``share_window_s`` in the detail).
- Since Linux 5.10, ``energy_uj`` is readable by root only. Permission denied is
  reported with the fix; the component then falls back to the labelled estimate, whose
  reason carries the same message. A counter that fails mid-run makes the component
  ``None`` with the reason from then on; no number is invented.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..methods import Method
from .backend import Backend, Reading, Readings
from .cpu import ProcessCpuTime, machine_cpu_seconds
from .types import ComponentEnergy, PowerReading

POWERCAP_ENV = "GREEN_ASSIST_POWERCAP_ROOT"
DEFAULT_POWERCAP_ROOT = "/sys/class/powercap"
# Preferred zone families first: the MMIO interface duplicates the MSR packages.
_FAMILIES = ("intel-rapl", "amd-rapl", "intel-rapl-mmio")
_ZONE = re.compile(r"^(?P<family>[a-z-]+):(?P<index>\d+)(?::(?P<sub>\d+))?$")
# Others' CPU time, as a share of ours (or of one core over the window), below which the
# process is effectively alone on the machine and keeps the whole reading.
ALONE_FRACTION = 0.05
# Busy CPU-seconds a share needs to be measured (/proc/stat counts 10 ms ticks), and how
# far back the sampler's readings may be used to reach it.
MIN_SHARE_CPU_S = 0.5
MAX_SHARE_LOOKBACK_S = 5.0


def permission_fix(root: Path, family: str = "intel-rapl") -> str:
    """How to make RAPL counters readable by this user."""
    return (
        f"until reboot: sudo chmod o+r {root}/{family}:*/energy_uj ; permanently: a udev "
        f'rule ACTION=="add", SUBSYSTEM=="powercap", RUN+="/bin/chmod o+r /sys%p/energy_uj" '
        f"in /etc/udev/rules.d/99-powercap.rules (or run with access to the counters)"
    )


def permission_problem(path: Path) -> str:
    """The reason shown when a RAPL counter cannot be read for lack of permission."""
    family = path.parent.name.split(":", 1)[0]
    return (
        f"permission denied reading {path}: Linux (5.10+) lets only root read RAPL energy "
        f"counters. Fix {permission_fix(path.parent.parent, family)}"
    )


@dataclass
class Domain:
    """One RAPL zone we read: a package or a dram domain."""

    zone: str
    name: str
    component: str  # "cpu" or "dram"
    energy_path: Path
    max_range_uj: int


@dataclass
class RaplScan:
    """What the powercap root offers and what stands in the way of reading it."""

    root: Path
    domains: list[Domain] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)  # component -> why unusable

    def usable(self, component: str) -> list[Domain]:
        if component in self.problems:
            return []
        return [d for d in self.domains if d.component == component]

    def to_dict(self) -> dict[str, Any]:
        return {
            "root": str(self.root),
            "domains": [_domain_dict(d) for d in self.domains],
            "skipped": list(self.skipped),
            "problems": dict(self.problems),
        }


def _domain_dict(domain: Domain) -> dict[str, Any]:
    return {
        "zone": domain.zone,
        "name": domain.name,
        "component": domain.component,
        "max_energy_range_uj": domain.max_range_uj,
    }


def powercap_root(env: Mapping[str, str]) -> Path:
    return Path(env.get(POWERCAP_ENV) or DEFAULT_POWERCAP_ROOT)


def read_counter(path: Path) -> int:
    """One integer sysfs value (``energy_uj``, ``max_energy_range_uj``)."""
    with open(path, encoding="ascii") as fh:
        return int(fh.read().strip())


def scan_powercap(root: Path) -> RaplScan:
    """Find package and dram domains under ``root`` and try reading each once."""
    scan = RaplScan(root)
    if not root.is_dir():
        reason = f"no powercap directory at {root} (no RAPL on this machine or in this container)"
        scan.problems = {"cpu": reason, "dram": reason}
        return scan
    zones = _zones_by_family(root)
    family = next((f for f in _FAMILIES if zones.get(f)), None)
    if family is None:
        reason = f"no RAPL zones (intel-rapl:*) under {root}"
        scan.problems = {"cpu": reason, "dram": reason}
        return scan
    for other in _FAMILIES:
        if other != family and zones.get(other):
            scan.skipped.append(f"{other}:* (duplicates {family}:*)")
    for zone_dir, is_top in zones[family]:
        name = _read_name(zone_dir)
        if is_top and name.startswith("package"):
            component = "cpu"
        elif name == "dram":
            component = "dram"
        else:
            scan.skipped.append(f"{zone_dir.name} ({name}): {_why_skipped(name)}")
            continue
        domain = _probe(zone_dir, name, component, scan)
        if domain is not None:
            scan.domains.append(domain)
    if not any(d.component == "cpu" for d in scan.domains):
        scan.problems.setdefault("cpu", f"no RAPL package zone under {root}")
    if not any(d.component == "dram" for d in scan.domains):
        scan.problems.setdefault("dram", f"no RAPL dram zone under {root} (common on AMD)")
    return scan


def _zones_by_family(root: Path) -> dict[str, list[tuple[Path, bool]]]:
    found: dict[str, list[tuple[int, int, Path, bool]]] = {}
    for entry in os.scandir(root):
        match = _ZONE.match(entry.name)
        if match is None:
            continue
        sub = match.group("sub")
        key = (int(match.group("index")), int(sub) if sub is not None else -1)
        found.setdefault(match.group("family"), []).append((*key, Path(entry.path), sub is None))
    return {fam: [(p, top) for _, _, p, top in sorted(rows)] for fam, rows in found.items()}


def _read_name(zone_dir: Path) -> str:
    try:
        return (zone_dir / "name").read_text().strip()
    except OSError:
        return "?"


def _why_skipped(name: str) -> str:
    if name in ("core", "uncore"):
        return "part of its package, not added on top"
    if name == "psys":
        return "whole platform, would double count the packages"
    return "not a package or dram domain"


def _probe(zone_dir: Path, name: str, component: str, scan: RaplScan) -> Domain | None:
    energy = zone_dir / "energy_uj"
    try:
        read_counter(energy)
        max_range = read_counter(zone_dir / "max_energy_range_uj")
    except PermissionError as err:
        path = Path(err.filename) if err.filename else energy
        scan.problems.setdefault(component, permission_problem(path))
        return None
    except (OSError, ValueError) as err:
        scan.problems.setdefault(component, f"cannot read {zone_dir.name} ({name}): {err}")
        return None
    return Domain(zone_dir.name, name, component, energy, max_range)


class RaplBackend(Backend):
    """Cumulative RAPL energy for ``cpu`` (packages summed) and ``dram``."""

    name = "rapl"

    def __init__(
        self,
        scan: RaplScan,
        now: float,
        *,
        proc_stat: Path = Path("/proc/stat"),
        cpu_time: ProcessCpuTime | None = None,
    ) -> None:
        super().__init__()
        self.scan = scan
        self.proc_stat = proc_stat
        self._cpu_time = cpu_time or ProcessCpuTime()
        self._domains = {c: scan.usable(c) for c in ("cpu", "dram") if scan.usable(c)}
        self._last: dict[str, int] = {}
        self._total_uj: dict[str, int] = {}
        self._failed: dict[str, str] = {}
        for domains in self._domains.values():
            for domain in domains:
                self._last[domain.zone] = read_counter(domain.energy_path)
                self._total_uj[domain.zone] = 0

    def components(self) -> list[str]:
        return list(self._domains)

    def _read(self, now: float, exact: bool) -> Readings:
        readings: Readings = {}
        cpu_times = self._cpu_times(exact)
        for component, domains in self._domains.items():
            if component not in self._failed:
                self._advance(component, domains)
            if component in self._failed:
                readings[component] = Reading(None, None, self._failed[component])
                continue
            total = sum(self._total_uj[d.zone] for d in domains)
            readings[component] = Reading(
                joules=total / 1e6,
                method=Method.COUNTER,
                aux={"energy_uj": total, **cpu_times},
                detail={
                    "source": "RAPL energy counters (powercap)",
                    "domains": [f"{d.zone} ({d.name})" for d in domains],
                    "root": str(self.scan.root),
                },
            )
        return readings

    def _cpu_times(self, exact: bool) -> dict[str, float]:
        """This process tree's and the machine's busy CPU-seconds (cumulative)."""
        machine = machine_cpu_seconds(self.proc_stat)
        if machine is None:
            return {}
        return {"own_cpu_s": self._cpu_time.seconds(scan_children=exact), "machine_cpu_s": machine}

    def _advance(self, component: str, domains: list[Domain]) -> None:
        for domain in domains:
            try:
                value = read_counter(domain.energy_path)
            except PermissionError:
                self._failed[component] = permission_problem(domain.energy_path)
                return
            except (OSError, ValueError) as err:
                self._failed[component] = f"RAPL counter {domain.zone} failed mid-run: {err}"
                return
            previous = self._last[domain.zone]
            if value >= previous:
                delta = value - previous
            else:  # wrapped around
                delta = domain.max_range_uj - previous + value
            self._last[domain.zone] = value
            self._total_uj[domain.zone] += delta

    def window_energy(
        self, start: Readings, stop: Readings, duration_s: float
    ) -> dict[str, ComponentEnergy]:
        result = super().window_energy(start, stop, duration_s)
        for name, energy in result.items():
            if energy.joules is None or name not in start:
                continue
            # Subtract integer microjoules, then convert once: exact for exact counters.
            energy.joules = (stop[name].aux["energy_uj"] - start[name].aux["energy_uj"]) / 1e6
            for key in ("energy_uj", "own_cpu_s", "machine_cpu_s"):
                energy.detail.pop(key, None)
            _attribute(energy, self._share(start[name], stop[name], duration_s))
        return result

    def _share(self, start: Reading, stop: Reading, duration_s: float) -> _Share | None:
        """This process tree's share of the machine's busy CPU time between two readings;
        a short window reaches back over the sampler's recent readings."""
        if "machine_cpu_s" not in stop.aux or "machine_cpu_s" not in start.aux:
            return None
        first, span = start, duration_s
        if stop.aux["machine_cpu_s"] - start.aux["machine_cpu_s"] < MIN_SHARE_CPU_S:
            earlier = self._earlier_reading(stop, duration_s)
            if earlier is not None:
                first, span = earlier
        own = max(0.0, stop.aux["own_cpu_s"] - first.aux["own_cpu_s"])
        machine = max(own, stop.aux["machine_cpu_s"] - first.aux["machine_cpu_s"])
        return _Share(own, machine, span, extended=first is not start)

    def _earlier_reading(self, stop: Reading, duration_s: float) -> tuple[Reading, float] | None:
        """A sampler reading before the window, within the look-back, from which the
        machine's busy time reaches ``MIN_SHARE_CPU_S`` (the latest such, else the
        earliest there is), and its distance from ``stop`` in seconds."""
        with self._lock:
            history = list(self._recent)
        if not history or not any(r is stop for r in history[-1][1].values()):
            return None
        t_stop = history[-1][0]
        found: tuple[Reading, float] | None = None
        for t, readings in history:
            reading = next(iter(readings.values()), None)
            if reading is None or "machine_cpu_s" not in reading.aux:
                continue
            if not t_stop - MAX_SHARE_LOOKBACK_S <= t < t_stop - duration_s:
                continue
            busy = stop.aux["machine_cpu_s"] - reading.aux["machine_cpu_s"]
            if found is None or busy >= MIN_SHARE_CPU_S:
                found = (reading, t_stop - t)
        return found

    def power(self, now: float, since: float | None = None) -> dict[str, PowerReading]:
        """Recent package and DRAM power, attributed like the energy."""
        result = super().power(now, since)
        history = self._history(since)
        if len(history) < 2:
            return result
        for name, reading in result.items():
            points = [r[name] for _, r in history if name in r and r[name].joules is not None]
            if reading.watts is None or len(points) < 2:
                continue
            t_last = history[-1][0]
            base = next(
                (r for t, r in history if t >= t_last - self.power_horizon_s and name in r),
                history[0][1],
            )
            share = self._share(base[name], points[-1], self.power_horizon_s)
            if share is not None and not share.alone:
                result[name] = PowerReading(
                    name, reading.watts * share.share, Method.ATTRIBUTED, share.reason
                )
        return result

    def nominal(self) -> dict[str, tuple[Method | None, str | None]]:
        caveat = (
            "whole-package counter, attributed to this process by its share of the machine's "
            "CPU time unless it runs alone"
        )
        return {
            c: (None, self._failed[c]) if c in self._failed else (Method.COUNTER, caveat)
            for c in self._domains
        }

    def describe(self) -> dict[str, Any]:
        return {
            "backend": self.name,
            "components": self.components(),
            "method": Method.COUNTER.value,
            "attribution": (
                f"by this process tree's share of the machine's busy CPU time "
                f"({self.proc_stat}); 'counter' only when other processes use at most "
                f"{ALONE_FRACTION:.0%} of it"
            ),
            "scan": self.scan.to_dict(),
            "failed": dict(self._failed),
        }


@dataclass(frozen=True)
class _Share:
    """This process tree's part of the machine's busy CPU time over a span."""

    own_cpu_s: float
    machine_cpu_s: float
    span_s: float
    extended: bool

    @property
    def share(self) -> float:
        return self.own_cpu_s / self.machine_cpu_s if self.machine_cpu_s > 0 else 1.0

    @property
    def alone(self) -> bool:
        others = self.machine_cpu_s - self.own_cpu_s
        return others <= ALONE_FRACTION * max(self.own_cpu_s, self.span_s)

    @property
    def reason(self) -> str:
        return (
            f"shared machine: {self.share:.0%} of the CPU package energy attributed to this "
            f"process tree (its share of the machine's busy CPU time)"
        )


def _attribute(energy: ComponentEnergy, share: _Share | None) -> None:
    """Keep the whole reading (alone, or no CPU times) or give this process its share."""
    if share is None:
        energy.detail["attribution"] = "none: the machine's CPU times are unreadable"
        return
    energy.detail.update(
        own_cpu_s=share.own_cpu_s,
        machine_cpu_s=share.machine_cpu_s,
        share=share.share,
    )
    if share.extended:
        energy.detail["share_window_s"] = share.span_s
    if share.alone:
        energy.detail["attribution"] = "none: this process tree was effectively alone"
        return
    energy.detail["package_joules"] = energy.joules
    energy.detail["share_basis"] = "this process tree's share of the machine's busy CPU time"
    energy.joules = (energy.joules or 0.0) * share.share
    energy.method = Method.ATTRIBUTED
    energy.reason = share.reason
