"""Every refactor over a folder of training scripts: what was applied, refused, broken.

    python bench/refactor_sweep.py [FOLDER] [--no-run]

FOLDER defaults to bench/data/sweep (scripts written for this sweep, each runnable on
a CPU in a second or two with synthetic data). Each script goes through every
refactor (mixed precision in bf16 and fp16) and the judge of tests/refactor/judge.py:
an answer, never an exception; a change that compiles; a second run that changes
nothing; mixed precision that keeps backward and optimizer steps out of autocast,
with one GradScaler per loop and an ``update()`` after its ``step()``. Then every
applied mixed-precision change runs on the CPU next to its original (one interpreter,
``tests/refactor/scripts/harness.py``), which also records whether autocast was on
at each backward and optimizer step.

Prints, per refactor: applied / unchanged / refused (top reasons) / crashed /
non-compiling / non-idempotent / wrong AMP recipe, and runs-on-CPU for mixed
precision. Exit status 1 when anything is broken.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from green_assist.refactor import REFACTORS  # noqa: E402
from tests.refactor.judge import Outcome, judge  # noqa: E402

HARNESS = ROOT / "tests" / "refactor" / "scripts" / "harness.py"
DEFECTS = ("crashed", "non-compiling", "non-idempotent", "wrong-amp")


def variants() -> list[tuple[str, dict[str, str]]]:
    found: list[tuple[str, dict[str, str]]] = []
    for name in REFACTORS:
        if name == "mixed-precision":
            found += [(name, {"dtype": "bf16"}), (name, {"dtype": "fp16"})]
        else:
            found.append((name, {}))
    return found


def label(name: str, options: dict[str, str]) -> str:
    return name + "".join(f" {key}={value}" for key, value in options.items())


def run_on_cpu(pairs: list[tuple[Path, str]], folder: Path) -> dict[str, dict[str, object]]:
    """Run originals and refactored texts in one interpreter; the harness's records."""
    specs = []
    for index, (original, text) in enumerate(pairs):
        before = folder / f"{original.stem}__original_{index}.py"
        before.write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
        after = folder / f"{original.stem}__refactored_{index}.py"
        after.write_text(text, encoding="utf-8")
        specs += [str(before), str(after)]
    result = folder / "runs.json"
    subprocess.run(
        [sys.executable, str(HARNESS), str(result), *specs],
        cwd=folder,
        check=True,
        timeout=1800,
        capture_output=True,
    )
    records: dict[str, dict[str, object]] = json.loads(result.read_text())
    return records


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT / "bench" / "data" / "sweep"))
    parser.add_argument("--no-run", action="store_true", help="do not run changed scripts")
    args = parser.parse_args()
    scripts = sorted(Path(args.folder).rglob("*.py"))
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    reasons: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    broken: list[tuple[Path, str, Outcome]] = []
    to_run: list[tuple[Path, str, str]] = []
    for script in scripts:
        text = script.read_text(encoding="utf-8")
        for name, options in variants():
            key = label(name, options)
            outcome = judge(name, text, options)
            counts[key][outcome.status] += 1
            if outcome.status == "refused":
                reasons[key][(outcome.reason or "")[:80]] += 1
            if outcome.problem:
                counts[key][outcome.problem] += 1
                broken.append((script, key, outcome))
            elif outcome.status == "changed" and name == "mixed-precision":
                assert outcome.text is not None
                to_run.append((script, key, outcome.text))
    runs: collections.Counter[str] = collections.Counter()
    run_failures: list[str] = []
    if to_run and not args.no_run:
        with tempfile.TemporaryDirectory() as temporary:
            records = run_on_cpu([(s, t) for s, _, t in to_run], Path(temporary))
            names = list(records)
            for index, (script, key, _) in enumerate(to_run):
                original, changed = records[names[2 * index]], records[names[2 * index + 1]]
                if "error" in original:
                    runs[f"{key}: original fails on CPU"] += 1
                    continue
                if "error" in changed:
                    runs[f"{key}: fails"] += 1
                    run_failures.append(f"{script.name} ({key}):\n{changed['error']}")
                    continue
                runs[f"{key}: runs"] += 1
                under = [*changed["backward_autocast"], *changed["step_autocast"]]  # type: ignore[misc]
                if any(under):
                    runs[f"{key}: backward/step under autocast"] += 1
                    run_failures.append(f"{script.name} ({key}): backward or step under autocast")
    print(f"{len(scripts)} scripts in {args.folder}")
    print(f"{'refactor':<28} applied unchanged refused  " + "  ".join(DEFECTS))
    for key in (label(n, o) for n, o in variants()):
        row = counts[key]
        print(
            f"{key:<28} {row['changed']:>7} {row['unchanged']:>9} {row['refused']:>7}  "
            + "  ".join(f"{row[d]:>{len(d)}}" for d in DEFECTS)
        )
        for reason, number in reasons[key].most_common(3):
            print(f"{'':<30}refused {number}x: {reason}")
    if runs:
        print(
            "mixed precision on the CPU: " + ", ".join(f"{k} {v}" for k, v in sorted(runs.items()))
        )
    for script, key, outcome in broken:
        print(f"\nBROKEN {script.name} ({key}): {outcome.problem}\n{outcome.detail[:2000]}")
    for failure in run_failures:
        print(f"\nRUN {failure[:3000]}")
    return 1 if broken or run_failures else 0


if __name__ == "__main__":
    sys.exit(main())
