"""Fuzz the refactors with generated training programs; count what each one did.

    python bench/fuzz.py [--examples 10000] [--seed N] [--save FOLDER]

Programs come from the hypothesis strategies of ``tests/refactor/programs.py``
(training loops in many shapes, GANs, accumulation, models with attention, loaders,
evaluation, inference, framework trainers), so the transforms are reached. Every
refactor runs on each (mixed precision in bf16, fp16 and auto) and is judged by
``tests/refactor/judge.py``: crashed, non-compiling, non-idempotent or breaking the
AMP recipe is a defect. Prints per refactor: changed / unchanged / refused (top
reasons) and defects; with ``--save`` the programs behind defects are written there.
Exit status 1 when there is any defect. ``make test`` runs 300 fixed cases
(tests/refactor/test_fuzz.py); this is the nightly-sized run.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from green_assist.refactor import REFACTORS  # noqa: E402
from tests.refactor.judge import judge  # noqa: E402
from tests.refactor.programs import Program, programs  # noqa: E402

OPTIONS = {"mixed-precision": ({"dtype": "bf16"}, {"dtype": "fp16"}, {})}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--save", type=Path, default=None, help="folder for defective programs")
    args = parser.parse_args()
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    reasons: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    parts: collections.Counter[str] = collections.Counter()
    defects: list[tuple[str, str, str, str]] = []
    started = time.perf_counter()

    @settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(programs())
    def run(program: Program) -> None:
        parts.update(program.parts)
        for name in REFACTORS:
            for options in OPTIONS.get(name, ({},)):
                key = name + "".join(f" {k}={v}" for k, v in options.items())
                outcome = judge(name, program.text, options)
                counts[key][outcome.status] += 1
                if outcome.status == "refused":
                    reasons[key][(outcome.reason or "")[:70]] += 1
                if outcome.problem:
                    counts[key][outcome.problem] += 1
                    defects.append((key, outcome.problem, outcome.detail, program.text))

    if args.seed is not None:
        run = seed(args.seed)(run)
    run()
    elapsed = time.perf_counter() - started
    programs_run = sum(parts[p] for p in ("loop", "function", "accumulate"))
    print(f"{programs_run} programs in {elapsed:.0f} s; shapes: {dict(parts.most_common())}")
    for key, row in counts.items():
        applied = row["changed"]
        problems = {p: row[p] for p in ("crashed", "non-compiling", "non-idempotent", "wrong-amp")}
        print(
            f"{key:<28} changed {applied:>6}  unchanged {row['unchanged']:>6}"
            f"  refused {row['refused']:>6}  error {row['error']:>4}  defects {problems}"
        )
        for reason, number in reasons[key].most_common(2):
            print(f"{'':<30}refused {number}x: {reason}")
    if args.save and defects:
        args.save.mkdir(parents=True, exist_ok=True)
        for index, (key, problem, detail, text) in enumerate(defects):
            note = f"# {key}: {problem}\n# " + detail.replace("\n", "\n# ") + "\n"
            (args.save / f"defect_{index:04d}.py").write_text(note + text, encoding="utf-8")
    for key, problem, detail, text in defects[:3]:
        print(f"\nDEFECT {key}: {problem}\n{detail[:1500]}\n--- program:\n{text}")
    return 1 if defects else 0


if __name__ == "__main__":
    sys.exit(main())
