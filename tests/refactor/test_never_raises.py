"""Every refactor on every analyzer fixture: an answer (never an exception), valid code."""

import ast
from pathlib import Path

import pytest

from green_assist.refactor import REFACTORS, refactor_path

ANALYZER_FIXTURES = sorted(
    p
    for p in (Path(__file__).parent.parent / "fixtures").glob("GA*/*")
    if p.suffix in (".py", ".ipynb")
)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(REFACTORS))
def test_refactors_answer_on_every_fixture(name):
    for path in ANALYZER_FIXTURES:
        result = refactor_path(name, path)
        assert result.status in ("changed", "unchanged", "refused"), (path, result.reason)
        if result.status == "refused":
            assert result.reason
        for change in result.cells:
            assert change.new != change.old
        if result.text is not None:
            ast.parse(result.text)
