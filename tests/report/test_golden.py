"""Golden tests on session logs recorded with the real profiler (``data/record_sessions.py``).

Markdown and CSV are compared byte for byte with ``data/expected/``; HTML is checked
for its structure (it is too rich for a byte-for-byte golden); JSON is validated
against the shipped schema. Regenerate the expected files after an intended change:
``GREEN_ASSIST_UPDATE_GOLDENS=1 pytest tests/report/test_golden.py``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from html.parser import HTMLParser

import jsonschema
import pytest

from green_assist import __version__
from green_assist.profiler.session_log import read_log
from green_assist.report import make_report, render, schema

STAMP = "2025-01-01T00:00:00+00:00"
UPDATE = os.environ.get("GREEN_ASSIST_UPDATE_GOLDENS") == "1"


@pytest.fixture
def in_data(data_dir, monkeypatch):
    """Run from the data folder so reports name the logs by relative path."""
    monkeypatch.chdir(data_dir)
    return data_dir


def rendered(fmt, compare=False):
    report = make_report(["before.jsonl"], ["after.jsonl"] if compare else None)
    return render(report, fmt, STAMP).replace(__version__, "VERSION")


@pytest.mark.parametrize(
    ("name", "fmt", "compare"),
    [
        ("session.md", "md", False),
        ("session.csv", "csv", False),
        ("comparison.md", "md", True),
        ("comparison.csv", "csv", True),
    ],
)
def test_output_matches_the_golden_file(in_data, name, fmt, compare):
    expected = in_data / "expected" / name
    text = rendered(fmt, compare)
    if UPDATE:
        expected.parent.mkdir(exist_ok=True)
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")


def test_csv_has_one_row_per_record_with_its_figures(in_data):
    records = read_log("before.jsonl").records
    rows = list(csv.DictReader(io.StringIO(rendered("csv"))))
    assert len(rows) == len(records)
    for row, record in zip(rows, records, strict=True):
        assert float(row["energy_j"]) == pytest.approx(record.energy_j)
        assert float(row["duration_s"]) == pytest.approx(record.duration_s)
        assert row["energy_method"] == record.energy_method
        assert row["cpu_method"] == record.energy["cpu"]["method"]
        assert row["status"] == record.status
    assert rows[-1]["error"] == "ValueError: a cell that fails is logged too"


def test_json_reports_validate_against_the_shipped_schema(in_data):
    validator = jsonschema.Draft202012Validator(schema())
    validator.check_schema(schema())
    session = json.loads(rendered("json"))
    comparison = json.loads(rendered("json", compare=True))
    validator.validate(session)
    validator.validate(comparison)
    records = read_log("before.jsonl").records
    totals = session["session"]["totals"]
    assert totals["cells"] == len(records) == len(session["session"]["cells"])
    assert totals["energy_j"] == pytest.approx(sum(r.energy_j for r in records))
    assert totals["flops"] == sum(r.flops for r in records if r.flops is not None)
    assert comparison["comparison"]["matched_pairs"] == 4
    # The schema is not vacuous: a report without totals, or a made-up kind, fails.
    del session["session"]["totals"]
    assert not validator.is_valid(session)
    assert not validator.is_valid({**comparison, "kind": "other"})


class Structure(HTMLParser):
    """Tags, attributes and text of a page, plus the text of each section."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.section: str | None = None
        self.text: dict[str | None, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag == "section":
            self.section = attributes.get("id")

    def handle_data(self, data):
        self.text[self.section] = self.text.get(self.section, "") + data

    def count(self, tag, classes=()):
        """Elements ``tag`` that have every class in ``classes``."""
        return sum(
            1
            for name, found in self.tags
            if name == tag and set(classes) <= set(found.get("class", "").split())
        )


def parse(html):
    page = Structure()
    page.feed(html)
    return page


def assert_self_contained(html):
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert "<img" not in html and "<iframe" not in html
    # The only URL is the SVG namespace, which browsers never fetch.
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", html))
    assert urls <= {"http://www.w3.org/2000/svg"}, urls


def test_session_html_structure(in_data):
    html = rendered("html")
    assert html.startswith("<!DOCTYPE html>")
    assert_self_contained(html)
    assert "@media print" in html
    page = parse(html)
    ids = [attrs.get("id") for tag, attrs in page.tags if tag == "section"]
    assert ids == ["totals", "timeline", "cells", "findings", "advice", "methods"]
    assert page.count("svg", ["chart"]) == 2
    records = read_log("before.jsonl").records
    rows = [attrs for tag, attrs in page.tags if tag == "tr"]
    tables = page.count("table")
    assert tables >= 5
    # Per-cell table: one body row per record (plus its header row).
    cells_html = html[html.index('<section id="cells">') : html.index('<section id="findings">')]
    assert cells_html.count("<tr>") == len(records) + 1
    assert rows  # tables have rows
    # This machine has no RAPL: every energy figure is an estimate and looks like one.
    assert page.count("span", ["fig", "estimated"]) > len(records)
    assert page.count("span", ["fig", "measured"]) == 0
    assert page.count("rect", ["estimated"]) == 2 * len(records)  # timeline + bars
    totals = page.text["totals"]
    assert "≈" in totals and "GFLOP" in totals
    findings = page.text["findings"]
    assert "GA109" in findings and "GA108" in findings and "Suggested refactor" in findings
    methods = page.text["methods"]
    for fact in ("AMD EPYC", "Ember", "2022", "PUE", "world average", "estimated with a model"):
        assert fact in methods, fact


def test_comparison_html_structure(in_data):
    html = rendered("html", compare=True)
    assert_self_contained(html)
    page = parse(html)
    ids = [attrs.get("id") for tag, attrs in page.tags if tag == "section"]
    assert ids == [
        "warnings",  # the failed cell exists only before
        "comparison",
        "pairs",
        "findings",
        "advice",
        "methods-before",
        "methods-after",
    ]
    assert page.count("svg", ["chart"]) == 1
    # The refactored code no longer computes in float64.
    assert "GA109" not in page.text["findings"]
    pairs = page.text["pairs"]
    for name in ("train", "eval", "In [1]", "label", "cell id", "one side only"):
        assert name in pairs, name
