"""Inference and evaluation: forward passes that need no autograd."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from ..context import Evidence
from ..effects import INFERENCE_METHODS, Effects, effects_of
from ..findings import Severity
from ..helpers import describe, dotted_name, is_false, is_true, method_name, names_in, receiver
from ..program import Scope, Site
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
    needs_program = True
    triggers = ("eval", "train(", "backward")
    doc = RuleDoc(
        what=(
            "Finds calls of a model (`model(x)`, `model.forward(x)`, or a method that runs it "
            "whatever its class: `log_prob`, `sample`, `predict`, `infer`; not Hugging Face's "
            "`generate`, which turns autograd off itself) that run with autograd "
            "on although nothing differentiates their result: (1) after `model.eval()` (or "
            "`model.train(False)`) in the same function or at module level, also in code that "
            "trains when the result feeds no backward; (2) in or after "
            "a training loop when the result feeds no backward pass - samples drawn every N "
            "steps (`fake = netG(fixed_noise)`), metrics, predictions for a plot in a later "
            "cell; (3) in a helper such as `sample_image()` that a training loop or the code "
            "after it calls, also through other helpers (`sample()` calling `predict()`) and "
            "a model's own method (`self(idx)` in `generate()`, run as `model.generate(...)`); "
            "a method that training also uses (`forward`, `model.pi(obs)` in a rollout) is "
            "reported where it is called, not inside; so are calls of a model's submodules "
            "(`model.encoder(src)` in a greedy decoder); (4) in a function that trains once "
            "per call (a DQN's `update()`), when the result feeds none of it; (5) at module "
            "level in a file that trains nothing when run, on a model given trained weights "
            "(`net.load_state_dict(...)`, then `net(x_test)`; a shape check on a fresh model "
            "is left alone). Code that a setting's default leaves out (`if opt.vgg_loss:` "
            "with `--vgg_loss` off) does not run and is not reported; a device option that is "
            "off (`if args.cuda:`) is, since the code is meant for the accelerator; the same call "
            "in both arms of one `if` (`if use_gpu: model(x.cuda())`, `else: model(x)`) is one "
            "finding, on the first arm. A result that "
            "reaches training only (or leaves its function only) "
            "through `.detach()`, `.data`, `.item()`, `.numpy()`, `.argmax()` or a "
            "distribution's "
            "`.sample()` feeds no backward pass: a rollout whose values and log-probabilities "
            "are stored detached, a target network's `target_net(s2).max(1)[0].detach()`. "
            "A model is a local `nn.Module` subclass, `nn.Sequential` and other "
            "torch.nn layers, graph layers (`GCNConv`...), a torchvision/timm/Hugging Face "
            "model, a class imported from the project whose name ends in `Net`, `Network` or "
            "`Model` (`CriticNet(...)`), the loop variable over a list of models or an "
            "`nn.ModuleList` (`[m(x) for m in ensemble]`), or whatever is handed to "
            "an optimizer, put in eval mode or given weights (`target_net.load_state_dict(...)`). "
            "Calls inside `torch.no_grad()`/"
            "`inference_mode()` (or a function decorated with them, or one whose every caller "
            "is inside them), after `torch.set_grad_enabled(False)`, or whose result reaches a "
            "backward pass, or is returned to a caller that may differentiate it (one that "
            "trains, or an unknown one), or whose model stores a loss that a later backward "
            "of the same loop body reads (`model(X, Y)`, then `loss = model.last_loss`), "
            "are left alone, and so is a scope that calls "
            "`.backward()` or `torch.autograd.grad` after `model.eval()` (saliency maps, frozen "
            "batch norm while training)."
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
        self._after_eval: list[tuple[cst.Call, str]] = []
        # In a scope that also trains: reported only when the result feeds no backward.
        self._after_eval_in_training: list[tuple[cst.Call, str]] = []

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
        program = self.context.program
        effects = effects_of(program) if program is not None else None
        module = self.context.module
        reported: set[int] = set()
        arms: dict[tuple[int, str], tuple[int, bool]] = {}
        in_training = {id(call) for call, _ in self._after_eval_in_training}
        for call, model in (*self._after_eval, *self._after_eval_in_training):
            site = program.site_of.get(id(call)) if program is not None else None
            if site is not None and effects is not None and effects.grad_off(site):
                continue  # every caller runs it under no_grad()/inference_mode()
            if id(call) in in_training and (
                site is None or effects is None or effects.feeds_training(site)
            ):
                continue  # an eval-mode forward that training uses (frozen batch norm)
            arm = _arm(site) if site is not None else None
            if arm is not None and arms.get(arm[0], arm[1]) != arm[1]:
                reported.add(id(call))
                continue  # the same call in the other arm of the same ``if`` was reported
            reported.add(id(call))
            if arm is not None:
                arms.setdefault(arm[0], arm[1])
            self.report(
                call,
                f"`{describe(module, call)}` runs after `{model}.eval()` outside"
                " torch.no_grad()/torch.inference_mode(): autograd records a graph nobody uses",
                _FIX,
            )
        if program is None or effects is None:
            return
        for scope in program.scopes:
            for site in scope.sites:
                if id(site.node) not in reported:
                    self._check_site(site, effects, arms)

    def _check_site(
        self, site: Site, effects: Effects, arms: dict[tuple[int, str], tuple[int, bool]]
    ) -> None:
        if not effects.calls_model(site) or effects.grad_off(site):
            return
        arm = _arm(site)
        if arm is not None and arms.get(arm[0], arm[1]) != arm[1]:
            return  # the same call in the other arm of the same ``if`` was reported
        if effects.left_out_by_default(site):
            return
        if effects.feeds_training(site) or _loss_read_from_model(site, effects):
            return
        found = _training_context(site, effects, self.context.module)
        if found is None:
            return
        where, evidence = found
        module = self.context.module
        scope = site.scope
        if evidence:
            where = f"(`{scope.name}` is called {where})"
        if arm is not None:
            arms.setdefault(arm[0], arm[1])
        self.report(
            site.node,
            f"`{describe(module, site.node)}` runs the model with autograd on {where}, and"
            " nothing differentiates the result: autograd records a graph nobody uses",
            ProposedFix(
                "wrap it in `with torch.inference_mode():`"
                + (f" (or decorate `{scope.name}` with `@torch.no_grad()`)" if evidence else "")
            ),
            tuple(evidence),
        )

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
            elif (method == "forward" or method in INFERENCE_METHODS) and (
                owner_name in scope.evaluated
            ):
                scope.candidates.append((node, owner_name))  # ``model.log_prob(zz)``

    def _finish(self, scope: _Scope) -> None:
        if not scope.uses_autograd:
            self._after_eval.extend(scope.candidates)
        else:
            self._after_eval_in_training.extend(scope.candidates)


_FIX = ProposedFix("wrap the evaluation in `with torch.inference_mode():`")

# (the ``if``/``elif`` chain a call sits in and what it calls, the arm it sits in)
_Arm = tuple[tuple[int, str], tuple[int, bool]]


def _arm(site: Site) -> _Arm | None:
    """``if use_gpu: out = model(x.cuda())`` / ``else: out = model(x)`` (also across
    ``elif`` arms): only one arm runs, so the same call in several is one waste and gets
    one finding (on the first arm reported)."""
    branch = site.branch
    callee = dotted_name(site.node.func)
    if branch is None or branch.test is None or not callee or branch.node is None:
        return None
    arm = (id(branch.node), branch.taken)
    root = branch
    while (
        root.parent is not None
        and not root.parent.taken
        and isinstance(root.parent.node, cst.If)
        and root.parent.node.orelse is root.node
    ):
        root = root.parent  # an ``elif``: part of the chain the ``if`` above starts
    return (id(root.node), callee), arm


def _loss_read_from_model(site: Site, effects: Effects) -> bool:
    """A later statement of the same step loop's body reads an attribute of the called model (or of
    a name bound to an expression of it, ``raw = model.module if ddp else model``) into a
    value that a backward differentiates: ``loss = raw.last_loss`` set by the forward."""
    func = site.node.func
    if site.loop is None or not effects.is_step_loop(site.loop):
        return False
    if not isinstance(func, (cst.Name, cst.Attribute)):
        return False
    model = (dotted_name(func) or "").split(".", 1)[0]
    if not model:
        return False
    scope = site.scope
    same = {model} | _bound_from(model, scope)  # ``plain = model``: the same module
    needed = effects.grad_bindings(scope)
    for bindings in scope.bindings.values():
        for binding in bindings:
            value = binding.value
            if (
                id(binding) not in needed
                or binding.loop is not site.loop
                or binding.order < site.order
                or value is None
            ):
                continue
            for owner in _attribute_owners(value):
                if owner in same or same & _bound_from(owner, scope):
                    return True
    return False


def _bound_from(name: str, scope: Scope) -> set[str]:
    """The names that the bindings of ``name`` in ``scope`` are computed from."""
    found: set[str] = set()
    for binding in scope.bindings.get(name, ()):
        if binding.value is not None:
            found |= names_in(binding.value)
    return found


class _AttributeReads(cst.CSTVisitor):
    """The root names of attributes read as values (``raw.last_loss``), not methods called."""

    def __init__(self) -> None:
        self.owners: set[str] = set()

    def visit_Call(self, node: cst.Call) -> bool:
        for arg in node.args:
            arg.value.visit(self)
        if isinstance(node.func, cst.Attribute):
            node.func.value.visit(self)
        return False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        root = (dotted_name(node) or "").split(".", 1)[0]
        if root:
            self.owners.add(root)
        return False


def _attribute_owners(value: cst.BaseExpression) -> set[str]:
    reads = _AttributeReads()
    value.visit(reads)
    return reads.owners


def _training_context(
    site: Site, effects: Effects, module: cst.Module, depth: int = 0
) -> tuple[str, list[Evidence]] | None:
    """Where ``site`` runs relative to training: in a training loop, after training in the
    same function, or in a helper called from one of those (with the call as evidence)."""
    if effects.training_loop_around(site) is not None:
        return "inside the training loop", []
    if (
        depth == 0
        and site.scope.is_module
        and type(site.node.func) in (cst.Name, cst.Attribute)
        and effects.loads_weights(site.node.func)
        and not effects.trains_when_run()
    ):
        return "in inference code (nothing in this file trains)", []
    first = effects.first_training(site.scope)
    if first is not None and site.order > first:
        return "after training", []
    if effects.per_call_backward(site.scope) is not None:
        # ``target_net(s2).max(1)[0].detach()`` in a DQN's ``update()``: every call trains,
        # and this pass feeds none of it.
        return f"in `{site.scope.name}`, which trains", []
    if depth >= 3 or effects.trains(site.scope):
        return None
    for caller in effects.model_callers(site.scope):
        if effects.grad_off(caller):
            continue
        found = _training_context(caller, effects, module, depth + 1)
        if found is None:
            continue
        where, evidence = found
        shown = describe(module, caller.node)
        scope = caller.scope
        return where, [
            (
                caller.node,
                f"`{shown}` calls `{site.scope.name}` {where} with autograd on",
                None if scope.is_module else scope.name,
            ),
            *evidence,
        ]
    return None
