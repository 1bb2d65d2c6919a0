"""What the rules and refactors are, described once for every front end.

``green-assist rule --format json``, the server's analysis payload (``rules``), the
server's refactor list (``GET /green-assist/refactors``, from which the sidebar registers
its commands) and the language server's code actions all take their descriptions from
here.
"""

from __future__ import annotations

from typing import Any

from .analysis.rule import Rule
from .refactor.base import Refactor
from .refactor.registry import REFACTORS, refactors_answering


def rule_info(rule: type[Rule]) -> dict[str, Any]:
    """A rule: code, name, summary, severity, options, its documentation and its refactor."""
    return {
        "code": rule.code,
        "name": rule.name,
        "summary": rule.summary,
        "severity": rule.severity.value,
        "fixable": rule.fixable,
        "options": {name: option.default for name, option in rule.options.items()},
        "doc": {
            "what": rule.doc.what,
            "why": rule.doc.why,
            "example": rule.doc.example,
            "fix": rule.doc.fix,
            "fixed_example": rule.doc.fixed_example,
            "sources": list(rule.doc.sources),
        },
        # The refactor whose result fixes this rule's findings (the sidebar's "Fix").
        "refactor": next((r.name for r in refactors_answering(rule.code)), None),
    }


def refactor_info(refactor: type[Refactor]) -> dict[str, Any]:
    """A refactor: name, title, summary, the rules it answers and its options."""
    return {
        "name": refactor.name,
        "title": refactor.title,
        "summary": refactor.summary,
        "answers": list(refactor.answers),
        "options": {
            key: {"default": option.default, "help": option.help}
            for key, option in refactor.options.items()
        },
    }


def all_refactor_info() -> list[dict[str, Any]]:
    """Every refactor, in the order menus offer them."""
    return [refactor_info(refactor) for refactor in REFACTORS.values()]
