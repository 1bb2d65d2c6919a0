"""The words the report and the sidebar share: cell names and what a fix did. The same
tables (tests/fixtures/wording/) hold the TypeScript side to them too
(labextension/test/wording.spec.ts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from green_assist.cells import cell_label
from green_assist.report.model import FixEffect, fix_summary

WORDING = Path(__file__).parent / "fixtures" / "wording"


def _cases(name: str) -> list[dict]:
    cases: list[dict] = json.loads((WORDING / name).read_text(encoding="utf-8"))["cases"]
    return cases


@pytest.mark.parametrize("case", _cases("cell_labels.json"), ids=lambda case: case["label"])
def test_cells_are_named_as_the_sidebar_names_them(case):
    assert cell_label(case["index"], case["execution_count"]) == case["label"]


@pytest.mark.parametrize("case", _cases("fix_verdicts.json"), ids=lambda case: case["text"][:40])
def test_a_fix_is_judged_in_the_sidebars_words(case):
    change = case["change"]
    effect = FixEffect(
        cell=0,
        name="cell 1",
        refactor="",
        title=case["title"],
        before_energy_j=case["before"]["energy_j"],
        after_energy_j=case["after"]["energy_j"],
        before_duration_s=case["before"]["duration_s"],
        after_duration_s=case["after"]["duration_s"],
        energy_pct=change["energy_pct"],
        duration_pct=change["duration_pct"],
        noise_pct=change["noise_pct"],
        verdict=change["verdict"],
        energy_method="counter",
    )
    assert fix_summary(effect) == case["text"]
