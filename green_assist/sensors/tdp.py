"""Which CPU power figure the estimate uses, and where it comes from.

The estimate gives each logical CPU an equal slice of the package's TDP:
``watts_per_logical_cpu = TDP / hardware threads per package``. The TDP comes from, in
order: ``GREEN_ASSIST_CPU_TDP_W``; the shipped table ``data/cpu_tdp.csv`` (vendor
specifications, one row per model); for an unknown model, the median watts per
hardware thread of the table's rows, said so. The thread count comes from
``GREEN_ASSIST_CPU_THREADS``, else the table row, else ``siblings`` in /proc/cpuinfo.
"""

from __future__ import annotations

import csv
import functools
import re
import statistics
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from importlib import resources
from typing import Any

from .cpu import cpu_model, logical_cpus_per_package
from .settings import env_number

TDP_ENV = "GREEN_ASSIST_CPU_TDP_W"
THREADS_ENV = "GREEN_ASSIST_CPU_THREADS"


@dataclass(frozen=True)
class TdpRow:
    match: str
    tdp_w: float
    cores: int
    threads: int
    source: str


@dataclass(frozen=True)
class CpuPowerModel:
    """The constants of the CPU estimate, with their provenance (shown by ``doctor``)."""

    cpu_model: str
    watts_per_logical_cpu: float
    tdp_w: float | None
    threads_per_package: int | None
    source: str
    problems: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["problems"] = list(self.problems)
        return data


@functools.lru_cache(maxsize=1)
def tdp_table() -> tuple[TdpRow, ...]:
    """The shipped TDP table (``green_assist/sensors/data/cpu_tdp.csv``)."""
    text = resources.files(__package__).joinpath("data/cpu_tdp.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return tuple(
        TdpRow(
            row["match"],
            float(row["tdp_w"]),
            int(row["cores"]),
            int(row["threads"]),
            row["source"],
        )
        for row in csv.DictReader(lines)
    )


def normalise_model_name(name: str) -> list[str]:
    """Words of a /proc/cpuinfo model name without marks, "CPU", "Processor", clock."""
    name = re.sub(r"\((R|TM|r|tm)\)", " ", name)
    name = re.sub(r"@\s*[\d.]+\s*[GM]Hz", " ", name)
    words = [w for w in name.split() if w.lower() not in {"cpu", "processor"}]
    return [w for w in words if not re.fullmatch(r"\d+-core", w, flags=re.IGNORECASE)]


def find_tdp_row(model: str, table: tuple[TdpRow, ...] | None = None) -> TdpRow | None:
    """The table row whose words appear, in order and consecutively, in ``model``."""
    words = [w.lower() for w in normalise_model_name(model)]
    for row in table if table is not None else tdp_table():
        key = [w.lower() for w in row.match.split()]
        for start in range(len(words) - len(key) + 1):
            if words[start : start + len(key)] == key:
                return row
    return None


def median_watts_per_thread(table: tuple[TdpRow, ...] | None = None) -> float:
    rows = table if table is not None else tdp_table()
    return statistics.median(row.tdp_w / row.threads for row in rows)


def resolve_cpu_power_model(
    env: Mapping[str, str], model: str | None = None, siblings: int | None = None
) -> CpuPowerModel:
    """Choose the CPU estimate's constants from the environment, the table and the OS."""
    model = model if model is not None else cpu_model()
    problems: list[str] = []
    row = find_tdp_row(model)
    tdp_override = env_number(env, TDP_ENV, problems, 0, allow_minimum=False)
    threads_override = env_number(env, THREADS_ENV, problems, 1)

    if threads_override is not None:
        threads: int | None = int(threads_override)
        threads_source = f"{THREADS_ENV}={threads}"
    elif row is not None:
        threads, threads_source = row.threads, f"table row {row.match!r}"
    else:
        threads = siblings if siblings is not None else logical_cpus_per_package()
        threads_source = "siblings in /proc/cpuinfo (in a VM: the guest's view)"

    if tdp_override is not None:
        if not threads:
            problems.append(
                f"{TDP_ENV} is set but the threads per package are unknown; "
                f"set {THREADS_ENV} as well"
            )
        else:
            return CpuPowerModel(
                model,
                tdp_override / threads,
                tdp_override,
                threads,
                f"{TDP_ENV}={tdp_override:g} W shared by {threads} threads ({threads_source})",
                tuple(problems),
            )
    if row is not None and threads:
        return CpuPowerModel(
            model,
            row.tdp_w / threads,
            row.tdp_w,
            threads,
            f"{row.source}: {row.match} TDP {row.tdp_w:g} W, {threads} threads ({threads_source})",
            tuple(problems),
        )
    median = median_watts_per_thread()
    problems.append(
        f"CPU model {model!r} is not in green_assist's TDP table, so the estimate uses the "
        "median of the CPUs that are"
    )
    return CpuPowerModel(
        model,
        median,
        None,
        threads,
        f"Median TDP per hardware thread of the {len(tdp_table())} CPUs in green_assist's "
        f"table ({median:.2f} W); this CPU model is not in the table",
        tuple(problems),
    )
