"""Static analysis of ML code for energy waste: libcst rules GA101-GA115.

Public API::

    from green_assist.analysis import analyze_source, analyze_path

    result = analyze_source(text, path="train.py")
    for finding in result.findings:        # Finding: code, message, line, column, fix...
        print(finding.code, finding.message)
    for error in result.errors:            # FileError: syntax errors, bad encoding, too large
        print(error.location(), error.message)

* ``analyze_source`` / ``analyze_notebook`` / ``analyze_cells`` / ``analyze_path``
  (``engine.py``) never raise for bad input; they return errors in the result.
* Rules are ``Rule`` subclasses (``rule.py``), listed in ``rules/__init__.py``;
  ``all_rules()`` / ``get_rule(code)`` (``registry.py``).
* Notebooks: ``sources.NotebookSource`` masks IPython syntax and maps positions
  back to cells; ``split_cells`` maps a rewritten module back into cells.
* Settings: ``load_config(path)`` reads ``[tool.green-assist]`` (``config.py``).
"""

from __future__ import annotations

from .config import Config, ConfigError, load_config
from .engine import analyze_cells, analyze_loaded, analyze_notebook, analyze_path, analyze_source
from .findings import AnalysisResult, Edit, ErrorKind, FileError, Finding, Fix, Severity
from .registry import all_rules, get_rule, select_rules
from .rule import ProposedFix, Rule, RuleDoc, RuleOption
from .sources import CellSplitError, NotebookSource, PythonSource, load_path

__all__ = [
    "AnalysisResult",
    "CellSplitError",
    "Config",
    "ConfigError",
    "Edit",
    "ErrorKind",
    "FileError",
    "Finding",
    "Fix",
    "NotebookSource",
    "ProposedFix",
    "PythonSource",
    "Rule",
    "RuleDoc",
    "RuleOption",
    "Severity",
    "all_rules",
    "analyze_cells",
    "analyze_loaded",
    "analyze_notebook",
    "analyze_path",
    "analyze_source",
    "get_rule",
    "load_config",
    "load_path",
    "select_rules",
]
