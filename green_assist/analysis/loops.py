"""Training-loop awareness shared by rules that care about what happens every step.

A *training step loop* is a ``for``/``while`` loop with a ``.backward()`` call at
its own level (not only inside a nested loop). Code inside an ``if`` body or an
``except`` handler within the loop counts as *guarded* (it does not run every step).
Nested functions and classes start afresh: their body is not part of the loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from .helpers import BlockEvents, dotted_name, is_backward_call, method_name, receiver
from .names import target_names
from .rule import Rule


@dataclass
class LoopFrame:
    """One enclosing loop, as seen so far by the walk."""

    node: cst.For | cst.While
    targets: frozenset[str]
    parent: LoopFrame | None
    has_backward: bool = False
    contains_step_loop: bool = False
    guard_depth: int = 0
    backward_receivers: set[str] = field(default_factory=set)
    notes: list[Any] = field(default_factory=list)

    @property
    def is_step_loop(self) -> bool:
        return self.has_backward


class LoopAwareRule(BlockEvents, Rule):
    """Base for rules about training loops; override :meth:`on_call` and :meth:`on_loop_exit`.

    ``self.loop`` is the innermost enclosing loop (None outside loops or inside a
    nested function), ``self.guarded`` tells whether the current node is in an
    ``if`` body or ``except`` handler of that loop.
    """

    def setup(self) -> None:
        self._loops: list[LoopFrame | None] = []
        self._guarded_blocks: set[int] = set()
        self._guard_stack: list[bool] = []

    @property
    def loop(self) -> LoopFrame | None:
        return self._loops[-1] if self._loops else None

    @property
    def guarded(self) -> bool:
        frame = self.loop
        return frame is not None and frame.guard_depth > 0

    def on_call(self, node: cst.Call) -> None:
        """Called for every call, after backward() bookkeeping."""

    def on_loop_exit(self, frame: LoopFrame) -> None:
        """Called when a loop ends, with everything known about it."""

    def _enter_loop(self, node: cst.For | cst.While, targets: frozenset[str]) -> None:
        parent = self.loop
        self._loops.append(LoopFrame(node, targets, parent))

    def _leave_loop(self) -> None:
        frame = self._loops.pop()
        if frame is None:
            return
        if frame.parent is not None and (frame.has_backward or frame.contains_step_loop):
            frame.parent.contains_step_loop = True
        self.on_loop_exit(frame)

    def visit_For(self, node: cst.For) -> None:
        self._enter_loop(node, target_names(node.target))

    def leave_For(self, original_node: cst.For) -> None:
        self._leave_loop()

    def visit_While(self, node: cst.While) -> None:
        self._enter_loop(node, frozenset())

    def leave_While(self, original_node: cst.While) -> None:
        self._leave_loop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._loops.append(None)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._loops.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._loops.append(None)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._loops.pop()

    def visit_If(self, node: cst.If) -> None:
        self._guarded_blocks.add(id(node.body))
        if isinstance(node.orelse, cst.Else):
            self._guarded_blocks.add(id(node.orelse.body))

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        self._guarded_blocks.add(id(node.body))

    def _enter_block(self, node: cst.BaseSuite) -> None:
        guarded = id(node) in self._guarded_blocks and self.loop is not None
        self._guard_stack.append(guarded)
        if guarded:
            self.loop.guard_depth += 1  # type: ignore[union-attr]

    def _leave_block(self) -> None:
        if self._guard_stack.pop():
            self.loop.guard_depth -= 1  # type: ignore[union-attr]

    def visit_Call(self, node: cst.Call) -> None:
        frame = self.loop
        if frame is not None and is_backward_call(node):
            frame.has_backward = True
            name = backward_tensor(node)
            if name:
                frame.backward_receivers.add(name)
        self.on_call(node)


def backward_tensor(call: cst.Call) -> str | None:
    """The loss in ``loss.backward()``, ``scaler.scale(loss).backward()``, ``x.backward(loss)``."""
    if call.args and call.args[0].keyword is None:
        return _plain_name(call.args[0].value)
    owner = receiver(call)
    if isinstance(owner, cst.Call) and method_name(owner) == "scale" and owner.args:
        return _plain_name(owner.args[0].value)
    return _plain_name(owner)


def _plain_name(node: cst.BaseExpression | None) -> str | None:
    return dotted_name(node) if isinstance(node, (cst.Name, cst.Attribute)) else None
