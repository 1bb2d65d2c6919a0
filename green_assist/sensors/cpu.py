"""Facts about the CPU this process runs on, and the CPU time it uses.

- ``cpu_model()``: the marketing name (``/proc/cpuinfo``), used to look up a TDP.
- ``logical_cpus_per_package()``: hardware threads that share one package's TDP.
- ``cpu_limit()``: the cores this process may use: its affinity mask and its cgroup CPU
  quota (``cpu.max`` in cgroup v2, ``cpu.cfs_quota_us`` in v1), whichever is smaller.
  A container limited to 2 CPUs on a 64-core host has 2 cores available, not 64.
- ``ProcessCpuTime``: CPU-seconds of this process and its children (DataLoader workers).
- ``machine_cpu_seconds()``: busy CPU-seconds of the whole machine (every process), to
  attribute machine-wide counters (RAPL) by this process tree's share.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import psutil


def cpu_model(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    """The CPU's marketing name where the OS tells it, else what ``platform`` says."""
    try:
        with open(cpuinfo, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def logical_cpus_per_package(cpuinfo: Path = Path("/proc/cpuinfo")) -> int | None:
    """``siblings`` of /proc/cpuinfo: hardware threads per package, as this OS sees it
    (in a VM: the guest's virtual topology, not the host CPU's)."""
    try:
        with open(cpuinfo, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("siblings"):
                    return int(line.split(":", 1)[1])
    except (OSError, ValueError):
        pass
    return None


def affinity_cpus() -> int:
    """CPUs this process may be scheduled on (its affinity mask), not the host's total."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


@dataclass(frozen=True)
class CpuLimit:
    """The cores available to this process and where that number comes from."""

    cores: float
    affinity: int
    quota_cores: float | None
    source: str

    def to_dict(self) -> dict[str, object]:
        return {
            "cores_available": self.cores,
            "affinity_cpus": self.affinity,
            "cgroup_quota_cores": self.quota_cores,
            "source": self.source,
        }


def cpu_limit(proc_self: Path = Path("/proc/self"), fs_root: Path = Path("/")) -> CpuLimit:
    """Cores available: the smaller of the affinity mask and the cgroup CPU quota.

    ``proc_self`` and ``fs_root`` exist for tests (a fake /proc/self and a fake tree that
    holds the cgroup mounts); the defaults read the real system.
    """
    affinity = affinity_cpus()
    quota, where = cgroup_cpu_quota(proc_self, fs_root)
    if quota is None:
        return CpuLimit(float(affinity), affinity, None, f"affinity mask ({where})")
    cores = min(float(affinity), quota)
    source = "cgroup CPU quota" if quota < affinity else "affinity mask (quota is larger)"
    return CpuLimit(cores, affinity, quota, f"{source}; {where}")


def cgroup_cpu_quota(
    proc_self: Path = Path("/proc/self"), fs_root: Path = Path("/")
) -> tuple[float | None, str]:
    """The tightest CPU quota (in cores) on this process's cgroup and its ancestors.

    Returns (None, why) when there is no limit or no cgroup information.
    """
    try:
        cgroups = (proc_self / "cgroup").read_text()
        mountinfo = (proc_self / "mountinfo").read_text()
    except OSError as err:
        return None, f"no cgroup information ({err.strerror})"
    mounts = _cgroup_mounts(mountinfo)
    for line in cgroups.splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        _, controllers, path = parts
        if controllers == "" and "cgroup2" in mounts:
            root, mount_point = mounts["cgroup2"]
            return _walk_quota(fs_root, mount_point, root, path, _read_cpu_max, "cgroup v2")
        if "cpu" in controllers.split(",") and "cpu" in mounts:
            root, mount_point = mounts["cpu"]
            return _walk_quota(fs_root, mount_point, root, path, _read_cfs_quota, "cgroup v1")
    return None, "no cgroup CPU controller found"


def _cgroup_mounts(mountinfo: str) -> dict[str, tuple[str, str]]:
    """{"cgroup2" or a v1 controller name: (cgroup root mounted, mount point)}."""
    mounts: dict[str, tuple[str, str]] = {}
    for line in mountinfo.splitlines():
        left, sep, right = line.partition(" - ")
        if not sep:
            continue
        fields, rfields = left.split(), right.split()
        if len(fields) < 5 or len(rfields) < 3:
            continue
        root, mount_point, fstype, options = fields[3], fields[4], rfields[0], rfields[2]
        if fstype == "cgroup2":
            mounts.setdefault("cgroup2", (root, mount_point))
        elif fstype == "cgroup":
            for option in options.split(","):
                mounts.setdefault(option, (root, mount_point))
    return mounts


def _walk_quota(
    fs_root: Path,
    mount_point: str,
    mount_root: str,
    cgroup_path: str,
    reader: Callable[[Path], float | None],
    label: str,
) -> tuple[float | None, str]:
    # Inside a container the cgroup path may name the host's hierarchy while the mount
    # shows only the container's subtree; then the mount point itself is our cgroup.
    rel = cgroup_path
    if mount_root != "/" and rel.startswith(mount_root):
        rel = rel[len(mount_root) :]
    base = fs_root / mount_point.lstrip("/")
    here = base / rel.lstrip("/")
    if not here.is_dir():
        here = base
    best: float | None = None
    found_at = ""
    while True:
        quota = reader(here)
        if quota is not None and (best is None or quota < best):
            best, found_at = quota, str(here)
        if here == base or base not in here.parents:
            break
        here = here.parent
    if best is None:
        return None, f"{label}: no CPU quota set"
    return best, f"{label} quota {best:g} cores at {found_at}"


def _read_cpu_max(directory: Path) -> float | None:
    try:
        quota, period = (directory / "cpu.max").read_text().split()[:2]
    except (OSError, ValueError):
        return None
    if quota == "max":
        return None
    return _ratio(quota, period)


def _read_cfs_quota(directory: Path) -> float | None:
    try:
        quota = (directory / "cpu.cfs_quota_us").read_text().strip()
        period = (directory / "cpu.cfs_period_us").read_text().strip()
    except OSError:
        return None
    if quota.startswith("-"):
        return None
    return _ratio(quota, period)


def _ratio(quota: str, period: str) -> float | None:
    try:
        q, p = int(quota), int(period)
    except ValueError:
        return None
    return q / p if q > 0 and p > 0 else None


class ProcessCpuTime:
    """CPU-seconds (user + system) of this process, its reaped children and its live
    descendants.

    Live descendants (DataLoader workers, subprocesses) are found through
    ``/proc/<pid>/task/<tid>/children`` (~0.2 ms), or where the kernel lacks that file
    by psutil's scan of all of /proc (~3 ms with 100 processes, more on a busy host).
    Cheap reads reuse the last scan; exact reads rescan.
    """

    def __init__(self) -> None:
        self._process = psutil.Process()
        self._live_children = 0.0

    def seconds(self, scan_children: bool = True) -> float:
        if scan_children:
            self._live_children = self._scan_children()
        t = os.times()
        own = t.user + t.system + t.children_user + t.children_system
        return own + self._live_children

    def _scan_children(self) -> float:
        found = descendants_cpu_seconds(self._process.pid)
        if found is not None:
            return found
        total = 0.0
        try:
            children = self._process.children(recursive=True)
        except psutil.Error:
            return self._live_children
        for child in children:
            try:
                times = child.cpu_times()
            except psutil.Error:  # gone between listing and reading, or not ours to read
                continue
            total += times.user + times.system
        return total


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def descendants_cpu_seconds(pid: int, proc: Path = Path("/proc")) -> float | None:
    """User + system CPU-seconds of the live descendants of ``pid``, from each thread's
    ``children`` list; None where the kernel has no such list (CONFIG_PROC_CHILDREN).

    Runs at every window edge, so it uses plain string paths and one read per file
    (pathlib costs more than the reads here)."""
    root = os.fspath(proc)
    if not os.path.exists(f"{root}/{pid}/task/{pid}/children"):  # main thread: tid == pid
        return None
    total = 0.0
    pending = [pid]
    seen = {pid}
    while pending:
        current = pending.pop()
        task = f"{root}/{current}/task"
        try:
            threads = os.listdir(task)
        except OSError:  # exited meanwhile
            continue
        for thread in threads:
            children = _read_bytes(f"{task}/{thread}/children")
            if not children:
                continue
            for child in map(int, children.split()):
                if child in seen:
                    continue
                seen.add(child)
                pending.append(child)
                total += _stat_cpu_seconds(f"{root}/{child}/stat")
    return total


def _read_bytes(path: str) -> bytes:
    """The file's content (proc files: one read is enough), or b"" when unreadable."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return b""
    try:
        return os.read(fd, 65536)
    except OSError:
        return b""
    finally:
        os.close(fd)


def _stat_cpu_seconds(stat: str) -> float:
    """utime + stime of one process (fields 14 and 15 of /proc/<pid>/stat); 0 if gone."""
    data = _read_bytes(stat)
    try:
        # The command name (field 2) may hold spaces and parentheses: split after its end.
        fields = data[data.rindex(b")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
    except (ValueError, IndexError):
        return 0.0


PROC_STAT_ENV = "GREEN_ASSIST_PROC_STAT"
DEFAULT_PROC_STAT = "/proc/stat"


def proc_stat_path(env: Mapping[str, str]) -> Path:
    """Where the machine's CPU times are read: ``/proc/stat``, or ``GREEN_ASSIST_PROC_STAT``
    (a container whose /proc/stat is virtualised, e.g. by lxcfs, can point it at the
    host's; tests point it at a fake file)."""
    return Path(env.get(PROC_STAT_ENV) or DEFAULT_PROC_STAT)


def machine_cpu_seconds(proc_stat: Path = Path(DEFAULT_PROC_STAT)) -> float | None:
    """Busy CPU-seconds of all CPUs since boot: user + nice + system + irq + softirq of
    the ``cpu`` line of /proc/stat (guest time is part of user; idle, iowait and steal
    are not work done here). None when unreadable."""
    try:
        with open(proc_stat, "rb") as fh:
            line = fh.readline()
        fields = line.split()
        if fields[0] != b"cpu":
            return None
        user, nice, system, _idle, _iowait, irq, softirq = map(int, fields[1:8])
    except (OSError, ValueError, IndexError):
        return None
    return (user + nice + system + irq + softirq) / _CLOCK_TICKS


_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_bytes() -> int:
    """Resident set size of this process, in bytes (/proc/self/statm: ~5 µs a read)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return int(psutil.Process().memory_info().rss)
