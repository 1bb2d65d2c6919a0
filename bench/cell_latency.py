"""What automatic profiling adds to every cell: trivial cells in real kernels, plain vs profiled.

Three real IPython kernels (jupyter_client) run the same batches of trivial cells:

- ``plain``: green_assist not loaded;
- ``plain-2``: the same in a second kernel: how far two identical kernels differ (the
  noise floor of the figures below);
- ``auto``: ``%greenprofile on`` with the comm connected (live and record messages flow
  as with the sidebar open).

A batch sends ``--cells`` execute requests at once, as JupyterLab's *Run All* does, and
times the whole batch and the interval between consecutive replies (the per-cell time
while the kernel works through its queue). Batches are interleaved (the order rotates
every round) and compared per round, so load from other processes hits all kernels
alike. The cost added per cell is the median interval of ``auto`` minus that of
``plain``; the batch ratio is ``auto``'s batch time over ``plain``'s. Targets: at most
3 ms added per cell, 200 trivial cells at most 1.3x the plain time.

On a shared machine wall times of two identical kernels differ by more than that (the
``plain-2`` row shows by how much), so the kernels' CPU time per cell is measured too:
its main thread (where cells and the profiler's hooks run) and its other threads (the
profiler's background thread, ipykernel's I/O threads). CPU time hardly depends on
what other processes do, and it is what the profiler's work costs when no core is free.

``--long N`` then runs N more profiled cells in ``auto`` and ``plain`` (in batches of
300) and compares the first 300 with the last 300 (cost must not grow with the session)
and the kernels' memory growth (the profiler keeps totals and the last run of each
cell; records live on disk).

    python bench/cell_latency.py                       # 5 rounds of 200 cells
    python bench/cell_latency.py --rounds 7 --long 3000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil
from jupyter_client.manager import KernelManager

CELL = "pass"
VARIANTS = {
    "plain": [],
    "plain-2": [],
    "auto": ["%load_ext green_assist", "%green_assist_connect", "%greenprofile on"],
}


class Kernel:
    def __init__(self, name: str, workdir: Path) -> None:
        self.name = name
        self.km = KernelManager(kernel_name="python3")
        env = {**os.environ, "GREEN_ASSIST_SESSION_DIR": str(workdir / name)}
        self.km.start_kernel(cwd=str(workdir), env=env)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)
        pid = self.run_and_read("import os; print(os.getpid())")
        self.process = psutil.Process(int(pid))

    def run_and_read(self, code: str) -> str:
        out: list[str] = []

        def hook(msg: dict) -> None:
            if msg["header"]["msg_type"] == "stream":
                out.append(msg["content"]["text"])

        reply = self.kc.execute_interactive(code, timeout=120, output_hook=hook)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"{self.name}: {code!r} failed: {reply['content']}")
        return "".join(out).strip()

    def batch(self, cells: int) -> list[float]:
        """Send ``cells`` trivial cells at once; return the reply times (perf_counter)."""
        ids = {self.kc.execute(CELL) for _ in range(cells)}
        t0 = time.perf_counter()
        times = [t0]
        while ids:
            reply = self.kc.get_shell_msg(timeout=120)
            msg_id = reply["parent_header"].get("msg_id")
            if msg_id in ids:
                ids.discard(msg_id)
                if reply["content"]["status"] != "ok":
                    raise RuntimeError(f"{self.name}: a cell failed: {reply['content']}")
                times.append(time.perf_counter())
        self._drain_iopub()
        return times

    def cpu_seconds(self) -> tuple[float, float]:
        """CPU seconds of the kernel's main thread and of all its other threads."""
        main = other = 0.0
        for thread in self.process.threads():
            spent = thread.user_time + thread.system_time
            if thread.id == self.process.pid:
                main += spent
            else:
                other += spent
        return main, other

    def rss_mb(self) -> float:
        return self.process.memory_info().rss / 2**20

    def _drain_iopub(self) -> None:
        while self.kc.iopub_channel.msg_ready():
            self.kc.get_iopub_msg(timeout=1)

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def intervals(times: list[float]) -> list[float]:
    return [b - a for a, b in zip(times, times[1:], strict=False)]


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def compare(kernels: dict[str, Kernel], rounds: int, cells: int) -> None:
    names = list(kernels)
    per_cell: dict[str, list[float]] = {name: [] for name in names}
    batch: dict[str, list[float]] = {name: [] for name in names}
    main_cpu: dict[str, list[float]] = {name: [] for name in names}
    other_cpu: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(rounds):
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        for name in order:
            main0, other0 = kernels[name].cpu_seconds()
            times = kernels[name].batch(cells)
            main1, other1 = kernels[name].cpu_seconds()
            per_cell[name].append(median_ms(intervals(times)))
            batch[name].append(times[-1] - times[0])
            main_cpu[name].append((main1 - main0) / cells * 1000)
            other_cpu[name].append((other1 - other0) / cells * 1000)
        print(
            f"round {round_ + 1}: "
            + ", ".join(f"{n} {batch[n][-1]:.3f} s ({per_cell[n][-1]:.2f} ms/cell)" for n in names),
            flush=True,
        )
    print(f"\n{cells} trivial cells per batch, {rounds} rounds (medians; ratios per round):")
    print(
        f"{'variant':<8} {'per cell':>9} {'added':>9} {'batch':>9} {'ratio':>7} "
        f"{'main CPU':>10} {'added':>9} {'other CPU':>10} {'added':>9}"
    )

    def added(series: dict[str, list[float]], name: str) -> float:
        return statistics.median(a - b for a, b in zip(series[name], series["plain"], strict=True))

    for name in names:
        ratio = statistics.median(a / b for a, b in zip(batch[name], batch["plain"], strict=True))
        print(
            f"{name:<8} {statistics.median(per_cell[name]):>6.2f} ms "
            f"{added(per_cell, name):>+6.2f} ms "
            f"{statistics.median(batch[name]):>7.3f} s {ratio:>6.3f}x "
            f"{statistics.median(main_cpu[name]):>7.2f} ms {added(main_cpu, name):>+6.2f} ms "
            f"{statistics.median(other_cpu[name]):>7.2f} ms {added(other_cpu, name):>+6.2f} ms"
        )
    print(
        "\nper cell: median interval between replies; batch: the whole batch; main / other "
        "CPU: CPU time per cell of the kernel's main thread / of its other threads. "
        "'added' is the median per-round difference to plain; plain-2 shows the noise."
    )


