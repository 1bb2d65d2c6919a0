"""Inference and evaluation: forward passes that need no autograd."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from ..findings import Severity
from ..helpers import describe, dotted_name, is_false, is_true, method_name, receiver
from ..rule import ProposedFix, Rule, RuleDoc
from ..tables import AUTOGRAD_CALLS, NO_GRAD, SET_GRAD_ENABLED


@dataclass
class _Scope:
    """A function body (or the module): which models were put in eval mode, and when."""

    grad_off: bool
    evaluated: set[str] = field(default_factory=set)
    candidates: list[tuple[cst.Call, str]] = field(default_factory=list)
    uses_autograd: bool = False


class InferenceWithAutograd(Rule):
    code = "GA106"
    name = "inference-with-autograd"
    summary = "evaluation/inference forward passes outside `torch.no_grad()`/`inference_mode()`"
    severity = Severity.WARNING
    needs_qualified_names = True
    triggers = ("eval", "train(")
    doc = RuleDoc(
        what=(
            "Finds calls of a model (`model(x)` or `model.forward(x)`) made after "
            "`model.eval()` (or `model.train(False)`) in the same function or at module level, "
            "outside `with torch.no_grad():`/`torch.inference_mode():` and not in a function "
            "decorated with `@torch.no_grad()`/`@torch.inference_mode()` or after "
            "`torch.set_grad_enabled(False)`. A scope that calls `.backward()` or "
            "`torch.autograd.grad` (saliency maps, frozen batch norm while training) is left "
            "alone."
        ),
        why=(
            "With autograd on, every forward pass records the graph and keeps the activations "
            "needed for a backward pass that never comes: more memory traffic, more memory "
            "(smaller batches fit), and extra bookkeeping per operation. `inference_mode` also "
            "skips view and version-counter tracking. `model.eval()` changes layer behaviour "
            "(dropout, batch norm), not autograd."
        ),
        example=("model.eval()\nfor x, y in val_loader:\n    preds = model(x)\n"),
        fix=(
            "Wrap evaluation in `with torch.inference_mode():` (or `torch.no_grad()` when the "
            "outputs are later used with autograd), or decorate the evaluation function with "
            "`@torch.inference_mode()`."
        ),
        fixed_example=(
            "model.eval()\n"
            "with torch.inference_mode():\n"
            "    for x, y in val_loader:\n"
            "        preds = model(x)\n"
        ),
        sources=(
            "PyTorch documentation, Autograd mechanics, Locally disabling gradient computation: "
            "https://pytorch.org/docs/stable/notes/autograd.html"
            "#locally-disabling-gradient-computation",
            "PyTorch documentation, torch.inference_mode: "
            "https://pytorch.org/docs/stable/generated/torch.inference_mode.html",
        ),
    )

    def setup(self) -> None:
        self._scopes: list[_Scope] = [_Scope(grad_off=False)]
        self._with_grad_off: list[bool] = []

    @property
    def _scope(self) -> _Scope:
        return self._scopes[-1]

    def _turns_grad_off(self, node: cst.BaseExpression) -> bool:
        """``torch.no_grad()``, ``torch.inference_mode()``, ``torch.set_grad_enabled(False)``."""
        call = node if isinstance(node, cst.Call) else None
        target = call.func if call is not None else node
        if self.match(target, NO_GRAD):  # but not inference_mode(False)
            return not (call is not None and call.args and is_false(call.args[0].value))
        if call is not None and call.args and self.match(target, SET_GRAD_ENABLED):
            return is_false(call.args[0].value)
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        decorated = any(self._turns_grad_off(d.decorator) for d in node.decorators)
        self._scopes.append(_Scope(grad_off=self._scope.grad_off or decorated))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._finish(self._scopes.pop())

    def leave_Module(self, original_node: cst.Module) -> None:
        self._finish(self._scopes[0])

    def visit_With(self, node: cst.With) -> None:
        off = any(self._turns_grad_off(item.item) for item in node.items)
        self._with_grad_off.append(off)
        if off:
            self._scopes.append(_Scope(grad_off=True, evaluated=self._scope.evaluated))

    def leave_With(self, original_node: cst.With) -> None:
        if self._with_grad_off.pop():
            inner = self._scopes.pop()
            self._scope.uses_autograd |= inner.uses_autograd

    def visit_Call(self, node: cst.Call) -> None:
        scope = self._scope
        method = method_name(node)
        owner = receiver(node)
        owner_name = dotted_name(owner) if isinstance(owner, (cst.Name, cst.Attribute)) else None
        if method == "eval" and not node.args and owner_name:
            scope.evaluated.add(owner_name)
        elif method == "train" and owner_name:
            if node.args and is_false(node.args[0].value):
                scope.evaluated.add(owner_name)
            elif not node.args or is_true(node.args[0].value):
                scope.evaluated.discard(owner_name)
        elif method == "backward" or self.match(node.func, AUTOGRAD_CALLS):
            scope.uses_autograd = True
        elif self._turns_grad_off(node):
            scope.grad_off = True  # torch.set_grad_enabled(False) as a statement
        elif not scope.grad_off:
            callee = (
                dotted_name(node.func) if isinstance(node.func, (cst.Name, cst.Attribute)) else None
            )
            if callee in scope.evaluated:
                scope.candidates.append((node, callee))
            elif method == "forward" and owner_name in scope.evaluated:
                scope.candidates.append((node, owner_name))

    def _finish(self, scope: _Scope) -> None:
        if scope.uses_autograd:
            return
        for call, model in scope.candidates:
            self.report(
                call,
                f"`{describe(self.context.module, call)}` runs after `{model}.eval()` outside"
                " torch.no_grad()/torch.inference_mode(): autograd records a graph nobody uses",
                ProposedFix("wrap the evaluation in `with torch.inference_mode():`"),
            )
