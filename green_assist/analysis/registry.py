"""All rules by code, and selection by code or prefix (``GA1``, ``GA108``, ``ALL``)."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from .rule import Rule


@functools.lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule, ordered by code (the list lives in ``rules/__init__.py``)."""
    from .rules import ALL_RULES

    return tuple(sorted(ALL_RULES, key=lambda rule: rule.code))


def get_rule(code: str) -> type[Rule]:
    """The rule with this code; ``KeyError`` with the known codes when there is none."""
    wanted = code.strip().upper()
    for rule in all_rules():
        if rule.code == wanted:
            return rule
    known = ", ".join(rule.code for rule in all_rules())
    raise KeyError(f"no rule {code!r}; known rules: {known}")


def _matches(code: str, patterns: Iterable[str]) -> bool:
    return any(pattern == "ALL" or code.startswith(pattern) for pattern in patterns)


def select_rules(select: Iterable[str] = ("ALL",), ignore: Iterable[str] = ()) -> list[type[Rule]]:
    """Rules matching any of ``select`` and none of ``ignore``."""
    select, ignore = list(select), list(ignore)
    return [
        rule
        for rule in all_rules()
        if _matches(rule.code, select) and not _matches(rule.code, ignore)
    ]