def long_session(kernels: dict[str, Kernel], total: int) -> None:
    """Cost and memory over ``total`` cells: the first 300 against the last 300."""
    step = 300
    chunks = max(2, total // step)
    print(f"\n{chunks * step} cells in batches of {step}, auto and plain interleaved:")
    rss0 = {name: kernels[name].rss_mb() for name in ("plain", "auto")}
    first: dict[str, float] = {}
    last: dict[str, float] = {}
    for index in range(chunks):
        for name in ("plain", "auto") if index % 2 == 0 else ("auto", "plain"):
            value = median_ms(intervals(kernels[name].batch(step)))
            if index == 0:
                first[name] = value
            last[name] = value
    for name in ("plain", "auto"):
        grown = kernels[name].rss_mb() - rss0[name]
        print(
            f"{name:<6} first {step}: {first[name]:.2f} ms/cell, last {step}: "
            f"{last[name]:.2f} ms/cell; kernel memory {grown:+.1f} MB"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cells", type=int, default=200, help="trivial cells per batch")
    parser.add_argument("--long", type=int, default=0, help="then a session of N more cells")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    print(
        f"{os.cpu_count()} CPUs, load average {load:.1f} at the start "
        f"({'shared / loaded machine' if load > 0.5 * (os.cpu_count() or 1) else 'quiet'}); "
        f"python {sys.version.split()[0]}",
        flush=True,
    )
    workdir = Path(tempfile.mkdtemp(prefix="ga-cells-"))
    kernels = {name: Kernel(name, workdir) for name in VARIANTS}
    try:
        for name, kernel in kernels.items():
            for line in VARIANTS[name]:
                kernel.run_and_read(line)
            kernel.batch(20)  # warm up: imports, first measurement
        compare(kernels, args.rounds, args.cells)
        if args.long:
            long_session(kernels, args.long)
        records = sum(len(path.read_bytes().splitlines()) for path in workdir.glob("auto/*.jsonl"))
    finally:
        for kernel in kernels.values():
            kernel.close()
    print(
        f"\n(records on disk from the profiled kernel: {records}; load average now "
        f"{os.getloadavg()[0]:.1f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
