"""Fixture pairs: ``tests/fixtures/refactor/<name>/x.in.py`` -> ``x.out.py`` (or ``x.refused.txt``).

Every output is also refactored again and must come back unchanged (idempotency).
Notebook pairs (``.in.ipynb`` -> ``.out.ipynb``) must leave cells that the refactor
does not need to change exactly as they were: source, id, outputs and metadata.
"""

import json

import pytest

from green_assist.refactor import refactor_path

from .conftest import companion, fixture_inputs, fixture_options


@pytest.mark.parametrize(("name", "path"), list(fixture_inputs()))
def test_fixture(name, path):
    options = fixture_options(path)
    result = refactor_path(name, path, options)
    refused = companion(path, "refused")
    if refused.exists():
        assert result.status == "refused", result.diff()
        assert refused.read_text(encoding="utf-8").strip() in result.reason
        return
    expected_path = companion(path, "out")
    assert result.status in ("changed", "unchanged"), result.reason
    if path.suffix == ".ipynb":
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        new = result.notebook if result.changed else json.loads(path.read_text(encoding="utf-8"))
        assert new == expected
        _untouched_cells_identical(path, result)
    else:
        assert result.text == expected_path.read_text(encoding="utf-8")
    again = refactor_path(name, expected_path, options)
    assert again.status == "unchanged", again.diff() or again.reason


def _untouched_cells_identical(path, result):
    original = json.loads(path.read_text(encoding="utf-8"))
    changed = {change.index for change in result.cells}
    new_cells = result.notebook["cells"] if result.notebook else original["cells"]
    for index, cell in enumerate(original["cells"]):
        if index not in changed:
            assert new_cells[index] == cell
        else:
            kept = {k: v for k, v in cell.items() if k != "source"}
            assert {k: v for k, v in new_cells[index].items() if k != "source"} == kept
