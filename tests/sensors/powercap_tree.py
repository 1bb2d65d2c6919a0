"""A fake /sys/class/powercap tree in a temp folder (pointed at by GREEN_ASSIST_POWERCAP_ROOT)."""

from __future__ import annotations

from pathlib import Path

MAX_RANGE_UJ = 262_143_328_850  # a real max_energy_range_uj of an Intel package


class PowercapTree:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def zone(self, directory: str, name: str, energy_uj: int, max_range: int = MAX_RANGE_UJ):
        zone = self.root / directory
        zone.mkdir()
        (zone / "name").write_text(name + "\n")
        (zone / "energy_uj").write_text(f"{energy_uj}\n")
        (zone / "max_energy_range_uj").write_text(f"{max_range}\n")
        return zone

    def set(self, directory: str, energy_uj: int) -> None:
        (self.root / directory / "energy_uj").write_text(f"{energy_uj}\n")

    def intel_server(self) -> PowercapTree:
        """Two packages with core/uncore/dram sub-zones, psys, and the MMIO duplicate."""
        (self.root / "intel-rapl").mkdir()  # the control type: no counter of its own
        (self.root / "intel-rapl" / "enabled").write_text("1\n")
        self.zone("intel-rapl:0", "package-0", 1_000_000)
        self.zone("intel-rapl:0:0", "core", 400_000)
        self.zone("intel-rapl:0:1", "uncore", 100_000)
        self.zone("intel-rapl:0:2", "dram", 300_000)
        self.zone("intel-rapl:1", "package-1", MAX_RANGE_UJ - 1_000)  # about to wrap
        self.zone("intel-rapl:1:0", "dram", 50_000)
        self.zone("intel-rapl:2", "psys", 9_000_000)
        self.zone("intel-rapl-mmio:0", "package-0", 1_000_000)
        return self


class ProcStat:
    """A fake /proc/stat (pointed at by GREEN_ASSIST_PROC_STAT): the machine's CPU times,
    advanced by the test. Busy time is user + system; ticks are 1/100 s."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.busy_ticks = 1_000_000
        self.idle_ticks = 5_000_000
        self._write()

    def add_busy(self, seconds: float) -> None:
        self.busy_ticks += round(seconds * 100)
        self._write()

    def _write(self) -> None:
        user, system = self.busy_ticks * 3 // 4, self.busy_ticks - self.busy_ticks * 3 // 4
        self.path.write_text(
            f"cpu  {user} 0 {system} {self.idle_ticks} 0 0 0 0 0 0\n"
            f"cpu0 {user} 0 {system} {self.idle_ticks} 0 0 0 0 0 0\n"
        )
