"""How fast green-assist's analyzer is: against TorchFix over a real tree, and in-process.

    python bench/analyzer_speed.py [--rounds 5] [--runs 30] [--skip-torchfix] [--json-out F]

1. ``green-assist check`` and ``torchfix --select ALL`` over the same code nobody
   here wrote: the installed ``torch/nn``, ``torch/optim`` and ``torch/utils/data``
   sources. Each tool runs as a fresh process (its default parallelism: all CPUs),
   in interleaved rounds whose order alternates, so machine noise hits both alike.
   Printed: median wall time and child CPU time per tool, and the ratio.
2. One 500-line training script (``bench/data/train_500.py``) analysed in-process,
   warm (imports done, one analysis before timing), as the sidebar does:
   - *after an edit*: each run changes one line in a different function, so the
     pieces of the file that did not change come from the parse cache;
   - *fresh text*: the parse cache is emptied before each run (everything parsed);
   - *libcst parse only*: ``libcst.parse_module`` of the same text, for reference.
   Printed: median wall and CPU time of each, interleaved.

TorchFix (PyPI ``torchfix``) pins ``libcst<1.6``, which conflicts with green-assist's
libcst, so it is installed into its own virtual environment under the git-ignored
``.green_assist/bench/torchfix-venv`` (created on the first run; needs PyPI).
Targets (issue 18): the tree at least 10x faster than TorchFix; the script re-analysed
after an edit within 50 ms, a never-seen one within 150 ms. On a machine shared with
other jobs, wall times include waiting for a CPU: compare CPU times there.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "data" / "train_500.py"
TORCHFIX_VENV = ROOT / ".green_assist" / "bench" / "torchfix-venv"
TORCHFIX_SPEC = "torchfix==0.7.0"
TREE_PARTS = ("nn", "optim", "utils/data")


def torch_tree() -> list[Path]:
    spec = importlib.util.find_spec("torch")  # no import: torch takes seconds to load
    if spec is None or spec.origin is None:
        sys.exit("torch is not installed here: pip install torch==2.13.0 (the CPU wheel)")
    torch_dir = Path(spec.origin).parent
    return [torch_dir / part for part in TREE_PARTS]


def torchfix_command() -> list[str]:
    executable = TORCHFIX_VENV / "bin" / "torchfix"
    if not executable.exists():
        print(f"creating {TORCHFIX_VENV} with {TORCHFIX_SPEC} (its own libcst)...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(TORCHFIX_VENV)], check=True)
        pip = TORCHFIX_VENV / "bin" / "pip"
        subprocess.run([str(pip), "install", "--quiet", TORCHFIX_SPEC], check=True)
    return [str(executable), "--select", "ALL"]


def timed(command: list[str], ok_codes: tuple[int, ...]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in ok_codes:
        sys.exit(f"{command[0]} exited {done.returncode}:\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def bench_tree(rounds: int, skip_torchfix: bool) -> dict[str, Any]:
    paths = [str(path) for path in torch_tree()]
    files = sum(1 for path in torch_tree() for _ in path.rglob("*.py"))
    ours = [sys.executable, "-m", "green_assist", "check", "--format", "json", *paths]
    tools = {"green-assist": (ours, (0, 1))}
    if not skip_torchfix:
        tools["torchfix"] = ([*torchfix_command(), *paths], (0, 1))
    print(f"tree: {files} .py files under {', '.join(paths)}")
    for name, (command, _) in tools.items():
        shown = " ".join(command[:6]) + (" ..." if len(command) > 6 else "")
        print(f"  {name}: {shown}")
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in tools}
    for index in range(rounds):
        order = list(tools) if index % 2 == 0 else list(reversed(tools))
        for name in order:
            command, ok_codes = tools[name]
            times[name].append(timed(command, ok_codes))
        line = ", ".join(f"{name} {times[name][-1][0]:.1f} s" for name in tools)
        print(f"  round {index + 1}/{rounds}: {line}", flush=True)
    summary: dict[str, Any] = {"files": files}
    for name, samples in times.items():
        summary[name] = {
            "wall_s": statistics.median(s[0] for s in samples),
            "cpu_s": statistics.median(s[1] for s in samples),
        }
    if "torchfix" in times:
        pairs = zip(times["green-assist"], times["torchfix"], strict=True)
        ratios = [torchfix[0] / ours[0] for ours, torchfix in pairs]
        summary["ratio_wall_median_of_rounds"] = statistics.median(ratios)
        summary["ratio_cpu"] = summary["torchfix"]["cpu_s"] / summary["green-assist"]["cpu_s"]
    return summary


def edited_versions(text: str) -> list[str]:
    """The script with one simple assignment changed, a different one each time."""
    lines = text.split("\n")
    simple = re.compile(r"^\s+\w+ = [^\"'#\\]*[\w)\]]$")
    candidates = [i for i, line in enumerate(lines) if simple.match(line)]
    versions = []
    for count, index in enumerate(candidates):
        changed = lines[:]
        changed[index] = f"{changed[index]}  # edit {count}"
        versions.append("\n".join(changed))
    return versions


def bench_script(runs: int) -> dict[str, Any]:
    import libcst

    from green_assist.analysis import analyze_source, chunks

    text = SCRIPT.read_text()
    versions = edited_versions(text)
    findings = len(analyze_source(text, str(SCRIPT)).findings)  # warm-up
    modes = ("after an edit", "fresh text", "libcst parse only")
    samples: dict[str, list[tuple[float, float]]] = {mode: [] for mode in modes}
    for run in range(runs):
        for mode in modes if run % 2 == 0 else reversed(modes):
            source = versions[run % len(versions)]
            if mode == "fresh text":
                chunks._cache.clear()
            wall, cpu = time.perf_counter(), time.process_time()
            if mode == "libcst parse only":  # the floor for any libcst-based analyzer
                libcst.parse_module(source)
            else:
                result = analyze_source(source, str(SCRIPT))
                assert result.findings and not result.errors
            samples[mode].append((time.perf_counter() - wall, time.process_time() - cpu))
    lines = len(text.splitlines())
    print(f"script: {SCRIPT.relative_to(ROOT)} ({lines} lines, {findings} findings), {runs} runs")
    summary: dict[str, Any] = {"lines": lines, "findings": findings, "runs": runs}
    for mode, values in samples.items():
        summary[mode] = {
            "wall_ms": 1000 * statistics.median(v[0] for v in values),
            "cpu_ms": 1000 * statistics.median(v[1] for v in values),
        }
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="tree rounds per tool")
    parser.add_argument("--runs", type=int, default=30, help="in-process runs per mode")
    parser.add_argument("--skip-torchfix", action="store_true", help="time green-assist only")
    parser.add_argument("--skip-tree", action="store_true", help="only the in-process part")
    parser.add_argument("--json-out", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    report: dict[str, Any] = {}
    if not args.skip_tree:
        report["tree"] = tree = bench_tree(args.rounds, args.skip_torchfix)
        print(f"\nTree ({tree['files']} files), median of {args.rounds} interleaved rounds:")
        for name in ("green-assist", "torchfix"):
            if name in tree:
                figures = tree[name]
                print(
                    f"  {name:<13} wall {figures['wall_s']:7.2f} s   cpu {figures['cpu_s']:7.2f} s"
                )
        if "ratio_wall_median_of_rounds" in tree:
            ratio = tree["ratio_wall_median_of_rounds"]
            cpu_ratio = tree["ratio_cpu"]
            print(
                f"  torchfix / green-assist: wall x{ratio:.1f} (target >= 10), cpu x{cpu_ratio:.1f}"
            )
    report["script"] = script = bench_script(args.runs)
    print("\nIn-process, warm, median:")
    for mode in ("after an edit", "fresh text", "libcst parse only"):
        figures = script[mode]
        print(f"  {mode:<18} wall {figures['wall_ms']:6.1f} ms   cpu {figures['cpu_ms']:6.1f} ms")
    print(
        "  (targets: after an edit <= 50 ms, fresh text <= 150 ms; 'libcst parse only' is the"
        " parse alone, for reference)"
    )
    if args.json_out:
        args.json_out.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
