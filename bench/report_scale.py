"""How long a report takes, and how big it gets, as a session log grows.

    python bench/report_scale.py [CELLS ...]      # default: 100 1000 10000

Writes a synthetic log (each cell a distinct small source, so the analyzer sees them
all), then times loading + building with the analyzer's findings and without them
(``--no-findings``), and rendering each format: medians of 3 interleaved runs, one row
per size. ``findings x`` is the ratio of the two build times.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from green_assist.profiler.session_log import ProfileRecord, SessionLogWriter, source_fields
from green_assist.report import build_report, load_sessions, render


def write_log(path: Path, cells: int) -> None:
    writer = SessionLogWriter(path)
    for i in range(cells):
        source = (
            f"import torch\nx{i} = torch.randn({i + 1}, 8).double()\nprint(x{i}.sum().item())\n"
        )
        energy = {"cpu": {"joules": 1.0 + i % 7, "method": "estimated", "reason": "bench"}}
        writer.append(
            ProfileRecord(
                session_id="bench",
                started_at=f"2025-03-01T10:00:00.{i:06d}+00:00",
                duration_s=0.5,
                execution_count=i + 1,
                energy=energy,
                energy_j=1.0 + i % 7,
                energy_method="estimated",
                co2e_g=0.0001,
                carbon_intensity_g_per_kwh=400.0,
                pue=1.0,
                **source_fields(source),
            )
        )


def main(sizes: list[int]) -> None:
    formats = " ".join(f"{f + ' s':>7} {f + ' MB':>7}" for f in ("html", "json", "csv", "md"))
    print(f"{'cells':>6} {'build s':>8} {'bare s':>8} {'findings x':>10} {formats}")
    for cells in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "s.jsonl"
            write_log(path, cells)
            timings: dict[str, list[float]] = {}
            sizes_mb: dict[str, float] = {}
            for _ in range(3):
                start = time.perf_counter()
                build_report(load_sessions([path]), analyze_code=False)
                timings.setdefault("bare", []).append(time.perf_counter() - start)
                start = time.perf_counter()
                report = build_report(load_sessions([path]))
                timings.setdefault("build", []).append(time.perf_counter() - start)
                for fmt in ("html", "json", "csv", "md"):
                    start = time.perf_counter()
                    text = render(report, fmt)
                    timings.setdefault(fmt, []).append(time.perf_counter() - start)
                    sizes_mb[fmt] = len(text.encode()) / 1e6
            build, bare = (statistics.median(timings[k]) for k in ("build", "bare"))
            row = f"{cells:>6} {build:>8.2f} {bare:>8.2f} {build / bare:>10.1f} "
            row += " ".join(
                f"{statistics.median(timings[f]):>7.2f} {sizes_mb[f]:>7.2f}"
                for f in ("html", "json", "csv", "md")
            )
            print(row, flush=True)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [100, 1000, 10000])
