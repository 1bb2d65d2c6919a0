"""``# green: ignore[GA101, GA108]`` and ``# green: ignore`` comments.

A comment silences findings that start on its line. Without a code list it
silences every rule on that line.
"""

from __future__ import annotations

import re

from .lines import split_lines

ALL_CODES = "*"
_COMMENT_RE = re.compile(r"#\s*green:\s*ignore(?:\[([^\]]*)\])?")


def suppressions(text: str) -> dict[int, frozenset[str]]:
    """{1-based line: codes silenced there}; ``{"*"}`` means every code."""
    if "green:" not in text:
        return {}
    found: dict[int, frozenset[str]] = {}
    for number, line in enumerate(split_lines(text), start=1):
        if "#" not in line:
            continue
        match = _COMMENT_RE.search(line)
        if match is None:
            continue
        listed = match.group(1)
        if listed is None or not listed.strip():
            found[number] = frozenset({ALL_CODES})
        else:
            found[number] = frozenset(
                code.strip().upper() for code in listed.split(",") if code.strip()
            )
    return found


def is_suppressed(silenced: dict[int, frozenset[str]], line: int, code: str) -> bool:
    codes = silenced.get(line)
    if not codes:
        return False
    return ALL_CODES in codes or code in codes
