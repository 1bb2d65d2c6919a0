"""Per-rule fixtures: ``tests/fixtures/<code>/*.py|*.ipynb`` with ``# expect: <code>`` markers.

A marker on a line means "a finding of this rule starts on this line"; lines
without a marker must have none (files without markers are true negatives that
look like positives). ``name.fixed.py`` next to ``name.py`` is what ``--fix``
with unsafe fixes must produce.
"""

import json
import re
from pathlib import Path

import pytest

from green_assist.analysis import Config, all_rules, analyze_path
from green_assist.analysis.engine import analyze_loaded
from green_assist.analysis.fixes import fix_result
from green_assist.analysis.sources import load_path

FIXTURES = Path(__file__).parent.parent / "fixtures"
MARKER = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")


def fixture_files():
    for folder in sorted(FIXTURES.glob("GA*")):
        for path in sorted(folder.iterdir()):
            if path.suffix in (".py", ".ipynb") and not path.name.endswith(".fixed.py"):
                yield pytest.param(folder.name, path, id=f"{folder.name}/{path.name}")


def cell_sources(path):
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text())["cells"]
        for index, cell in enumerate(cells):
            source = cell["source"]
            yield index, "".join(source) if isinstance(source, list) else source
    else:
        yield None, path.read_text()


def expected(path, code):
    wanted = set()
    for cell, text in cell_sources(path):
        for number, line in enumerate(text.splitlines(), start=1):
            match = MARKER.search(line)
            if match and code in {c.strip() for c in match.group(1).split(",")}:
                wanted.add((cell, number))
    return wanted


def only(code):
    return Config().with_overrides(select=[code])


@pytest.mark.parametrize(("code", "path"), list(fixture_files()))
def test_fixture_findings(code, path):
    result = analyze_path(path, only(code))
    assert [e for e in result.errors if e.blocking] == []
    found = {(f.cell, f.line) for f in result.findings}
    assert found == expected(path, code), [f.message for f in result.findings]
    for finding in result.findings:
        assert finding.message and finding.code == code


@pytest.mark.parametrize(("code", "path"), list(fixture_files()))
def test_fixture_same_with_qualified_name_provider(code, path):
    """The import table and libcst's QualifiedNameProvider must agree on every fixture."""
    fast = analyze_path(path, only(code))
    slow = analyze_loaded(load_path(path), only(code), "qualified-name-provider")
    assert [f.to_dict() for f in fast.findings] == [f.to_dict() for f in slow.findings]


@pytest.mark.parametrize(
    ("code", "path"),
    [p for p in fixture_files() if p.values[1].with_suffix(".fixed.py").exists()],
)
def test_fixture_fixes(code, path):
    result = analyze_path(path, only(code))
    outcome = fix_result(result, unsafe=True)
    assert outcome is not None and outcome.applied
    assert outcome.fixed == path.with_suffix(".fixed.py").read_text()
    again = fix_result(analyze_path(path.with_suffix(".fixed.py"), only(code)), unsafe=True)
    assert again is not None and not again.applied, "fixes must be idempotent"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_every_rule_has_positive_and_negative_fixtures(rule):
    files = [p.values[1] for p in fixture_files() if p.values[0] == rule.code]
    positives = [path for path in files if expected(path, rule.code)]
    assert positives, f"{rule.code} has no fixture with findings"
    assert len(positives) < len(files), f"{rule.code} has no true-negative fixture"
