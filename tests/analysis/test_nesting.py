"""Absurdly nested brackets come back as a syntax error instead of crashing the process.

libcst's native parser overflows its stack near 2,000 levels and takes the process
(the Jupyter server, the language server) down with it. These run in a subprocess so
that a regression shows as a failed test, not a dead test run.
"""

import subprocess
import sys

from green_assist.analysis import analyze_source
from green_assist.analysis.nesting import SUSPICIOUS_DEPTH, bracket_depth

DEEP = "x = " + "(" * 3000 + "1" + ")" * 3000 + "\n"


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_analysis_reports_deep_nesting_as_a_syntax_error():
    result = run_python(
        "from green_assist.analysis import analyze_source\n"
        f"r = analyze_source({DEEP!r}, path='deep.py')\n"
        "print(r.errors[0].kind.value, '|', r.errors[0].message)\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("syntax |")
    assert "nested" in result.stdout


def test_refactor_reports_deep_nesting_as_an_error():
    result = run_python(
        "from green_assist.refactor import refactor_text\n"
        f"r = refactor_text('mixed-precision', {DEEP!r})\n"
        "print(r.status, '|', r.reason)\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("error |")


def test_brackets_in_strings_and_comments_do_not_count():
    text = 'a = "' + "(" * 500 + '"  # ' + "[" * 500 + "\nb = f(g([1]))\n"
    assert bracket_depth(text) == 3
    assert analyze_source(text, path="strings.py").errors == []


def test_moderate_nesting_is_analysed_normally():
    depth = SUSPICIOUS_DEPTH + 20  # checked by Python, which accepts up to 200
    text = "x = " + "(" * depth + "1" + ")" * depth + "\n"
    assert analyze_source(text, path="ok.py").errors == []
