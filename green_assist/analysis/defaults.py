"""Values on the default path: what a name, an ``argparse`` option or a config entry holds
when the script runs with no command-line arguments and no environment variables.

``if batch_idx % args.log_interval == 0:`` guards nothing when ``--log-interval``
defaults to 1; ``init_from = 'scratch'`` picks the random-weights branch;
``BATCH = 8192`` is a batch size. :class:`Defaults` evaluates simple expressions
(literals, arithmetic, comparisons, ``and``/``or``, ``x if c else y``) over the
program model's bindings:

* names bound once on the path that runs (module constants, locals, branches whose
  test is itself known), never names rebound in loops or by ``+=``;
* function parameters: the value every call site in the module passes (or the
  default when no call site passes one);
* ``args.x`` for ``parser.add_argument("--x", default=...)`` (``store_true``: False),
  ``cfg.x`` for an instance of a local (data)class, ``config["x"]`` and
  ``config.get("x", d)`` for a dict literal, ``os.environ.get("X", d)`` as ``d``,
  ``wandb.config.x`` for the dict given to ``wandb.init(config=...)``, ``self.x`` set
  once in ``__init__`` from a parameter (what every construction of the class passes).

Every known value carries its origins (the ``default=`` argument, the assignment) so
a finding can point at the line that decides it. Anything else is unknown (None):
rules then keep their old, local behaviour.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import libcst as cst

from .names import dotted_name, last_part
from .program import STARRED, Binding, Branch, Program, Scope, Site

# Where a value was set: the node, how to say it, the function it is in (None: module).
Origin = tuple[cst.CSTNode, str, str | None]
_MAX_DEPTH = 12
_UNSET = object()


@dataclass(frozen=True)
class Known:
    """A value known on the default path, and where it was set (for evidence)."""

    value: Any
    origins: tuple[Origin, ...] = ()

    def with_origins(self, *more: tuple[Origin, ...]) -> Known:
        merged = list(self.origins)
        for origins in more:
            merged.extend(o for o in origins if o not in merged)
        return Known(self.value, tuple(merged))


_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    cst.Equal: operator.eq,
    cst.NotEqual: operator.ne,
    cst.LessThan: operator.lt,
    cst.LessThanEqual: operator.le,
    cst.GreaterThan: operator.gt,
    cst.GreaterThanEqual: operator.ge,
    cst.In: lambda a, b: a in b,
    cst.NotIn: lambda a, b: a not in b,
    cst.Is: lambda a, b: a is b,
    cst.IsNot: lambda a, b: a is not b,
}
_ARITHMETIC: dict[type, Callable[[Any, Any], Any]] = {
    cst.Add: operator.add,
    cst.Subtract: operator.sub,
    cst.Multiply: operator.mul,
    cst.Divide: operator.truediv,
    cst.FloorDivide: operator.floordiv,
    cst.Modulo: operator.mod,
    cst.Power: operator.pow,
}
_DEVICE_OPTION = re.compile(r"cuda|gpu|device|cpu|accel|\bmps\b|\bxpu\b|\btpu\b")
_CASTS: dict[str, Callable[[Any], Any]] = {"int": int, "float": float, "bool": bool, "str": str}
_ENVIRONMENT = frozenset({"os.environ.get", "os.getenv", "environ.get", "getenv"})
_SIMPLE = (int, float, str, bool, type(None), tuple)


def _simple(value: Any) -> bool:
    if isinstance(value, tuple):
        return all(_simple(v) for v in value)
    return isinstance(value, _SIMPLE)


_BUFFER_SIZE_METHODS = frozenset({"get_size", "size", "__len__", "qsize", "num_transitions"})


def _replay_warm_up(node: cst.Comparison) -> Known | None:
    """``len(memory) > batch_size`` (``memory.get_size() >= self.batch_size``): a replay
    buffer holds a batch after the first few steps, and then on every step, so the test
    is true on the default path (``<``: false)."""
    if len(node.comparisons) != 1:
        return None
    operator = type(node.comparisons[0].operator)
    left, right = node.left, node.comparisons[0].comparator
    if _buffer_length(right) and _batch_size(left):
        left, right = right, left
        operator = _MIRRORED.get(operator)  # type: ignore[assignment]
    if operator is None or not (_buffer_length(left) and _batch_size(right)):
        return None
    if operator in (cst.GreaterThan, cst.GreaterThanEqual):
        holds = True
    elif operator in (cst.LessThan, cst.LessThanEqual):
        holds = False
    else:
        return None
    return Known(holds, ((node, f"`{_shown(node)}` (true once the buffer holds a batch)", None),))


_MIRRORED = {
    cst.GreaterThan: cst.LessThan,
    cst.GreaterThanEqual: cst.LessThanEqual,
    cst.LessThan: cst.GreaterThan,
    cst.LessThanEqual: cst.GreaterThanEqual,
}


def _buffer_length(node: cst.BaseExpression) -> bool:
    if type(node) is not cst.Call:
        return False
    func = node.func
    if dotted_name(func) == "len":
        return len(node.args) == 1
    return type(func) is cst.Attribute and func.attr.value in _BUFFER_SIZE_METHODS and not node.args


def _batch_size(node: cst.BaseExpression) -> bool:
    """``batch_size``, ``self.BATCH_SIZE``, ``args.batchsize`` (not ``num_batches``)."""
    name = dotted_name(node) if type(node) in (cst.Name, cst.Attribute) else None
    return bool(name) and last_part(name).lower().replace("_", "").endswith("batchsize")


def _shown(node: cst.CSTNode) -> str:
    if type(node) is cst.Arg:
        node = node.value
    return " ".join(cst.Module(body=()).code_for_node(node).split()).rstrip(",")[:60]


class Defaults:
    """Evaluate expressions of one program on its default path (memoised per program)."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self._active: set[tuple[int, int]] = set()

    # -- public queries --------------------------------------------------------------

    def value(
        self, node: cst.BaseExpression | None, scope: Scope, order: int | None = None
    ) -> Known | None:
        """The value of ``node`` evaluated in ``scope`` (at text position ``order``)."""
        if node is None:
            return None
        key = (id(node), order or 0)
        if key in self._active or len(self._active) > _MAX_DEPTH:
            return None
        self._active.add(key)
        try:
            found = self._evaluate(node, scope, order)
        except (ArithmeticError, TypeError, ValueError, OverflowError):
            found = None
        finally:
            self._active.discard(key)
        if found is not None and not _simple(found.value):
            return None
        return found

    def truth(self, branch: Branch, scope: Scope) -> Known | None:
        """Whether ``branch`` runs on the default path (None: cannot tell)."""
        if branch.test is None:
            return None
        found = self.value(branch.test, scope, None)
        if found is None:
            return None
        return Known(bool(found.value) == branch.taken, found.origins)

    def always(
        self, branch: Branch | None, stop: Branch | None, scope: Scope
    ) -> tuple[bool, tuple[Origin, ...]]:
        """Whether every branch from ``branch`` up to (not including) ``stop`` runs.

        Returns (runs every time, origins of the values that decided it).
        """
        origins: list[Origin] = []
        current = branch
        while current is not None and current is not stop:
            found = self.truth(current, scope)
            if found is None or not found.value:
                return False, ()
            origins.extend(o for o in found.origins if o not in origins)
            current = current.parent
        return True, tuple(origins)

    def reachable(self, branch: Branch | None, scope: Scope) -> bool:
        """False when some branch around the code is known not to run on the default path."""
        return self.skipped_because(branch, scope) is None

    def skipped_because(self, branch: Branch | None, scope: Scope) -> tuple[Origin, ...] | None:
        """The origins of the test that keeps the code from running by default (None: it may
        run)."""
        current = branch
        while current is not None:
            found = self.truth(current, scope)
            if found is not None and not found.value:
                return found.origins
            current = current.parent
        return None

    def site_runs_every_iteration(self, site: Site) -> tuple[bool, tuple[Origin, ...]]:
        """The site runs on every iteration of its innermost loop (no guard holds it back)."""
        stop = site.loop.branch if site.loop is not None else None
        return self.always(site.branch, stop, site.scope)

    # -- evaluation ------------------------------------------------------------------

    def _evaluate(self, node: cst.CSTNode, scope: Scope, order: int | None) -> Known | None:
        kind = type(node)
        if kind is cst.Integer or kind is cst.Float:
            return Known(node.evaluated_value)  # type: ignore[attr-defined]
        if kind is cst.SimpleString or kind is cst.ConcatenatedString:
            value = node.evaluated_value  # type: ignore[attr-defined]
            return Known(value) if isinstance(value, str) else None
        if kind is cst.Name:
            return self._name(node.value, scope, order)  # type: ignore[attr-defined]
        if kind is cst.Attribute:
            return self._attribute(node, scope, order)  # type: ignore[arg-type]
        if kind is cst.Subscript:
            return self._subscript(node, scope, order)  # type: ignore[arg-type]
        if kind is cst.Call:
            return self._call(node, scope, order)  # type: ignore[arg-type]
        if kind is cst.UnaryOperation:
            return self._unary(node, scope, order)  # type: ignore[arg-type]
        if kind is cst.BinaryOperation:
            return self._binary(node, scope, order)  # type: ignore[arg-type]
        if kind is cst.Comparison:
            return self._comparison(node, scope, order)  # type: ignore[arg-type]
        if kind is cst.BooleanOperation:
            return self._boolean(node, scope, order)  # type: ignore[arg-type]
        if kind is cst.IfExp:
            test = self.value(node.test, scope, order)  # type: ignore[attr-defined]
            if test is None:
                return None
            chosen = node.body if test.value else node.orelse  # type: ignore[attr-defined]
            found = self.value(chosen, scope, order)
            return found.with_origins(test.origins) if found else None
        if kind is cst.Tuple or kind is cst.List:
            values = []
            origins: list[tuple[Origin, ...]] = []
            for element in node.elements:  # type: ignore[attr-defined]
                if type(element) is not cst.Element:
                    return None
                found = self.value(element.value, scope, order)
                if found is None:
                    return None
                values.append(found.value)
                origins.append(found.origins)
            return Known(tuple(values)).with_origins(*origins)
        return None

    def _name(self, name: str, scope: Scope, order: int | None) -> Known | None:
        if name in ("True", "False", "None"):
            return Known({"True": True, "False": False, "None": None}[name])
        current: Scope | None = scope
        while current is not None:
            bindings = current.bindings.get(name)
            if bindings:
                return self._bound(bindings, current, order if current is scope else None)
            if current.param(name) is not None:
                return self._param(current, name)
            current = current.parent
        return None

    def _bound(self, bindings: list[Binding], scope: Scope, order: int | None) -> Known | None:
        live: list[Binding] = []
        for binding in bindings:
            if not self.reachable(binding.branch, binding.scope):
                continue  # a branch that does not run on the default path
            if binding.augmented or binding.value is None or binding.loop is not None:
                return None
            if binding.scope is not scope:
                return None  # rebound by a function through ``global``: any value, any time
            if binding.branch is not None and not self.always(binding.branch, None, scope)[0]:
                return None  # bound only sometimes
            live.append(binding)
        if order is not None and not scope.is_module:
            order = None  # locals: every binding counts (loops may run them later)
        if order is not None:
            before = [b for b in live if b.order < order]
            live = before or ([] if scope.is_module else live)
        if not live:
            return None
        last = live[-1]
        found = self.value(last.element_value(), scope, last.order)
        if found is None:
            return None
        where = None if last.scope.is_module else last.scope.name
        return found.with_origins(((last.node, f"`{_shown(last.node)}`", where),))

    def _param(self, scope: Scope, name: str) -> Known | None:
        param = scope.param(name)
        if param is None or param.position is None and param.default is None:
            return None
        default = None
        if param.default is not None:
            parent = scope.parent or self.program.module
            default = self.value(param.default, parent, scope.order)
        callers = self.program.callers(scope)
        if not callers:
            return default
        agreed: Known | None = None
        for site in callers:
            argument = self.program.argument_for(site, scope, name)
            if argument is STARRED:
                return None
            if argument is None:
                found = default
            else:
                found = self.value(argument, site.scope, site.order)  # type: ignore[arg-type]
                if found is not None:
                    where = None if site.scope.is_module else site.scope.name
                    shown = f"`{_shown(argument)}`"  # type: ignore[arg-type]
                    found = found.with_origins(((argument, shown, where),))  # type: ignore[arg-type]
            if found is None or (agreed is not None and agreed.value != found.value):
                return None
            agreed = found if agreed is None else agreed.with_origins(found.origins)
        return agreed

    def _attribute(self, node: cst.Attribute, scope: Scope, order: int | None) -> Known | None:
        attr = node.attr.value
        base = node.value
        if type(base) is cst.Name:
            base_name = base.value
            config = self._config_field(base_name, attr, scope, order)
            if config is not _UNSET:
                return config  # type: ignore[return-value]
            if base_name == "self" and scope.class_name:
                return self._instance_setting(scope.class_name, attr)
            if base_name in ("cls", "torch"):
                return None  # ``torch.amp`` is a module, not ``args.amp``
        if self.is_wandb_config(base, scope):
            return self._wandb_config_entry(attr, scope)
        arguments = self.program.arguments.get(attr)
        if not arguments or type(base) not in (cst.Name, cst.Attribute):
            return None
        return self._argument(arguments)

    def _instance_setting(self, class_name: str, attr: str) -> Known | None:
        """``self.sampling`` set once in ``__init__`` (``self.sampling = sampling``): the
        value every construction of the class passes for that parameter (its default when
        none does), e.g. ``CharRNN(..., sampling=args.sampling)`` with ``--sampling``
        defaulting to ``"sample"``."""
        infos = self.program.classes.get(class_name)
        if not infos:
            return None
        info = infos[-1]
        values = info.attributes.get(attr, [])
        init = info.methods.get("__init__")
        if len(values) != 1 or init is None:
            return None
        value = values[0]
        if type(value) is not cst.Name or init.param(value.value) is None:
            return self.value(value, init, None) if type(value) is not cst.Name else None
        param = init.param(value.value)
        built = self._constructions().get(class_name, [])
        if not built:
            return None
        agreed: Known | None = None
        for site in built:
            passed = self.program.argument_for(site, init, value.value)
            if passed is STARRED:
                return None
            if passed is None:
                found = (
                    self.value(param.default, self.program.module, None)
                    if param is not None and param.default is not None
                    else None
                )
            else:
                found = self.value(passed, site.scope, site.order)  # type: ignore[arg-type]
            if found is None or (agreed is not None and agreed.value != found.value):
                return None
            agreed = found if agreed is None else agreed.with_origins(found.origins)
        return agreed

    def _constructions(self) -> dict[str, list[Site]]:
        """Local class name -> the calls that build one (once per program)."""
        found = self.program.memo.get(("constructions", 0))
        if found is None:
            table: dict[str, list[Site]] = {}
            for scope in self.program.scopes:
                for site in scope.sites:
                    name = last_part(site.callee)
                    if name in self.program.classes:
                        table.setdefault(name, []).append(site)
            found = self.program.memo[("constructions", 0)] = table
        return found  # type: ignore[return-value]

    def chosen_by_option(self, origins: tuple[Origin, ...]) -> bool:
        """Some value behind ``origins`` is a command-line option's default (``--cuda``):
        the user can choose otherwise without editing the code."""
        nodes = {id(a.node) for found in self.program.arguments.values() for a in found}
        return any(id(node) in nodes for node, _, _ in origins)

    def chosen_by_device_option(self, origins: tuple[Origin, ...]) -> bool:
        """A command-line option about the device (``--cuda``, ``--gpu``, ``--device``)
        decides: the code is meant to run on the accelerator. Not a switch of something
        else (``--l1``, ``--flow glow``): off by default, its code does not run."""
        nodes = {id(node) for node, _, _ in origins}
        return any(
            id(a.node) in nodes and _DEVICE_OPTION.search(f"{a.flag} {a.dest}".lower())
            for found in self.program.arguments.values()
            for a in found
        )

    def cpu_as_written(
        self, device: cst.BaseExpression | None, scope: Scope, order: int | None = None
    ) -> bool:
        """``device`` is the CPU as the code is written (``torch.device("cpu")``), not by
        a command-line option's default (``"cuda" if args.cuda else "cpu"`` with ``--cuda``
        off: the code is meant to run on the accelerator)."""
        found = self.value(device, scope, order)
        if found is None or not isinstance(found.value, str) or not found.value.startswith("cpu"):
            return False
        return not self.chosen_by_option(found.origins)

    def _argument(self, arguments: list[Any]) -> Known | None:
        agreed: Known | None = None
        for argument in arguments:
            if argument.default is not None:
                found = self.value(argument.default, self.program.module, None)
            else:
                found = Known(argument.store if argument.store is not None else None)
            if found is None or (agreed is not None and agreed.value != found.value):
                return None
            shown = f"`{argument.flag}` defaults to {found.value!r}"
            found = found.with_origins(((argument.node, shown, argument.scope),))
            agreed = found if agreed is None else agreed.with_origins(found.origins)
        return agreed

    def _config_field(self, base: str, attr: str, scope: Scope, order: int | None) -> object:
        """``cfg.x`` for ``cfg = Config(...)`` or ``Config.x`` of a local class."""
        classes = self.program.classes.get(base)
        if classes:
            return self._class_field(classes[-1], attr, None)
        bound = self._binding_value(base, scope) or self._passed_value(base, scope)
        if bound is None:
            annotated = self._annotated_class(base, scope)
            if annotated is not None:
                return self._class_field(annotated, attr, None)
        if type(bound) is not cst.Call:
            return _UNSET
        callee = dotted_name(bound.func)
        if callee in ("SimpleNamespace", "types.SimpleNamespace", "argparse.Namespace"):
            for arg in bound.args:
                if arg.keyword is not None and arg.keyword.value == attr:
                    return self.value(arg.value, scope, order)
            return None
        classes = self.program.classes.get(callee or "")
        if not classes:
            return _UNSET
        for arg in bound.args:
            if arg.keyword is not None and arg.keyword.value == attr:
                return self.value(arg.value, scope, order)
            if arg.keyword is None:
                return None  # positional fields: which one is unknown here
        return self._class_field(classes[-1], attr, bound)

    def _wandb_config_entry(self, key: str, scope: Scope) -> Known | None:
        """``wandb.config.epochs`` after ``wandb.init(config={"epochs": 1000, ...})``: the
        dict given to ``init`` in the same function (else every ``init`` in the module must
        agree). A sweep may override it; the default path runs none."""
        inits = self._wandb_inits()
        local = [site for site in inits if site.scope is scope]
        agreed: Known | None = None
        for site in local or inits:
            config = next(
                (a.value for a in site.node.args if a.keyword and a.keyword.value == "config"),
                None,
            )
            found = self._dict_entry(config, key, site.scope, site.order) if config else None
            if found is None or found is _UNSET:
                return None
            if agreed is not None and agreed.value != found.value:  # type: ignore[attr-defined]
                return None
            agreed = found  # type: ignore[assignment]
        return agreed

    def _wandb_inits(self) -> list[Site]:
        found = self.program.memo.get(("wandb_inits", 0))
        if found is None:
            found = self.program.memo[("wandb_inits", 0)] = [
                site
                for scope in self.program.scopes
                for site in scope.sites
                if dotted_name(site.node.func) == "wandb.init"
            ]
        return found  # type: ignore[return-value]

    def is_wandb_config(self, base: cst.BaseExpression, scope: Scope) -> bool:
        """``wandb.config``, or a name bound to it (``config = wandb.config``, ``cfg =
        run.config``)."""
        if type(base) is cst.Name:
            bound = self._binding_value(base.value, scope)
            return bound is not None and dotted_name(bound) in ("wandb.config", "run.config")
        return dotted_name(base) == "wandb.config"

    def _class_field(self, info: Any, attr: str, call: cst.Call | None) -> Known | None:
        field = info.fields.get(attr)
        if field is None:
            return None
        value, where = field
        if type(value) is cst.Call and dotted_name(value.func) in ("field", "dataclasses.field"):
            value = next(
                (a.value for a in value.args if a.keyword and a.keyword.value == "default"), None
            )
        found = self.value(value, self.program.module, None)
        if found is None:
            return None
        return found.with_origins(((where, f"`{_shown(where)}` in `{info.name}`", info.name),))

    def _annotated_class(self, name: str, scope: Scope) -> Any:
        """``def train_model(model, cfg: TrainConfig):`` that nothing in the file calls (a
        library's entry point): ``cfg`` is a ``TrainConfig`` as its defaults make it, the
        default path of a caller that passes ``TrainConfig()``."""
        current = _declaring_scope(name, scope)
        if current is None or self.program.callers(current):
            return None
        annotation = current.param(name).node.annotation  # type: ignore[union-attr]
        if annotation is None:
            return None
        named = annotation.annotation
        if type(named) is cst.SimpleString:  # ``cfg: "TrainConfig"``
            text = named.evaluated_value
            named_as = text if isinstance(text, str) else None
        else:
            named_as = dotted_name(named)
        classes = self.program.classes.get(named_as or "")
        return classes[-1] if classes else None

    def _passed_value(self, name: str, scope: Scope) -> cst.BaseExpression | None:
        """What every caller passes for parameter ``name`` (the same code at each call)."""
        current = _declaring_scope(name, scope)
        if current is None:
            return None
        found: cst.BaseExpression | None = None
        empty = cst.Module(body=())
        for site in self.program.callers(current):
            passed = self.program.argument_for(site, current, name)
            if not isinstance(passed, cst.BaseExpression):
                return None
            if found is not None and empty.code_for_node(found) != empty.code_for_node(passed):
                return None
            found = passed
        return found

    def _binding_value(self, name: str, scope: Scope) -> cst.BaseExpression | None:
        """The value a name is bound to, when it is bound exactly once (module or scope)."""
        current: Scope | None = scope
        while current is not None:
            bindings = current.bindings.get(name)
            if bindings:
                if len(bindings) != 1 or bindings[0].augmented or bindings[0].element is not None:
                    return None
                return bindings[0].value
            current = current.parent
        return None

    def _dict_entry(
        self, base: cst.BaseExpression, key: str, scope: Scope, order: int | None
    ) -> object:
        if type(base) is cst.Dict:
            bound: cst.BaseExpression | None = base  # ``wandb.init(config={...})``
        elif type(base) is cst.Name:
            bound = self._binding_value(base.value, scope)
        else:
            return _UNSET
        if type(bound) is cst.Dict:
            for element in bound.elements:
                if type(element) is not cst.DictElement:
                    return None
                found = self.value(element.key, scope, order)
                if found is not None and found.value == key:
                    value = self.value(element.value, scope, order)
                    shown = f"`{_shown(element)}`"
                    return value.with_origins(((element, shown, None),)) if value else None
            return _UNSET
        if type(bound) is cst.Call and dotted_name(bound.func) == "dict":
            for arg in bound.args:
                if arg.keyword is not None and arg.keyword.value == key:
                    value = self.value(arg.value, scope, order)
                    return value.with_origins(((arg, f"`{_shown(arg)}`", None),)) if value else None
                if arg.keyword is None:
                    return None
            return _UNSET
        return None

    def _subscript(self, node: cst.Subscript, scope: Scope, order: int | None) -> Known | None:
        if len(node.slice) != 1 or type(node.slice[0].slice) is not cst.Index:
            return None
        key = self.value(node.slice[0].slice.value, scope, order)
        if key is None:
            return None
        found = self._dict_entry(node.value, key.value, scope, order)
        return None if found is _UNSET else found  # type: ignore[return-value]

    def _call(self, node: cst.Call, scope: Scope, order: int | None) -> Known | None:
        callee = dotted_name(node.func)
        if callee is None:
            return None
        args = node.args
        if callee in _CASTS and len(args) == 1 and args[0].keyword is None:
            found = self.value(args[0].value, scope, order)
            return Known(_CASTS[callee](found.value), found.origins) if found else None
        if callee in _ENVIRONMENT:
            # The default path has no environment variables: the fallback is the value.
            if len(args) >= 2:
                return self.value(args[1].value, scope, order)
            return Known(None) if args else None
        if callee.endswith(".get") and args and type(node.func) is cst.Attribute:
            key = self.value(args[0].value, scope, order)
            if key is None:
                return None
            entry = self._dict_entry(node.func.value, key.value, scope, order)
            if entry is _UNSET:
                return self.value(args[1].value, scope, order) if len(args) > 1 else Known(None)
            return entry  # type: ignore[return-value]
        if last_part(callee) == "device" and len(args) == 1 and args[0].keyword is None:
            return self.value(args[0].value, scope, order)  # torch.device("cpu") -> "cpu"
        if callee in ("max", "min") and len(args) >= 2 and all(a.keyword is None for a in args):
            values = [self.value(a.value, scope, order) for a in args]
            if any(v is None for v in values):
                return None
            pick = max if callee == "max" else min
            chosen = pick(v.value for v in values)  # type: ignore[union-attr]
            return Known(chosen).with_origins(*(v.origins for v in values))  # type: ignore[union-attr]
        return None

    def _unary(self, node: cst.UnaryOperation, scope: Scope, order: int | None) -> Known | None:
        found = self.value(node.expression, scope, order)
        if found is None:
            return None
        kind = type(node.operator)
        if kind is cst.Not:
            return Known(not found.value, found.origins)
        if kind is cst.Minus:
            return Known(-found.value, found.origins)
        if kind is cst.Plus:
            return found
        return None

    def _binary(self, node: cst.BinaryOperation, scope: Scope, order: int | None) -> Known | None:
        operation = _ARITHMETIC.get(type(node.operator))
        if operation is None:
            return None
        right = self.value(node.right, scope, order)
        if (
            operation is operator.mod
            and right is not None
            and type(right.value) is int
            and right.value in (1, -1)
        ):
            return Known(0, right.origins)  # ``step % 1`` is 0 whatever the step
        left = self.value(node.left, scope, order)
        if left is None or right is None:
            return None
        strings = isinstance(left.value, str) or isinstance(right.value, str)
        if strings and operation not in (operator.add, operator.mod):
            return None
        if operation is operator.pow and abs(right.value) > 64:
            return None
        return Known(operation(left.value, right.value)).with_origins(left.origins, right.origins)

    def _comparison(self, node: cst.Comparison, scope: Scope, order: int | None) -> Known | None:
        device_test = self._device_against_string(node, scope)
        if device_test is not None:
            return device_test
        warm_up = _replay_warm_up(node)
        if warm_up is not None:
            return warm_up
        left = self.value(node.left, scope, order)
        if left is None:
            return None
        origins = [left.origins]
        result = True
        for target in node.comparisons:
            compare = _COMPARE.get(type(target.operator))
            right = self.value(target.comparator, scope, order)
            if compare is None or right is None:
                return None
            origins.append(right.origins)
            result = result and bool(compare(left.value, right.value))
            left = right
        return Known(result).with_origins(*origins)

    def _device_against_string(self, node: cst.Comparison, scope: Scope) -> Known | None:
        """``device == "cuda"`` with ``device = torch.device(...)``: a ``torch.device`` never
        equals a string, so the test is False (``!=``: True) whatever the device is."""
        if len(node.comparisons) != 1:
            return None
        operator = type(node.comparisons[0].operator)
        if operator not in (cst.Equal, cst.NotEqual):
            return None
        sides = (node.left, node.comparisons[0].comparator)
        strings = [side for side in sides if type(side) is cst.SimpleString]
        others = [side for side in sides if type(side) is not cst.SimpleString]
        if len(strings) != 1 or len(others) != 1 or not self._is_device_object(others[0], scope):
            return None
        return Known(operator is cst.NotEqual, ((node, f"`{_shown(node)}`", None),))

    def _is_device_object(self, node: cst.BaseExpression, scope: Scope) -> bool:
        value = self._binding_value(node.value, scope) if type(node) is cst.Name else node
        return type(value) is cst.Call and last_part(dotted_name(value.func)) == "device"

    def _boolean(self, node: cst.BooleanOperation, scope: Scope, order: int | None) -> Known | None:
        left = self.value(node.left, scope, order)
        is_and = type(node.operator) is cst.And
        if left is not None and (not left.value if is_and else left.value):
            return left  # short-circuit: the right side does not matter
        right = self.value(node.right, scope, order)
        if right is None:
            return None
        if left is None:
            # ``x and False`` is falsy, ``x or True`` truthy, whatever x is.
            if (not right.value) if is_and else right.value:
                return Known(bool(right.value), right.origins)
            return None
        return Known(right.value, left.with_origins(right.origins).origins)


def defaults_of(program: Program) -> Defaults:
    """The program's evaluator (one per program, so that memoised answers are shared)."""
    found = program.memo.get(("defaults", 0))
    if found is None:
        found = program.memo[("defaults", 0)] = Defaults(program)
    return found  # type: ignore[return-value]


def _declaring_scope(name: str, scope: Scope) -> Scope | None:
    """The function whose parameter ``name`` is, as read in ``scope`` (None: a local or
    module binding of that name comes first, or no parameter has it)."""
    current: Scope | None = scope
    while current is not None and current.param(name) is None:
        if name in current.bindings:
            return None
        current = current.parent
    return current
