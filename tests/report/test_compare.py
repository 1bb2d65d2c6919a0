"""BEFORE vs AFTER: matching by label, cell id and order, and the arithmetic of changes."""

from __future__ import annotations

import pytest

from green_assist.report import build_report, compare, load_sessions, render

from .records import INTENSITY, record, write_log


def report_of(tmp_path, name, records):
    return build_report(load_sessions([write_log(tmp_path / name, records)]), analyze_code=False)


def test_cells_match_by_label_then_cell_id_then_order(tmp_path):
    before = report_of(
        tmp_path,
        "before.jsonl",
        [
            record(1, label="load", cell_id="x1"),
            record(2, label="train", cell_id="x2"),
            record(3, label=None, cell_id="x3"),
            record(4, label=None, cell_id="old"),
            record(5, label="only-before", cell_id="gone"),
        ],
    )
    after = report_of(
        tmp_path,
        "after.jsonl",
        [
            record(1, label="train", cell_id="y1"),  # moved up: found by label
            record(2, label="load", cell_id="y2"),
            record(3, label=None, cell_id="x3"),  # same cell id
            record(4, label=None, cell_id="new"),  # nothing shared: order
        ],
    )
    pairs = compare(before, after).pairs
    matched = [
        (p.before.index if p.before else None, p.after.index if p.after else None, p.matched_by)
        for p in pairs
    ]
    assert matched == [
        (0, 1, "label"),
        (1, 0, "label"),
        (2, 2, "cell id"),
        (3, 3, "order"),
        (4, None, None),
    ]


def test_repeated_runs_of_a_label_pair_in_order(tmp_path):
    before = report_of(
        tmp_path, "b.jsonl", [record(i, label="step", joules=10.0 * i) for i in (1, 2)]
    )
    after = report_of(
        tmp_path, "a.jsonl", [record(i, label="step", joules=5.0 * i) for i in (1, 2)]
    )
    changes = [pair.change("energy_j") for pair in compare(before, after).pairs]
    assert [(c.before, c.after) for c in changes] == [(10.0, 5.0), (20.0, 10.0)]


def test_change_arithmetic_per_cell_and_in_total(tmp_path):
    before = report_of(
        tmp_path,
        "before.jsonl",
        [
            record(1, label="train", joules=360.0, duration_s=10.0),
            record(2, label="eval", joules=36.0, duration_s=2.0),
            record(3, label="plot", joules=18.0, duration_s=1.0),
        ],
    )
    after = report_of(
        tmp_path,
        "after.jsonl",
        [
            record(1, label="train", joules=90.0, duration_s=4.0),
            record(2, label="eval", joules=None, duration_s=2.5),  # energy unknown after
        ],
    )
    comparison = compare(before, after)
    train = comparison.pairs[0].change("energy_j")
    assert (train.before, train.after, train.delta) == (360.0, 90.0, -270.0)
    assert train.percent == pytest.approx(-75.0)
    co2e = comparison.pairs[0].change("co2e_g")
    assert co2e.delta == pytest.approx(-270.0 / 3.6e6 * INTENSITY)
    assert co2e.percent == pytest.approx(-75.0)
    time = comparison.pairs[0].change("duration_s")
    assert (time.delta, time.percent) == (-6.0, pytest.approx(-60.0))

    unknown = comparison.pairs[1].change("energy_j")
    assert unknown.delta is None and unknown.percent is None  # unknown, never 0

    total = comparison.total("energy_j")  # whole sessions, unmatched "plot" included
    assert (total.before, total.after, total.delta) == (414.0, 90.0, -324.0)
    assert comparison.total("duration_s").delta == pytest.approx(6.5 - 13.0)
    matched = comparison.matched("energy_j")  # only pairs known on both sides: train
    assert (matched.before, matched.after) == (360.0, 90.0)
    assert any("one side only: plot" in w for w in comparison.warnings)


def test_percentage_of_zero_is_not_a_number(tmp_path):
    before = report_of(tmp_path, "b.jsonl", [record(1, joules=0.0)])
    after = report_of(tmp_path, "a.jsonl", [record(1, joules=5.0)])
    change = compare(before, after).pairs[0].change("energy_j")
    assert change.delta == 5.0 and change.percent is None


def test_caveats_when_sides_differ_in_method_hardware_or_carbon(tmp_path):
    before = report_of(tmp_path, "b.jsonl", [record(1, method="counter")])
    after = report_of(
        tmp_path,
        "a.jsonl",
        [
            record(
                1,
                method="estimated",
                hardware={"cpu_model": "Other"},
                carbon_intensity_g_per_kwh=50.0,
            )
        ],
    )
    text = " ".join(compare(before, after).warnings)
    assert "different hardware" in text
    assert "different carbon intensity" in text
    assert "measured and the other's estimated" in text


def test_comparison_in_markdown_and_html_shows_the_changes(tmp_path):
    before = report_of(
        tmp_path, "b.jsonl", [record(1, label="train", joules=360.0, duration_s=10.0)]
    )
    after = report_of(tmp_path, "a.jsonl", [record(1, label="train", joules=90.0, duration_s=4.0)])
    comparison = compare(before, after)
    markdown = render(comparison, "md")
    assert "| Energy | ≈ 360 J | ≈ 90 J | ≈ -270 J (-75.0%) |" in markdown
    assert "| Time | 10 s | 4 s | -6 s (-60.0%) |" in markdown
    html = render(comparison, "html")
    assert 'id="comparison"' in html and 'id="pairs"' in html
    assert "-75.0%" in html and "≈ -270 J" in html
