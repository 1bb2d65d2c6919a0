"""Keep input that would crash libcst's native parser away from it.

libcst parses in native code, and on brackets nested a few thousand deep it
overflows its stack and kills the whole process (the Jupyter server or language
server with it); CPython's own parser refuses more than 200 levels with a
``SyntaxError``. So: strings and comments are removed (their brackets do not
nest), the remaining brackets are counted, and only a text that may nest deeper
than ``SUSPICIOUS_DEPTH`` is handed to ``ast.parse`` for Python's verdict. That
costs about a millisecond on a 500-line file instead of the ~15 ms of parsing
every text twice.
"""

from __future__ import annotations

import ast
import re
import warnings

# Python accepts up to 200 nested brackets; libcst has been seen to crash near 2,000.
SUSPICIOUS_DEPTH = 150

_STRINGS_AND_COMMENTS = re.compile(
    r"""(?x)
    [rRbBuUfF]{0,2}(?:'''[\s\S]*?'''|\"\"\"[\s\S]*?\"\"\")   # triple-quoted strings
    | [rRbBuUfF]{0,2}(?:'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*")  # one-line strings
    | \#[^\n]*                                                 # comments
    """
)
_BRACKETS = re.compile(r"[()\[\]{}]")


def bracket_depth(text: str) -> int:
    """The deepest bracket nesting outside strings and comments (never below zero)."""
    code = _STRINGS_AND_COMMENTS.sub("", text)
    depth = deepest = 0
    for bracket in _BRACKETS.findall(code):
        if bracket in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif depth:
            depth -= 1
    return deepest


def check_nesting(text: str) -> None:
    """Raise ``SyntaxError`` (Python's own) for code nested too deeply to parse safely."""
    if bracket_depth(text) <= SUSPICIOUS_DEPTH:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        ast.parse(text)  # raises "too many nested parentheses" beyond Python's limit
