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

from .backend import Backend, Reading, Readings
from .types import ComponentEnergy, Method

POWERCAP_ENV = "GREEN_ASSIST_POWERCAP_ROOT"
DEFAULT_POWERCAP_ROOT = "/sys/class/powercap"
# Preferred zone families first: the MMIO interface duplicates the MSR packages.
_FAMILIES = ("intel-rapl", "amd-rapl", "intel-rapl-mmio")
_ZONE = re.compile(r"^(?P<family>[a-z-]+):(?P<index>\d+)(?::(?P<sub>\d+))?$")


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

    def __init__(self, scan: RaplScan, now: float) -> None:
        super().__init__()
        self.scan = scan
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
                aux={"energy_uj": total},
                detail={
                    "source": "RAPL energy counters (powercap)",
                    "domains": [f"{d.zone} ({d.name})" for d in domains],
                    "root": str(self.scan.root),
                },
            )
        return readings

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
            # Subtract integer microjoules, then convert once: exact for exact counters.
            if energy.joules is not None and name in start:
                energy.joules = (stop[name].aux["energy_uj"] - start[name].aux["energy_uj"]) / 1e6
        return result

    def nominal(self) -> dict[str, tuple[Method | None, str | None]]:
        return {
            c: (None, self._failed[c]) if c in self._failed else (Method.COUNTER, None)
            for c in self._domains
        }

    def describe(self) -> dict[str, Any]:
        return {
            "backend": self.name,
            "components": self.components(),
            "method": Method.COUNTER.value,
            "scan": self.scan.to_dict(),
            "failed": dict(self._failed),
        }
