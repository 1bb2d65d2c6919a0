"""Magic arguments, the cell rewrite that lets IPython run a profiled cell, the fallback
runner, reports and the text the user sees."""

from __future__ import annotations

import json

import pytest

from green_assist.profiler.display import (
    ProfileResult,
    bytes_text,
    energy_text,
    format_text,
    live_text,
)
from green_assist.profiler.magics import MagicUsageError, parse_cell_args, parse_line
from green_assist.profiler.runner import rewrite_cell
from green_assist.profiler.session_log import ProfileRecord
from green_assist.report import write_records_report


def test_cell_arguments():
    options = parse_cell_args("--flops --label 'train epoch' --interval 50 --quiet")
    assert (options.flops, options.label, options.interval_s, options.quiet) == (
        True,
        "train epoch",
        0.05,
        True,
    )
    assert parse_cell_args("").flops is False


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("--flop", "unrecognized arguments: --flop"),
        ("--interval 5", "at least 0.01 s"),
        ("--interval fast", "invalid float value"),
        ("--label 'unclosed", "cannot read"),
    ],
)
def test_bad_cell_arguments_say_what_is_allowed(line, message):
    with pytest.raises(MagicUsageError, match=message):
        parse_cell_args(line)


def test_line_commands():
    assert parse_line("on --flops").flops and parse_line("on --show").show
    assert parse_line("").action == "status"
    assert parse_line("report out/r.json").path == "out/r.json"
    for bad in ("on --fast", "off now", "report a b", "start"):
        with pytest.raises(MagicUsageError, match="usage: %greenprofile on"):
            parse_line(bad)


def test_rewrite_starts_the_measurement_on_the_first_line():
    lines = ["%%greenprofile --label 'a b'\n", "x = 1\n", "x\n"]
    assert rewrite_cell(lines) == [
        "get_ipython().run_line_magic('greenprofile', \"--begin-cell --label 'a b'\")\n",
        "x = 1\n",
        "x\n",
    ]
    assert rewrite_cell(["%%greenprofile"])[0].endswith("'--begin-cell')\n")


@pytest.mark.parametrize(
    "lines",
    [[], ["x = 1\n", "%%greenprofile\n"], ["%%greenprofiler\n"], ["%%time\n", "%%greenprofile\n"]],
)
def test_rewrite_leaves_other_cells_alone(lines):
    assert rewrite_cell(list(lines)) == lines


def record(**changes) -> ProfileRecord:
    fields = dict(
        session_id="s",
        started_at="2025-03-01T10:00:00+00:00",
        duration_s=2.5,
        execution_count=4,
        energy={
            "cpu": {"joules": 90.0, "method": "estimated", "reason": "no RAPL", "detail": {}},
            "gpu:0": {"joules": None, "method": None, "reason": "NVML lost", "detail": {}},
        },
        energy_j=90.0,
        energy_method="estimated",
        co2e_g=0.0121,
        carbon={"note": "485 gCO2e/kWh for world average (default: region unknown); PUE 1"},
        peak_rss_bytes=3 << 30,
    )
    fields.update(changes)
    return ProfileRecord(**fields)


def test_text_result_shows_methods_unknowns_and_carbon_source():
    text = format_text(record())
    assert text.splitlines()[0] == "green_assist: cell [4] · 2.50 s · ok"
    assert "90 J (estimated) = cpu 90 J (estimated); gpu:0 unknown (NVML lost)" in text
    assert "12.1 mg (485 gCO2e/kWh for world average (default: region unknown)" in text
    assert "peak RSS 3.00 GiB" in text
    assert "FLOPs" not in text


def test_text_result_with_incomplete_flops_and_advice():
    text = format_text(
        record(
            flops=2_000_000_000,
            flops_forward=800_000_000,
            flops_backward=1_200_000_000,
            flops_per_s=8e8,
            flops_complete=False,
            flops_notes=["covers products", "incomplete: aten.mkldnn_rnn_layer x2"],
            advice=[{"title": "T", "message": "M.", "fix": "F.", "code": "c", "evidence": {}}],
        )
    )
    assert "2 GFLOP (forward 800 MFLOP, backward 1.2 GFLOP); 800 MFLOP/s achieved" in text
    assert "2 FLOPs per multiply-add; INCOMPLETE" in text
    assert "incomplete: aten.mkldnn_rnn_layer x2" in text
    assert "advice  T: M. Fix: F." in text


def test_html_is_escaped():
    html = ProfileResult(record(label="<script>")).mimebundle()["text/html"]
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_units():
    assert energy_text(12.3) == "12.3 J"
    assert energy_text(7200) == "2 Wh"
    assert energy_text(7.2e6) == "2 kWh"
    assert energy_text(None) == "unknown"
    assert bytes_text(5 << 20) == "5 MiB"


def test_live_text():
    message = {
        "elapsed_s": 3.2,
        "power_w": 41.5,
        "energy_j": 120.0,
        "energy": {"cpu": {"joules": 120.0, "method": "estimated", "reason": None}},
    }
    assert live_text(message) == (
        "green_assist: running 3.20 s · 41.5 W now · 120 J so far [cpu 120 J (estimated)]"
    )


def test_report_json_and_unknown_formats(tmp_path):
    records = [record(), record(status="error", flops=10, energy_method="counter")]
    written = write_records_report(tmp_path / "sub" / "r.json", records)
    document = json.loads(written.path.read_text())
    # The versioned report document (green_assist/report/schema.json), as from the CLI.
    assert document["report_schema_version"] >= 1
    totals = document["session"]["totals"]
    assert totals["cells"] == 2 and totals["errors"] == 1 and totals["flops_counted_cells"] == 1
    assert totals["energy_method"] == "estimated"  # the least certain one
    with pytest.raises(ValueError, match="cannot tell the report format .*json"):
        write_records_report(tmp_path / "r.pdf", records)
