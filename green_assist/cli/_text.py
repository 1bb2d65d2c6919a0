"""Help text for people: module docstrings without reStructuredText marks, wrapped lists."""

from __future__ import annotations

import re
import shutil
import textwrap

_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")


def plain(doc: str | None) -> str:
    """A docstring as ``--help`` text: ``code`` and :role:`name` marks removed."""
    return _ROLE.sub(r"\1", doc or "").replace("``", "").strip()


def hanging(text: str, indent: int, more: int = 4) -> str:
    """``text`` wrapped to the terminal (at most 100 columns), later lines indented further."""
    width = min(shutil.get_terminal_size((100, 24)).columns, 100) - 2
    return textwrap.fill(
        text,
        width=max(width, 40),
        initial_indent=" " * indent,
        subsequent_indent=" " * (indent + more),
        break_long_words=False,
        break_on_hyphens=False,
    )
