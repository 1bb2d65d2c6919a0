"""Every figure shows how it was obtained: measurements and estimates never look alike."""

from __future__ import annotations

import json
import re

import jsonschema

from green_assist.report import build_report, load_sessions, render, schema

from .records import record, write_log


def report_of(tmp_path, records):
    return build_report(load_sessions([write_log(tmp_path / "s.jsonl", records)]))


def mixed_record(count, gpu_method="counter", cpu_method="estimated"):
    energy = {
        "cpu": {"joules": 10.0, "method": cpu_method, "reason": "no RAPL", "detail": {}},
        "gpu:0": {"joules": 90.0, "method": gpu_method, "reason": None, "detail": {}},
    }
    return record(count, joules=100.0, energy=energy, energy_method=cpu_method)


def test_measured_cells_are_solid_and_tagged_with_their_method(tmp_path):
    html = render(report_of(tmp_path, [record(1, method="counter", joules=50.0)]), "html")
    assert 'class="fig measured" data-method="counter"' in html
    assert '<span class="tag measured">counter</span>' in html
    assert 'class="fig estimated"' not in html.split('id="methods"')[0]
    bars = re.findall(r'<rect [^>]*class="(measured|estimated)"', html)
    assert bars and set(bars) == {"measured"}
    assert "url(#" not in "".join(re.findall(r'<rect [^>]*class="measured"[^>]*>', html))


def test_a_total_is_as_certain_as_its_least_certain_part(tmp_path):
    report = report_of(tmp_path, [mixed_record(1)])
    assert report.totals.energy_method == "estimated"
    components = {c.component: c.method for c in report.methods.components}
    assert components == {"cpu": "estimated", "gpu:0": "counter"}
    html = render(report, "html")
    totals = html[html.index('id="totals"') : html.index('id="timeline"')]
    assert "≈ 100 J" in totals and "fig measured" not in totals
    # The per-component breakdown keeps the GPU's counter figure a measurement.
    assert re.search(r'class="fig measured" data-method="counter"[^>]*>90 J<', html)


def test_a_method_from_a_newer_version_is_not_shown_as_a_measurement(tmp_path):
    html = render(report_of(tmp_path, [record(1, method="quantum-sensor")]), "html")
    assert 'class="fig estimated" data-method="quantum-sensor"' in html
    assert "a method this version does not know" in html
    markdown = render(report_of(tmp_path, [record(1, method="quantum-sensor")]), "md")
    assert "≈ 36 J" in markdown


def test_unknown_figures_stay_unknown_and_still_validate(tmp_path):
    records = [
        record(1, joules=None, energy_missing=["cpu"]),
        record(2, carbon_intensity_g_per_kwh=None, co2e_g=None, pue=None, carbon={}),
        record(3, flops=123, flops_complete=False),
    ]
    report = report_of(tmp_path, records)
    assert report.totals.energy_unknown == 1 and report.totals.energy_j == 72.0
    assert report.totals.flops_complete is False
    document = json.loads(render(report, "json"))
    jsonschema.Draft202012Validator(schema()).validate(document)
    html = render(report, "html")
    assert "1 cell(s) without an energy figure not included" in html
    assert "≥ 123 FLOP" in html  # a count that misses operations is a lower bound
    markdown = render(report, "md")
    assert "| In \\[1\\] | 2 s | unknown | unknown | not counted |" in markdown


def test_findings_name_the_one_click_refactor_that_answers_them(tmp_path):
    source = "import torch\nscaler = torch.cuda.amp.GradScaler()\n"
    report = report_of(tmp_path, [record(1, source=source)])
    (finding,) = report.code.findings
    assert finding.code == "GA103"
    assert [c["name"] for c in finding.codemods] == ["mixed-precision"]
    assert "green-assist refactor mixed-precision" in render(report, "html")
