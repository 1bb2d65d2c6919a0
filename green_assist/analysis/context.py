"""What a rule sees while it runs: the module, name resolution, and a place to report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from .names import NameResolver

if TYPE_CHECKING:
    from .rule import ProposedFix, Rule


@dataclass
class RawFinding:
    """A finding before positions are known: the node, and where the walk was when reported."""

    rule: type[Rule]
    node: cst.CSTNode
    message: str
    fix: ProposedFix | None
    statement_hint: int | None


class RuleContext:
    """Shared by all rules of one pass over one module."""

    def __init__(self, module: cst.Module, text: str, path: str, names: NameResolver) -> None:
        self.module = module
        self.text = text
        self.path = path
        self.names = names
        self.findings: list[RawFinding] = []
        # Index in ``module.body`` of the top-level statement being walked; the
        # walker keeps it current, positions are then computed per statement.
        self.statement_index: int | None = None

    def report(self, rule: Rule, node: cst.CSTNode, message: str, fix: ProposedFix | None) -> None:
        self.findings.append(RawFinding(type(rule), node, message, fix, self.statement_index))
