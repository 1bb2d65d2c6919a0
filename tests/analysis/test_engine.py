"""The engine: one pass, name resolution, errors instead of exceptions, suppressions."""

import libcst as cst
import pytest

from green_assist.analysis import (
    Config,
    ErrorKind,
    Rule,
    RuleDoc,
    analyze_cells,
    analyze_notebook,
    analyze_path,
    analyze_source,
)
from green_assist.analysis.names import target_names

AMP = "import torch\nscaler = torch.cuda.amp.GradScaler()\n"


def codes(result):
    return [(f.code, f.line) for f in result.findings]


def test_finding_names_the_call_and_has_a_position():
    result = analyze_source(AMP, "train.py")
    assert result.errors == []
    (finding,) = result.findings
    assert (finding.code, finding.path) == ("GA103", "train.py")
    assert "torch.cuda.amp.GradScaler()" in finding.message
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (2, 10, 2, 37)


def test_aliases_resolve_through_imports():
    source = (
        "import torch.cuda.amp as amp\nfrom torch.cuda.amp import autocast as ac\n"
        "with amp.autocast():\n    pass\nwith ac():\n    pass\n"
    )
    assert codes(analyze_source(source)) == [("GA103", 3), ("GA103", 5)]


def test_rebound_import_falls_back_to_qualified_name_provider():
    source = "import torch\ndef f(torch):\n    return torch.cuda.amp.GradScaler()\n" + AMP
    assert codes(analyze_source(source)) == [("GA103", 5)]
    assert codes(analyze_source(source, name_resolution="qualified-name-provider")) == [
        ("GA103", 5)
    ]


def test_snippet_without_imports_still_matches_spelled_out_names():
    assert codes(analyze_source("s = torch.cuda.amp.GradScaler()\n")) == [("GA103", 1)]


def test_syntax_error_is_a_file_error_with_python_message():
    result = analyze_source("x = (1,\n", "bad.py")
    (error,) = result.errors
    assert error.kind is ErrorKind.SYNTAX and error.line == 1
    assert "never closed" in error.message
    assert result.findings == []


def test_empty_source_is_a_note_not_a_failure():
    (error,) = analyze_source("  \n", "empty.py").errors
    assert error.kind is ErrorKind.EMPTY and not error.blocking


def test_too_large_source_is_refused():
    result = analyze_source(AMP * 10, config=Config(max_file_size=50))
    assert [e.kind for e in result.errors] == [ErrorKind.TOO_LARGE]


def test_notebook_broken_cell_is_reported_and_the_rest_analysed():
    result = analyze_cells(["import torch\n", "def f(:\n", "s = torch.cuda.amp.GradScaler()\n"])
    assert [(e.kind, e.cell, e.line) for e in result.errors] == [(ErrorKind.SYNTAX, 1, 1)]
    assert [(f.code, f.cell, f.line) for f in result.findings] == [("GA103", 2, 1)]


def test_notebook_magics_and_cell_ids():
    notebook = {
        "nbformat": 4,
        "metadata": {"kernelspec": {"language": "python"}},
        "cells": [
            {"cell_type": "code", "id": "a1", "source": ["%matplotlib inline\n", "import torch\n"]},
            {
                "cell_type": "code",
                "id": "b2",
                "source": "!nvidia-smi\ns = torch.cuda.amp.GradScaler()",
            },
        ],
    }
    (finding,) = analyze_notebook(notebook, "nb.ipynb").findings
    assert (finding.cell, finding.cell_id, finding.line, finding.column) == (1, "b2", 2, 5)


def test_suppression_comments():
    source = (
        "import torch\n"
        "a = torch.cuda.amp.GradScaler()  # green: ignore[GA103]\n"
        "b = torch.cuda.amp.GradScaler()  # green: ignore\n"
        "c = torch.cuda.amp.GradScaler()  # green: ignore[GA101]\n"
    )
    assert codes(analyze_source(source)) == [("GA103", 4)]


