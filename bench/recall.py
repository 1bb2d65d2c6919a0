"""Precision and recall of the analyzer on a labelled corpus of whole training programs.

    python bench/recall.py [--corpus bench/data/corpus] [--rules GA106,GA108] [--misses]

Each file under the corpus (``.py`` scripts and ``.ipynb`` notebooks) carries its
labels as comments: ``# expect: GA108`` (or ``GA101, GA115``) on the line where a
finding of that rule should start. Lines without a label must have no finding. The
files reproduce, in code written for this project, the shapes of public training
programs (``recall_corpus.py`` lists the public files each one was modelled on and
what they should trigger); they include the traps each shape has: ``@torch.no_grad()``
helpers, ``inference_mode`` around a helper call, logging intervals above 1,
checkpoints written from a helper, Lightning and Accelerate loops.

A finding matches a label with the same file, cell, line and rule; several findings of
one rule on one line count once. Printed: per rule and overall, true positives, false
positives, false negatives, precision and recall; ``--misses`` lists the unmatched.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "data" / "corpus"
MARKER = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")

Key = tuple[str, int | None, int, str]  # (file, cell, line, rule)


def cell_sources(path: Path) -> list[tuple[int | None, str]]:
    if path.suffix != ".ipynb":
        return [(None, path.read_text())]
    cells = json.loads(path.read_text())["cells"]
    found = []
    for index, cell in enumerate(cells):
        source = cell["source"]
        found.append((index, "".join(source) if isinstance(source, list) else source))
    return found


def labels(path: Path) -> set[Key]:
    wanted: set[Key] = set()
    for cell, text in cell_sources(path):
        for number, line in enumerate(text.splitlines(), start=1):
            match = MARKER.search(line)
            if match:
                for code in match.group(1).split(","):
                    if code.strip():
                        wanted.add((path.name, cell, number, code.strip()))
    return wanted


def findings(path: Path) -> set[Key]:
    from green_assist.analysis import Config, analyze_path

    result = analyze_path(path, Config())
    if any(error.blocking for error in result.errors):
        sys.exit(f"{path}: {[error.message for error in result.errors]}")
    return {(path.name, f.cell, f.line, f.code) for f in result.findings}


def score(found: int, wrong: int, missed: int) -> tuple[float, float]:
    precision = found / (found + wrong) if found + wrong else 1.0
    recall = found / (found + missed) if found + missed else 1.0
    return precision, recall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--rules", help="comma-separated rule codes (default: all)")
    parser.add_argument("--misses", action="store_true", help="list false positives/negatives")
    args = parser.parse_args()
    selected = {code.strip() for code in args.rules.split(",")} if args.rules else None
    files = sorted(p for p in args.corpus.iterdir() if p.suffix in (".py", ".ipynb"))
    expected: set[Key] = set()
    reported: set[Key] = set()
    for path in files:
        expected |= labels(path)
        reported |= findings(path)
    if selected is not None:
        expected = {key for key in expected if key[3] in selected}
        reported = {key for key in reported if key[3] in selected}
    hits = expected & reported
    wrong = reported - expected
    missed = expected - reported
    by_rule: dict[str, Counter[str]] = {}
    for kind, keys in (("tp", hits), ("fp", wrong), ("fn", missed)):
        for key in keys:
            by_rule.setdefault(key[3], Counter())[kind] += 1
    print(f"corpus: {len(files)} files ({args.corpus})")
    print(f"{'rule':<8}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}")
    for code in sorted(by_rule):
        counts = by_rule[code]
        precision, recall = score(counts["tp"], counts["fp"], counts["fn"])
        print(
            f"{code:<8}{counts['tp']:>5}{counts['fp']:>5}{counts['fn']:>5}"
            f"{precision:>11.2f}{recall:>8.2f}"
        )
    precision, recall = score(len(hits), len(wrong), len(missed))
    print(
        f"{'all':<8}{len(hits):>5}{len(wrong):>5}{len(missed):>5}{precision:>11.2f}{recall:>8.2f}"
    )
    if args.misses:
        for title, keys in (("false positives", wrong), ("false negatives", missed)):
            print(f"\n{title}:")
            for name, cell, line, code in sorted(keys, key=lambda k: (k[0], k[1] or -1, k[2])):
                where = f"cell {cell}:" if cell is not None else ""
                print(f"  {name}:{where}{line} {code}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
