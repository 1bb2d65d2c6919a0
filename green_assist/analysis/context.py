"""What a rule sees while it runs: the module, name resolution, and a place to report."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import libcst as cst

from ..target import ANY, Target
from .names import NameResolver
from .tables import (
    ACCELERATOR_WORDS,
    COMMENTED_LINE,
    CUDA_OR_XPU_TARGET,
    DEVICE_MENTION,
    MOVES_WORK,
)

if TYPE_CHECKING:
    from .program import Program
    from .rule import ProposedFix, Rule


@dataclass
class RawFinding:
    """A finding before positions are known."""

    rule: type[Rule]
    node: cst.CSTNode
    message: str
    fix: ProposedFix | None
    # Evidence elsewhere in the module: (node, message, enclosing function or None).
    related: tuple[Evidence, ...] = ()


# A related location as a rule gives it: the node, what it shows, the function it is in.
Evidence = tuple[cst.CSTNode, str, str | None]


@dataclass
class StatementMap:
    """Filled by the walker: where each node sits, for positions (see positions.py)."""

    # id(node) -> its innermost statement line or compound statement (None: module level)
    owner: dict[int, cst.CSTNode | None] = field(default_factory=dict)
    # statements and one-line suites (``if x: a; b``) in source order
    sequence: list[cst.CSTNode] = field(default_factory=list)
    # ids of ``elif`` branches (If nodes that are the ``orelse`` of an If)
    elifs: set[int] = field(default_factory=set)


class RuleContext:
    """Shared by all rules of one pass over one module."""

    def __init__(
        self,
        module: cst.Module,
        text: str,
        path: str,
        names: NameResolver,
        target: Target = ANY,
    ) -> None:
        self.module = module
        self.text = text
        self.path = path
        self.names = names
        self.target = target  # the hardware the advice is for
        self.findings: list[RawFinding] = []
        self.statements = StatementMap()
        # The program model (program.py), when a selected rule asks for it.
        self.program: Program | None = None

    # Read by GA101 and GA107 only, so computed on first use rather than for every file.
    @cached_property
    def code(self) -> str:
        """The text without its comments (commented-out code such as ``# .cuda()``)."""
        text = self.text
        return COMMENTED_LINE.sub(_without_comment, text) if "#" in text else text

    @cached_property
    def mentions_device(self) -> bool:
        """Code that never names an accelerator, or never moves work to one, runs on the
        CPU (see DEVICE_MENTION, MOVES_WORK)."""
        return bool(DEVICE_MENTION.search(self.code) and MOVES_WORK.search(self.code))

    @cached_property
    def names_accelerator(self) -> bool:
        """A cuda/xpu/mps word, not only "device" (then GA101 asks whether it is the CPU)."""
        return ACCELERATOR_WORDS.search(self.code) is not None

    @cached_property
    def targets_cuda_or_xpu(self) -> bool:
        """Code that names CUDA or XPU outside comments, other than to seed it or to ask
        whether it is there: where pinned host memory speeds up copies (CPU code that seeds
        CUDA when it happens to exist is no such target)."""
        return CUDA_OR_XPU_TARGET.search(self.code) is not None

    def report(
        self,
        rule: Rule,
        node: cst.CSTNode,
        message: str,
        fix: ProposedFix | None,
        related: tuple[Evidence, ...] = (),
    ) -> None:
        self.findings.append(RawFinding(type(rule), node, message, fix, related))


def _without_comment(line: re.Match[str]) -> str:
    """The line up to its comment: the first ``#`` outside a one-line string literal (a
    string spanning lines is not followed; this only decides whether code names a device)."""
    text = line.group(0)
    quote = ""
    for index, char in enumerate(text):
        if quote:
            if char == quote and text[index - 1] != "\\":
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#":
            return text[:index]
    return text
