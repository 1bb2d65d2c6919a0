"""``green-assist doctor [--json]``: what is measured, polled, attributed or estimated on
this machine and why, and for each gap the fix."""

from __future__ import annotations

import argparse
import json
import textwrap
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "doctor",
        help="show how energy is obtained on this machine, and how to measure more",
        description=(
            "Report, per component (cpu, dram, each GPU), whether its energy is measured "
            "(counter or polled power), attributed or estimated here, why, and how to fix "
            "each gap. Also shows the estimate's constants, CPU limits and carbon settings."
        ),
    )
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..sensors.diagnose import diagnose

    report = diagnose()
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(format_report(report))
    return 0


def format_report(report: dict[str, Any]) -> str:
    lines = ["green-assist doctor: how energy is obtained on this machine", ""]
    for name, entry in report["components"].items():
        lines.append(f"  {name:<7} {entry['status'].upper()}" + _method(entry))
        if entry.get("reason"):
            lines += _wrapped("why", entry["reason"])
        if entry.get("fix"):
            lines += _wrapped("fix" if entry.get("gap") else "note", entry["fix"])
    gaps = report["gaps"]
    cpu = report["cpu"]
    model, limit = cpu["power_model"], cpu["limit"]
    lines += ["", "CPU estimate constants (used where the CPU is estimated)"]
    lines += _wrapped("model", model["cpu_model"])
    lines += _wrapped(
        "power", f"{model['watts_per_logical_cpu']:.3g} W per busy logical CPU. {model['source']}"
    )
    lines += _wrapped("cores", f"{limit['cores_available']:g} available: {limit['source']}")
    for gap in gaps:
        if gap["component"] == "cpu power figure":
            lines += _wrapped("gap", gap["problem"]) + _wrapped("fix", gap["fix"])
    dram = report["dram"]
    lines += _wrapped("dram", f"{dram['watts_per_gib']} W per GiB resident: {dram['source']}")
    carbon = report["carbon"]
    lines += ["", "Carbon"]
    lines += _wrapped("grid", carbon["note"])
    lines += _wrapped("source", carbon["source"])
    lines += _wrapped("pue", f"{carbon['pue']:g}: {carbon['pue_source']}")
    lines += _wrapped("table", f"rebuild: {carbon['table']['rebuild']}")
    for problem in carbon["problems"]:
        lines += _wrapped("note", problem)
    if carbon.get("fix"):
        lines += _wrapped("fix", carbon["fix"])
    lifecycle = report["lifecycle"]
    lines += ["", "Lifecycle estimates (embodied CO2e, water; reported apart from energy)"]
    for part, text in lifecycle["embodied"].items():
        lines += _wrapped(part, text)
    lines += _wrapped(
        "life",
        f"{lifecycle['service_life_years']:g} years: {lifecycle['service_life_source']}",
    )
    for country, text in lifecycle["electricity_water"].items():
        lines += _wrapped("water", f"{country}: {text}")
    if lifecycle["cooling_water"]:
        lines += _wrapped("cooling", lifecycle["cooling_water"])
    if lifecycle["compare_region"]:
        lines += _wrapped("compare", lifecycle["compare_region"])
    for problem in lifecycle["problems"]:
        lines += _wrapped("note", problem)
    sampling = report["sampling"]
    lines += [
        "",
        f"Sampling every {sampling['interval_s']:g} s (at most every "
        f"{sampling['min_interval_s']:g} s); peak memory from: "
        + "; ".join(sampling["peak_memory"].values()),
    ]
    if gaps:
        names = ", ".join(gap["component"] for gap in gaps)
        count = f"{len(gaps)} gap" + ("s" if len(gaps) > 1 else "")
        lines += ["", f"{count}, each with its fix above: {names}."]
    else:
        lines += ["", "No gaps: everything is measured."]
    return "\n".join(lines)


def _method(entry: dict[str, Any]) -> str:
    method = entry.get("method")
    return f" ({method})" if method and method != entry["status"] else ""


def _wrapped(label: str, text: str) -> list[str]:
    # Paths and setting names stay whole, so that they can be copied.
    return textwrap.wrap(
        text,
        width=96,
        initial_indent=f"          {label + ':':<7} ",
        subsequent_indent=" " * 18,
        break_long_words=False,
        break_on_hyphens=False,
    )