def test_select_and_ignore():
    source = AMP + "from torch.utils.data import DataLoader\nl = DataLoader(ds)\n"
    assert {c for c, _ in codes(analyze_source(source))} == {"GA103", "GA107"}
    only = Config().with_overrides(select=["GA107"])
    assert {c for c, _ in codes(analyze_source(source, config=only))} == {"GA107"}
    ignored = Config().with_overrides(ignore=["GA10"])
    assert codes(analyze_source(source, config=ignored)) == []


class CrashingRule(Rule):
    code = "GA999"
    name = "crashes"
    summary = "a rule with a bug"
    doc = RuleDoc(what="", why="", example="", fix="")

    def visit_Call(self, node: cst.Call) -> None:
        raise ZeroDivisionError("bug in the rule")


def test_a_crashing_rule_is_reported_and_the_others_still_run():
    from green_assist.analysis import get_rule

    result = analyze_source(AMP, rules=[CrashingRule, get_rule("GA103")])
    assert [e.kind for e in result.errors] == [ErrorKind.INTERNAL]
    assert "GA999" in result.errors[0].message
    assert codes(result) == [("GA103", 2)]


def test_analyze_path_reads_config_from_nearest_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.green-assist]\nignore = ["GA103"]\n')
    (tmp_path / "pkg").mkdir()
    script = tmp_path / "pkg" / "train.py"
    script.write_text(AMP)
    assert analyze_path(script).findings == []
    assert codes(analyze_path(script, Config())) == [("GA103", 2)]


@pytest.mark.parametrize(
    ("target", "names"),
    [
        ("x", {"x"}),
        ("a, (b, c)", {"a", "b", "c"}),
        ("[first, *rest]", {"first", "rest"}),
        ("self.model, batch[0]", set()),  # attributes and subscripts bind no plain name
    ],
)
def test_target_names_flattens_every_kind_of_target(target, names):
    statement = cst.parse_statement(f"{target} = value\n")
    (assign,) = statement.body  # type: ignore[attr-defined]
    assert target_names(assign.targets[0].target) == names


def test_marimo_cells_receive_modules_as_parameters():
    """In a marimo app a cell's parameter named like an imported module is that module."""
    cell = "def _(torch):\n    return torch.cuda.amp.GradScaler()\n"
    assert codes(analyze_source("import torch\n" + cell)) == []
    assert codes(analyze_source("import marimo\nimport torch\n" + cell)) == [("GA103", 4)]


DEAD_TRAIN = (
    "import torch\n"
    "{decorator}def old_train(model, x, optimizer):\n"
    "    for step in range(100):\n"
    "        model(x).sum().backward()\n"
    "        optimizer.step()\n"
    "        print(model(x).sum().item())\n"
    "if __name__ == '__main__':\n"
    "    model = torch.nn.Linear(2, 2).cuda()\n"
    "    {call}\n"
)


def test_a_scripts_function_that_nothing_calls_reports_nothing():
    """Findings inside a script's function that nothing refers to are dropped (it never
    runs); a call, a decorator, a library module or a run-time lookup keeps them."""

    def found(decorator="", call="pass", head=""):
        text = head + DEAD_TRAIN.format(decorator=decorator, call=call)
        return {code for code, _ in codes(analyze_source(text))}

    assert "GA108" not in found(call="# old_train(model, x, opt)")
    assert "GA108" in found(call="old_train(model, x, opt)")
    assert "GA108" in found(call="run = old_train")
    assert "GA108" in found(decorator="@app.command()\n")
    assert "GA108" in found(call="getattr(__import__('__main__'), 'old_train')")
    library = DEAD_TRAIN.format(decorator="", call="pass").split("if __name__")[0]
    assert "GA108" in {code for code, _ in codes(analyze_source(library))}


def test_functions_that_frameworks_or_tests_call_keep_their_findings():
    def found(text):
        return {code for code, _ in codes(analyze_source(text))}

    fire = DEAD_TRAIN.format(decorator="", call="fire.Fire()")
    assert "GA108" in found("import fire\n" + fire)
    as_test = DEAD_TRAIN.format(decorator="", call="pass").replace("old_train", "test_train")
    assert "GA108" in found(as_test)
    library_guard = DEAD_TRAIN.format(decorator="", call="pass").replace("==", "!=")
    assert "GA108" in found(library_guard)
