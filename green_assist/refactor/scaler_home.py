"""Where a GradScaler lives when its training loop is in a function called every epoch.

A scaler created inside ``train()`` would start over on each call, forgetting the
loss scale it found, and would never reach a checkpoint. So it is created once, right
after the optimizer it steps is created, in the scope that calls ``train()``; it is
passed in (a keyword-only parameter) unless it is a module-level name the function
already sees, and checkpoints that save or load that optimizer's state save and load
the scaler's too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import libcst as cst

from ..analysis.helpers import argument, method_name, receiver
from .context import RefactorContext, iter_all
from .edits import Statement, statement
from .loops import assigned_names
from .model_facts import runs_every_epoch


@dataclass(frozen=True)
class ScalerHome:
    """Create the scaler after ``after`` (in ``scope``); pass it to ``calls`` if any."""

    function: cst.FunctionDef  # the function holding the training loop
    scope: cst.Module | cst.FunctionDef  # where the optimizer is created
    after: Statement  # the statement creating the optimizer
    optimizer: str  # the optimizer's name in ``scope``
    calls: tuple[cst.Call, ...]  # calls of ``function`` that must pass the scaler


def scaler_home(
    context: RefactorContext, loop: cst.For | cst.While, optimizer: str
) -> ScalerHome | str | None:
    """A home outside the loop's function when that function runs every epoch.

    None: the function runs once (or the loop is not in a function): create the scaler
    before the loop. A string: why the scaler cannot be moved out (left in, noted).
    """
    function = context.scope_of(loop)
    if not isinstance(function, cst.FunctionDef) or runs_every_epoch(context, loop) is None:
        return None
    name = function.name.value
    if "." in optimizer:
        return f"its optimizer `{optimizer}` is an attribute, not a name created once"
    parameters = [p.name.value for p in function.params.params]
    keyword_only = [p.name.value for p in function.params.kwonly_params]
    if optimizer not in parameters and optimizer not in keyword_only:
        found = _creation(context, context.module, optimizer)
        if found is None:
            return f"`{optimizer}` is not created at the top level of the module"
        return ScalerHome(function, context.module, found, optimizer, ())
    calls = [
        node
        for node in context.nodes
        if isinstance(node, cst.Call)
        and isinstance(node.func, cst.Name)
        and node.func.value == name
    ]
    passed = {_argument_name(call, optimizer, parameters) for call in calls}
    scopes = {id(context.scope_of(call)) for call in calls}
    if not calls or len(passed) != 1 or None in passed or len(scopes) != 1:
        return f"`{name}()` is called with different optimizers, or from several places"
    (outer_name,) = passed
    assert outer_name is not None
    scope = context.scope_of(calls[0])
    found = _creation(context, scope, outer_name)
    if found is None:
        return f"`{outer_name}` is not created in the code that calls `{name}()`"
    return ScalerHome(function, scope, found, outer_name, tuple(calls))


def _argument_name(call: cst.Call, parameter: str, parameters: list[str]) -> str | None:
    position = parameters.index(parameter) if parameter in parameters else None
    found = argument(call, parameter, position)
    if found is None or not isinstance(found.value, cst.Name):
        return None
    return found.value.value


def _creation(
    context: RefactorContext, scope: cst.Module | cst.FunctionDef, name: str
) -> Statement | None:
    """The last top-level statement of ``scope`` that assigns ``name``."""
    body = scope.body.body if isinstance(scope, cst.FunctionDef) else scope.body
    found = None
    for item in body:
        if isinstance(item, cst.SimpleStatementLine) and name in assigned_names(item):
            found = item
    return found


def pass_scaler(context: RefactorContext, home: ScalerHome, scaler: str) -> None:
    """Add ``*, scaler`` to the function and ``scaler=scaler`` to its calls."""
    if not home.calls:
        return  # a module-level name: the function sees it
    params = home.function.params
    new_param = cst.Param(cst.Name(scaler))
    star = params.star_arg
    context.edits.replace(
        params,
        params.with_changes(
            star_arg=star if not isinstance(star, cst.MaybeSentinel) else cst.ParamStar(),
            kwonly_params=[*params.kwonly_params, new_param],
        ),
    )
    passed = cst.Arg(cst.Name(scaler), keyword=cst.Name(scaler), equal=_equal())
    for call in home.calls:
        context.edits.replace(call, _argument_appender(passed))


def _argument_appender(passed: cst.Arg) -> Callable[[cst.Call], cst.Call]:
    return lambda updated: updated.with_changes(args=[*updated.args, passed])


def checkpoint_scaler(
    context: RefactorContext, scopes: Sequence[cst.CSTNode], optimizers: set[str], scaler: str
) -> list[str]:
    """Save and load the scaler wherever a checkpoint saves or loads the optimizer.

    ``torch.save({..., "optimizer": optimizer.state_dict()}, path)`` gains
    ``"scaler": scaler.state_dict()``; ``optimizer.load_state_dict(checkpoint["optimizer"])``
    is followed by loading the scaler's state when the checkpoint has it. Returns notes.
    """
    notes = []
    for scope in scopes:
        for node in iter_all(scope):
            if not isinstance(node, cst.Call) or context.scope_of(node) is not scope:
                continue
            if context.match(node.func, {"torch.save"}) and node.args:
                saved = node.args[0].value
                if (
                    isinstance(saved, cst.Dict)
                    and _saves_optimizer(saved, optimizers)
                    and not any(_is_key(e, "scaler") for e in saved.elements)
                ):
                    context.edits.replace(saved, _scaler_entry_adder(scaler))
                    notes.append(f"`{context.short(node)}` now saves the scaler's state too")
            if method_name(node) == "load_state_dict" and _owner(node) in optimizers:
                loaded = node.args[0].value if node.args else None
                line = context.statement_of(node)
                if (
                    isinstance(loaded, cst.Subscript)
                    and isinstance(loaded.value, cst.Name)
                    and isinstance(line, cst.SimpleStatementLine)
                ):
                    checkpoint = loaded.value.value
                    code = (
                        f'if "scaler" in {checkpoint}:\n'
                        f'    {scaler}.load_state_dict({checkpoint}["scaler"])\n'
                    )
                    context.edits.insert_after(line, [statement(code, context.module)])
                    notes.append(f"`{context.short(line)}` is followed by loading the scaler")
    return notes


def _owner(call: cst.Call) -> str | None:
    owner = receiver(call)
    return owner.value if isinstance(owner, cst.Name) else None


def _saves_optimizer(saved: cst.Dict, optimizers: set[str]) -> bool:
    for element in saved.elements:
        value = getattr(element, "value", None)
        if (
            isinstance(value, cst.Call)
            and method_name(value) == "state_dict"
            and _owner(value) in optimizers
        ):
            return True
    return False


def _is_key(element: cst.BaseDictElement, key: str) -> bool:
    found = getattr(element, "key", None)
    return isinstance(found, cst.SimpleString) and found.evaluated_value == key


def _scaler_entry_adder(scaler: str) -> Callable[[cst.Dict], cst.Dict]:
    return lambda saved: _with_scaler_entry(saved, scaler)


def _with_scaler_entry(saved: cst.Dict, scaler: str) -> cst.Dict:
    elements = list(saved.elements)
    first_key = getattr(elements[0], "key", None) if elements else None
    quote = first_key.quote[0] if isinstance(first_key, cst.SimpleString) else '"'
    last = elements[-1]
    trailing = last.comma
    comma = (
        trailing
        if isinstance(trailing, cst.Comma)
        else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    )
    entry = cst.DictElement(
        cst.SimpleString(f"{quote}scaler{quote}"),
        cst.parse_expression(f"{scaler}.state_dict()"),
        comma=trailing if isinstance(trailing, cst.Comma) else cst.MaybeSentinel.DEFAULT,
    )
    return saved.with_changes(elements=[*elements[:-1], last.with_changes(comma=comma), entry])


def _equal() -> cst.AssignEqual:
    return cst.AssignEqual(
        whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
    )
