"""Property: on any valid Python the analyzer returns a result and never raises."""

import hypothesmith
from hypothesis import HealthCheck, given, settings

from green_assist.analysis import analyze_cells, analyze_source


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
@given(hypothesmith.from_grammar())
def test_analyzer_never_raises_on_valid_python(source):
    result = analyze_source(source, "generated.py")
    assert [e for e in result.errors if e.kind.value == "internal"] == []
    notebook = analyze_cells([source, "%time x = 1\n" + source])
    assert [e for e in notebook.errors if e.kind.value == "internal"] == []
