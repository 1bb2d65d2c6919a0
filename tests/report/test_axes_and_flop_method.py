"""The report's charts end where their data ends, and its FLOP method reads as the README's."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from green_assist.cli import main
from green_assist.profiler.flops import CONVENTION, METHOD
from green_assist.report.svg import nice_ticks

from .records import record, write_log

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("top", [0.37, 1.0, 7.3, 18.7, 99.9, 101.0, 263.4, 4.2e6])
def test_ticks_stop_at_the_data(top):
    ticks = nice_ticks(top)
    step = ticks[1] - ticks[0]
    assert ticks[0] == 0
    assert ticks[-1] <= top * (1 + 1e-9)  # no tick (and so no axis) past the largest value
    assert top - ticks[-1] < step  # ...and none missing below it


def test_the_highest_bar_reaches_the_top_of_the_power_axis(tmp_path):
    # 36 J in 2 s (18 W) and 70 J in 3.5 s (20 W): the axis ends at 20 W, not at a round 25.
    log = write_log(
        tmp_path / "s.jsonl",
        [record(1, joules=36.0, duration_s=2.0), record(2, joules=70.0, duration_s=3.5)],
    )
    out = tmp_path / "r.html"
    assert main(["report", str(log), "-o", str(out), "--no-findings"]) == 0
    timeline = out.read_text(encoding="utf-8").split("Power and energy over the session", 1)[1]
    timeline = timeline.split("</svg>", 1)[0]
    watts = [float(v) for v in re.findall(r">([\d.]+) W</text>", timeline)]
    assert max(watts) <= 20.0
    bars = re.findall(r'<rect[^>]*\by="([\d.]+)"[^>]*\bheight="([\d.]+)"', timeline)
    tops = [float(y) for y, _ in bars]
    grid_lines = [tag for tag in re.findall(r"<line [^>]*>", timeline) if 'class="grid"' in tag]
    grid = [float(re.search(r'\by1="([\d.]+)"', tag)[1]) for tag in grid_lines]  # type: ignore[index]
    assert bars and grid
    # The tallest bar reaches the highest grid line: no empty band above the data.
    assert min(tops) <= min(grid) + 1e-6


def _plain(text: str) -> str:
    """Text as read: markup, emphasis and line breaks gone."""
    text = unescape(re.sub(r"<[^>]+>", "", text))
    return re.sub(r"\s+", " ", text.replace("**", "").replace("`", ""))


def test_the_flop_method_in_reports_is_the_readmes():
    readme = _plain(README.read_text(encoding="utf-8"))
    counted, _, not_counted = METHOD.partition(", counted with ")
    assert counted in readme
    assert CONVENTION in readme
    assert not_counted.split("; ", 1)[1] in readme  # "element-wise work is not counted"


def test_the_html_and_markdown_reports_state_that_method(tmp_path):
    log = write_log(tmp_path / "s.jsonl", [record(1, flops=1_000_000, flops_complete=True)])
    for suffix in (".html", ".md"):
        out = tmp_path / f"r{suffix}"
        assert main(["report", str(log), "-o", str(out), "--no-findings"]) == 0
        text = _plain(out.read_text(encoding="utf-8"))
        assert METHOD in text and CONVENTION in text, suffix
