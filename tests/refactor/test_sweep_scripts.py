"""The sweep's scripts (bench/data/sweep): every refactor answers soundly on each
(``judge.py``: no exception, compiles, idempotent, AMP recipe). ``bench/refactor_sweep.py``
also runs the mixed-precision results on the CPU."""

from pathlib import Path

import pytest

from green_assist.refactor import REFACTORS

from .judge import judge

SWEEP = Path(__file__).resolve().parents[2] / "bench" / "data" / "sweep"
VARIANTS = [
    (name, options)
    for name in REFACTORS
    for options in ([{"dtype": "bf16"}, {"dtype": "fp16"}] if name == "mixed-precision" else [{}])
]


@pytest.mark.parametrize("script", sorted(SWEEP.glob("*.py")), ids=lambda p: p.stem)
def test_every_refactor_is_sound_on_the_sweep_script(script):
    text = script.read_text(encoding="utf-8")
    problems = []
    for name, options in VARIANTS:
        outcome = judge(name, text, options)
        if outcome.problem:
            problems.append(f"{name} {options}: {outcome.problem} {outcome.reason or ''}")
    assert problems == []
