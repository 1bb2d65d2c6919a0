"""Run one refactor on a program and judge the answer: the checks fuzzing and the sweep share.

A refactor's answer is acceptable when it does not raise, a change compiles,
running the refactor again on its own output changes nothing ("unchanged": the CLI's
exit 0 with "nothing to change"), and mixed precision follows PyTorch's AMP recipe:
no backward pass or optimizer step newly inside autocast, one GradScaler per training
loop, and an ``update()`` of it after its ``step()``.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from green_assist.refactor import refactor_text


@dataclass(frozen=True)
class Outcome:
    refactor: str
    status: str  # changed, unchanged, refused, error (input does not parse), crashed
    reason: str | None = None
    problem: str | None = None  # crashed, non-compiling, non-idempotent: a defect
    text: str | None = None  # the new text, when changed
    detail: str = ""


def judge(name: str, text: str, options: Mapping[str, Any] | None = None) -> Outcome:
    try:
        first = refactor_text(name, text, "program.py", options or {})
    except Exception as err:  # a refactor must answer, never raise
        return Outcome(name, "crashed", repr(err), "crashed")
    if not first.changed:
        return Outcome(name, first.status, first.reason)
    assert first.text is not None
    try:
        compile(first.text, "program.py", "exec")
    except SyntaxError as err:
        return Outcome(name, "changed", first.reason, "non-compiling", first.text, str(err))
    try:
        second = refactor_text(name, first.text, "program.py", options or {})
    except Exception as err:
        return Outcome(name, "changed", None, "crashed", first.text, f"second run: {err!r}")
    if second.status != "unchanged":
        detail = second.diff() if second.changed else f"{second.status}: {second.reason}"
        return Outcome(name, "changed", None, "non-idempotent", first.text, detail)
    recipe = amp_recipe_problems(text, first.text)
    if recipe:
        return Outcome(name, "changed", None, "wrong-amp", first.text, "; ".join(recipe))
    return Outcome(name, "changed", None, None, first.text)


def amp_recipe_problems(before: str, after: str) -> list[str]:
    """Where ``after`` breaks the AMP recipe in a way ``before`` did not."""
    problems = []
    old, new = _steps_under_autocast(before), _steps_under_autocast(after)
    if len(new) > len(old):
        problems.append("under autocast: " + ", ".join(new))
    for loop, scalers in _scalers_per_loop(ast.parse(after)).items():
        if len(scalers) > 1:
            problems.append(f"loop at line {loop} uses {len(scalers)} GradScalers")
        for scaler, (steps, updates) in scalers.items():
            if steps and not updates:
                problems.append(f"`{scaler}.step()` without `{scaler}.update()` (line {loop})")
    return problems


def _steps_under_autocast(text: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.With) or not any(
            _is_autocast(i.context_expr) for i in node.items
        ):
            continue
        for inner in (n for statement in node.body for n in ast.walk(statement)):
            if (
                isinstance(inner, ast.Call)
                and isinstance(inner.func, ast.Attribute)
                and inner.func.attr in ("backward", "step")
            ):
                found.append(f"{ast.unparse(inner)} (line {inner.lineno})")
    return found


def _is_autocast(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and ast.unparse(node.func).endswith("autocast")


def _scalers_per_loop(tree: ast.Module) -> dict[int, dict[str, tuple[int, int]]]:
    """{outermost loop's line: {scaler: (step calls, update calls)}} for loops that scale."""
    created = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and ast.unparse(node.value.func).endswith("GradScaler")
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    loops: dict[int, dict[str, tuple[int, int]]] = {}
    for loop in _outermost_loops(tree):
        uses: dict[str, Counter[str]] = {}
        for node in ast.walk(loop):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in created
            ):
                uses.setdefault(node.func.value.id, Counter())[node.func.attr] += 1
        if uses:
            loops[loop.lineno] = {name: (c["step"], c["update"]) for name, c in uses.items()}
    return loops


def _outermost_loops(node: ast.AST) -> list[ast.For | ast.While]:
    found: list[ast.For | ast.While] = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.For, ast.While)):
            found.append(child)
        else:
            found.extend(_outermost_loops(child))
    return found
