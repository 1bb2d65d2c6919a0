"""The program model: what a module or notebook does, recorded in the rules' one walk.

Real training code spreads a pattern over functions, cells and configuration: the step
loop lives in ``train()``, the epoch loop in ``main()``, the ``.item()`` in a metric
helper defined three cells earlier, the logging interval in an ``argparse`` default.
Rules that look at one loop or one statement miss it. The :class:`ProgramBuilder` is
the first visitor of the engine's walk; by the time rules run their ``leave_Module`` it
has recorded, for the module or the whole notebook (cells in order, so a later ``def``
replaces an earlier one):

* scopes (the module, every function and method) with their parameters, bindings
  (``name = value``), returns and call sites;
* every call with where it sits: its scope, its innermost loop, the ``if`` branches
  around it (:class:`Branch`), whether autograd is off there, and its order in the text;
* loops with their syntactic parent;
* classes (bases, decorators, class-level fields) and ``argparse`` arguments.

Nothing is decided here; :mod:`.defaults` evaluates values on the default path (no
command-line arguments, no environment variables) and :mod:`.effects` answers the
questions rules ask (which loops train, which helpers sync, where a model runs).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

import libcst as cst

from .helpers import BlockEvents
from .names import ImportTable, NameResolver, dotted_name
from .tables import NO_GRAD, SET_GRAD_ENABLED

# ``with torch.enable_grad():`` turns autograd back on inside an evaluation.
ENABLE_GRAD = frozenset({"torch.enable_grad", "torch.autograd.enable_grad"})


@dataclass(eq=False)
class Branch:
    """One ``if`` branch (or ``except`` handler) around a site: runs when ``test`` is ``taken``.

    ``test`` is None for code that runs only sometimes for reasons the model does not
    evaluate (an ``except`` handler, a loop's ``else``).
    """

    test: cst.BaseExpression | None
    taken: bool
    parent: Branch | None
    node: cst.CSTNode | None = None


@dataclass(eq=False)
class Loop:
    """A ``for``/``while`` loop; ``branch`` is the innermost branch around the loop itself."""

    node: cst.For | cst.While
    scope: Scope
    parent: Loop | None
    branch: Branch | None
    order: int
    # Names bound by the loop target (``for i, (x, y) in ...``).
    targets: frozenset[str] = frozenset()


@dataclass(eq=False)
class Site:
    """A call, where it sits."""

    node: cst.Call
    scope: Scope
    loop: Loop | None
    branch: Branch | None
    grad_off: bool
    order: int
    # Bindings the enclosing assignment makes (``loss = criterion(model(x), y)``: ``loss``;
    # ``losses.append(model(x))``: ``losses``).
    bindings: tuple[Binding, ...] = ()
    # The innermost call whose arguments or receiver hold this one.
    enclosing: Site | None = None
    # Inside a ``return``/``yield`` value: the caller gets the result.
    returned: bool = False

    @property
    def assigned_to(self) -> tuple[str, ...]:
        return tuple(binding.name for binding in self.bindings)

    @property
    def callee(self) -> str | None:
        """``train`` for ``train(...)``, ``self.step`` for ``self.step(...)``."""
        return dotted_name(self.node.func)

    @property
    def method(self) -> str | None:
        func = self.node.func
        return func.attr.value if type(func) is cst.Attribute else None


@dataclass(eq=False)
class Binding:
    """``name = value`` (``value`` None: bound by something the model does not evaluate)."""

    name: str
    value: cst.BaseExpression | None
    node: cst.CSTNode
    scope: Scope
    loop: Loop | None
    branch: Branch | None
    order: int
    augmented: bool = False
    # For ``a, b = x, y``: the element of the tuple this name takes (None: all of it).
    element: int | None = None
    # ``for m in models`` (also in a comprehension): what the name takes its values from.
    iterates: cst.BaseExpression | None = None
    # ``out[mask] = 0.0``, ``state.step = 1``: the object changes but keeps what it held.
    mutates: bool = False

    def element_value(self) -> cst.BaseExpression | None:
        """The value the name gets: all of ``value``, or its element of a written-out tuple
        or list (``q_net, target_net = QNet(), QNet()``; None when it is not written out)."""
        value = self.value
        if self.element is None:
            return value
        if type(value) not in (cst.Tuple, cst.List):
            return None
        elements = value.elements  # type: ignore[union-attr]
        if self.element >= len(elements) or type(elements[self.element]) is not cst.Element:
            return None
        return elements[self.element].value  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Param:
    name: str
    position: int | None  # None for keyword-only and ``*args``/``**kwargs``
    default: cst.BaseExpression | None
    node: cst.Param


@dataclass(eq=False)
class Scope:
    """The module, or one function or method."""

    name: str
    node: cst.Module | cst.FunctionDef
    parent: Scope | None
    class_name: str | None = None
    params: list[Param] = field(default_factory=list)
    grad_off: bool = False  # decorated with @torch.no_grad() / @torch.inference_mode()
    order: int = 0
    sites: list[Site] = field(default_factory=list)
    loops: list[Loop] = field(default_factory=list)
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    # (value, text order) of every ``return``/``yield``.
    returns: list[tuple[cst.BaseExpression, int]] = field(default_factory=list)
    # Local functions defined inside this scope (name -> scopes, in order).
    functions: dict[str, list[Scope]] = field(default_factory=dict)
    # ``torch.set_grad_enabled(False)`` as a statement: grad is off from this order on.
    grad_off_from: int | None = None
    # ``global x`` / ``nonlocal x``: the scope whose ``x`` an assignment here rebinds.
    outer_names: dict[str, Scope] = field(default_factory=dict)

    @property
    def is_module(self) -> bool:
        return self.parent is None

    def param(self, name: str) -> Param | None:
        for param in self.params:
            if param.name == name:
                return param
        return None


@dataclass(eq=False)
class ClassInfo:
    name: str
    node: cst.ClassDef
    bases: tuple[str, ...]
    decorators: tuple[str, ...]
    # Class-level ``name = value`` / ``name: type = value`` (dataclass fields, config classes).
    fields: dict[str, tuple[cst.BaseExpression | None, cst.CSTNode]] = field(default_factory=dict)
    methods: dict[str, Scope] = field(default_factory=dict)
    # ``self.name = value`` in any method.
    attributes: dict[str, list[cst.BaseExpression]] = field(default_factory=dict)
    order: int = 0


@dataclass(eq=False)
class Argument:
    """One ``parser.add_argument(...)``: its destination and default on the default path."""

    dest: str
    default: cst.BaseExpression | None
    node: cst.CSTNode  # the ``default=`` argument, or the call
    store: bool | None = None  # ``store_true`` (False by default) / ``store_false`` (True)
    flag: str = ""  # as written: ``--log-interval``
    scope: str | None = None  # the function that adds it (None: module level)


@dataclass
class Program:
    """Everything the builder recorded for one module (see :mod:`.effects` for queries)."""

    module: Scope
    scopes: list[Scope] = field(default_factory=list)
    classes: dict[str, list[ClassInfo]] = field(default_factory=dict)
    arguments: dict[str, list[Argument]] = field(default_factory=dict)
    # id(call node) -> its site, for rules that hold a node.
    site_of: dict[int, Site] = field(default_factory=dict)
    # Memo of the queries in effects.py and defaults.py (keyed by query name and object).
    memo: dict[tuple[str, int], object] = field(default_factory=dict)
    # Local name -> what it was imported as (``np`` -> ``numpy``), from every import.
    imports: dict[str, str] = field(default_factory=dict)
    _callers: dict[int, list[Site]] | None = field(default=None, repr=False)
    _attribute_calls: dict[str, list[Site]] | None = field(default=None, repr=False)

    def imported_from_library(self, name: str | None) -> bool:
        """``name`` (``ElasticNet``, ``sklearn.linear_model.X``) comes from an installed
        library, not from the project's own modules (``from network import CriticNet``,
        ``from .models import UNet``, or a star import, which leaves it unresolved)."""
        if not name:
            return False
        root, _, _ = name.partition(".")
        qualified = self.imports.get(root)
        if qualified is None or qualified.startswith("."):
            return False
        top = qualified.partition(".")[0]
        return top in sys.stdlib_module_names or top in _LIBRARIES

    def functions_named(self, name: str) -> list[Scope]:
        return self.module.functions.get(name, [])

    def callee(self, site: Site) -> Scope | None:
        """The local function or method a call runs (later definitions replace earlier ones).

        ``train(...)`` resolves through the enclosing functions to the module; at module
        level only definitions above the call count (a notebook runs cells in order).
        ``self.step(...)`` resolves to a method of the enclosing class (or a local base).
        A parameter resolves to the function every caller passes for it
        (``train_step(..., accuracy_fn=accuracy_fn)``).
        """
        func = site.node.func
        if type(func) is cst.Name:
            return self._function_named(func.value, site.scope, site.order, 0)
        if (
            type(func) is cst.Attribute
            and type(func.value) is cst.Name
            and func.value.value in ("self", "cls")
            and site.scope.class_name
        ):
            return self.method(site.scope.class_name, func.attr.value)
        return None

    def _direct_callee(self, site: Site) -> Scope | None:
        """:meth:`callee` without following parameters (used to build the callers table)."""
        func = site.node.func
        if type(func) is cst.Name:
            scope: Scope | None = site.scope
            while scope is not None:
                if scope.functions.get(func.value) or scope.param(func.value) is not None:
                    break
                if func.value in scope.bindings:
                    return None
                scope = scope.parent
            if scope is None or scope.param(func.value) is not None:
                return None
        return self.callee(site)

    def _function_named(self, name: str, start: Scope, order: int, depth: int) -> Scope | None:
        scope: Scope | None = start
        while scope is not None:
            defs = scope.functions.get(name)
            if defs:
                if scope.is_module and start.is_module:
                    before = [d for d in defs if d.order < order]
                    return before[-1] if before else None
                return defs[-1]
            if scope.param(name) is not None:
                return self._passed_function(scope, name, depth)
            if name in scope.bindings:
                return None  # a variable shadows any function
            scope = scope.parent
        return None

    def _passed_function(self, scope: Scope, name: str, depth: int) -> Scope | None:
        """The one local function every caller of ``scope`` passes as parameter ``name``."""
        if depth > 3:
            return None
        found: Scope | None = None
        for site in self.callers(scope):
            passed = self.argument_for(site, scope, name)
            if passed is None:
                passed = scope.param(name).default  # type: ignore[union-attr]
            if type(passed) is not cst.Name:
                return None
            target = self._function_named(passed.value, site.scope, site.order, depth + 1)
            if target is None or (found is not None and target is not found):
                return None
            found = target
        return found

    def method(self, class_name: str, name: str, depth: int = 0) -> Scope | None:
        """``name`` defined in local class ``class_name`` or one of its local bases."""
        infos = self.classes.get(class_name)
        if not infos or depth > 8:
            return None
        info = infos[-1]
        if name in info.methods:
            return info.methods[name]
        for base in info.bases:
            found = self.method(base.rsplit(".", 1)[-1], name, depth + 1)
            if found is not None:
                return found
        return None

    def callers(self, scope: Scope) -> list[Site]:
        """Call sites in the module that run ``scope``."""
        table = self._callers
        if table is None:
            built: dict[int, list[Site]] = {}
            for owner in self.scopes:
                for site in owner.sites:
                    func = site.node.func
                    if type(func) is cst.Name or (
                        type(func) is cst.Attribute
                        and type(func.value) is cst.Name
                        and func.value.value in ("self", "cls")
                    ):
                        target = self._direct_callee(site)
                        if target is not None:
                            built.setdefault(id(target), []).append(site)
            table = self._callers = built
        return table.get(id(scope), [])

    def instance_callers(self, scope: Scope) -> list[Site]:
        """Call sites ``obj.name(...)`` (``obj`` not ``self``/``cls``) of a method no other
        local class defines: the calls that may run it through an instance."""
        owner = scope.class_name
        if owner is None or not isinstance(scope.node, cst.FunctionDef):
            return []
        name = scope.node.name.value
        if any(
            name in infos[-1].methods for other, infos in self.classes.items() if other != owner
        ):
            return []
        table = self._attribute_calls
        if table is None:
            built: dict[str, list[Site]] = {}
            for caller in self.scopes:
                for site in caller.sites:
                    func = site.node.func
                    if type(func) is cst.Attribute and not (
                        type(func.value) is cst.Name and func.value.value in ("self", "cls")
                    ):
                        built.setdefault(func.attr.value, []).append(site)
            table = self._attribute_calls = built
        return table.get(name, [])

    def argument_for(self, site: Site, scope: Scope, name: str) -> object:
        """The expression ``site`` passes for parameter ``name`` of ``scope``.

        None when it passes nothing (the default applies); :data:`STARRED` when
        ``*args``/``**kwargs`` make it unknown.
        """
        param = scope.param(name)
        if param is None:
            return STARRED
        for arg in site.node.args:
            if arg.keyword is not None and arg.keyword.value == name:
                return arg.value
        if any(arg.star for arg in site.node.args):
            return STARRED
        if param.position is None:
            return None
        position = param.position
        if (
            scope.class_name
            and scope.params
            and scope.params[0].name in ("self", "cls")
            and type(site.node.func) is cst.Attribute
        ):
            position -= 1  # bound method: ``self`` is not passed
        positional = [arg for arg in site.node.args if arg.keyword is None]
        if 0 <= position < len(positional):
            return positional[position].value
        return None


# Libraries whose classes and functions are not the project's own (names ending in ``Net``
# or ``Model`` there are not PyTorch modules; their calls write no checkpoint of ours).
_LIBRARIES = frozenset(
    {
        "sklearn",
        "gensim",
        "xgboost",
        "lightgbm",
        "catboost",
        "keras",
        "tensorflow",
        "statsmodels",
        "scipy",
        "numpy",
        "pandas",
        "spacy",
        "nltk",
        "matplotlib",
        "seaborn",
        "PIL",
        "cv2",
        "wandb",
        "mlflow",
        "tensorboard",
        "tqdm",
        "fire",
        "hydra",
        "omegaconf",
        "yaml",
    }
)

# Returned by Program.argument_for when ``*args``/``**kwargs`` hide the argument.
STARRED: object = object()


def _target_names(node: cst.BaseExpression) -> list[tuple[str, int | None]]:
    """(name, element index) bound by an assignment target; attributes and subscripts bind
    their root name (``out["a"] = ...`` changes ``out``)."""
    if type(node) is cst.Name:
        return [(node.value, None)]
    if type(node) in (cst.Tuple, cst.List):
        found: list[tuple[str, int | None]] = []
        for index, element in enumerate(node.elements):  # type: ignore[attr-defined]
            for name, _ in _target_names(element.value):
                found.append((name, index))
        return found
    if type(node) is cst.StarredElement:
        return [(name, None) for name, _ in _target_names(node.value)]
    root = node
    while type(root) in (cst.Attribute, cst.Subscript):
        root = root.value  # type: ignore[attr-defined]
    if type(root) is cst.Name and root is not node:
        return [(root.value, None)]
    return []


def _argparse_dest(call: cst.Call) -> tuple[str, str] | None:
    """(destination, flag as written) of ``parser.add_argument(...)``."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "dest":
            value = arg.value.evaluated_value if type(arg.value) is cst.SimpleString else None
            return (value, value) if isinstance(value, str) else None
    flags: list[str] = []
    for arg in call.args:
        if arg.keyword is None and type(arg.value) is cst.SimpleString:
            flag = arg.value.evaluated_value
            if isinstance(flag, str):
                flags.append(flag)
    if not flags:
        return None
    long = next((flag for flag in flags if flag.startswith("--")), None)
    chosen = long or flags[0]
    dest = chosen.lstrip("-").replace("-", "_")
    return (dest, chosen) if dest else None


_EMPTY_MODULE = cst.Module(body=())


class ProgramBuilder(BlockEvents, cst.BatchableCSTVisitor):
    """Records the program model during the engine's walk (it runs before every rule)."""

    def __init__(self, names: NameResolver) -> None:
        super().__init__()
        self._no_grad, self._set_grad_enabled = NO_GRAD, SET_GRAD_ENABLED
        self._names = names
        module_scope = Scope("<module>", _EMPTY_MODULE, None)
        self.program = Program(module_scope, [module_scope], imports=names.table.bindings)
        self._scopes: list[Scope] = [module_scope]
        self._classes: list[ClassInfo | None] = [None]
        self._loops: list[Loop | None] = [None]
        self._branch: list[Branch | None] = [None]
        self._pending_blocks: dict[int, Branch] = {}
        self._block_stack: list[bool] = []
        self._grad: list[bool] = [False]
        self._with_stack: list[bool | None] = []
        self._order = 0
        self._assigning: list[tuple[Binding, ...]] = []
        self._container_calls: set[int] = set()
        self._calls: list[Site] = []
        self._returning = 0

    # -- helpers ---------------------------------------------------------------------

    def _next(self) -> int:
        self._order += 1
        return self._order

    @property
    def _scope(self) -> Scope:
        return self._scopes[-1]

    def _matches(self, node: cst.BaseExpression, names: frozenset[str]) -> bool:
        return bool(self._names.qualified_names(node, record=False) & names)

    def _grad_switch(self, node: cst.BaseExpression) -> bool | None:
        """False for ``torch.no_grad()``-like context managers, True for ``enable_grad()``."""
        call = node if type(node) is cst.Call else None
        target = call.func if call is not None else node
        if type(target) not in (cst.Name, cst.Attribute):
            return None
        if self._matches(target, self._no_grad):  # inference_mode(False) keeps autograd on
            first = call.args[0].value if call is not None and call.args else None
            return type(first) is cst.Name and first.value == "False"
        if call is not None and call.args and self._matches(target, self._set_grad_enabled):
            first = call.args[0].value
            if type(first) is cst.Name and first.value in ("True", "False"):
                return first.value == "True"
            return None
        if self._matches(target, ENABLE_GRAD):
            return True
        return None

    def _bind(
        self,
        target: cst.BaseExpression,
        value: cst.BaseExpression | None,
        node: cst.CSTNode,
        augmented: bool = False,
    ) -> tuple[Binding, ...]:
        if self._classes[-1] is not None:
            return ()  # a class attribute: recorded in ClassInfo.fields
        scope = self._scope
        if (
            type(target) is cst.Attribute
            and type(target.value) is cst.Name
            and target.value.value == "self"
            and scope.class_name
            and value is not None
        ):
            info = self.program.classes[scope.class_name][-1]
            info.attributes.setdefault(target.attr.value, []).append(value)
        bound: list[Binding] = []
        for name, element in _target_names(target):
            binding = Binding(
                name,
                value,
                node,
                scope,
                self._loops[-1],
                self._branch[-1],
                self._next(),
                augmented,
                element,
                mutates=type(target) in (cst.Attribute, cst.Subscript),
            )
            scope.bindings.setdefault(name, []).append(binding)
            owner = scope.outer_names.get(name)
            if owner is not None:
                # ``global steps_done; steps_done += 1``: the module's name changes too.
                owner.bindings.setdefault(name, []).append(binding)
            bound.append(binding)
        return tuple(bound)

    # -- scopes ----------------------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        outer = self._scope
        owner = self._classes[-1]
        qualified = f"{owner.name}.{node.name.value}" if owner else node.name.value
        decorated = any(self._grad_switch(d.decorator) is False for d in node.decorators)
        scope = Scope(
            qualified,
            node,
            outer,
            owner.name if owner else None,
            grad_off=decorated,
            order=self._next(),
        )
        params = node.params
        for position, param in enumerate((*params.posonly_params, *params.params)):
            scope.params.append(Param(param.name.value, position, param.default, param))
        for param in params.kwonly_params:
            scope.params.append(Param(param.name.value, None, param.default, param))
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                scope.params.append(Param(star.name.value, None, None, star))
        if owner is not None:
            owner.methods[node.name.value] = scope
        else:
            outer.functions.setdefault(node.name.value, []).append(scope)
            # ``def`` binds the name in the enclosing scope too (shadowing a constant).
            self._bind(node.name, None, node)
        self.program.scopes.append(scope)
        self._scopes.append(scope)
        self._classes.append(None)
        self._loops.append(None)
        self._branch.append(None)
        self._grad.append(decorated)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._scopes.pop()
        self._classes.pop()
        self._loops.pop()
        self._branch.pop()
        self._grad.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        bases = tuple(dotted_name(arg.value) or "" for arg in node.bases if arg.keyword is None)
        decorators = tuple(dotted_name(d.decorator) or "" for d in node.decorators)
        info = ClassInfo(node.name.value, node, bases, decorators, order=self._next())
        self.program.classes.setdefault(info.name, []).append(info)
        self._bind(node.name, None, node)
        for statement in node.body.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if type(small) is cst.AnnAssign and type(small.target) is cst.Name:
                    info.fields[small.target.value] = (small.value, small)
                elif type(small) is cst.Assign:
                    for target in small.targets:
                        if type(target.target) is cst.Name:
                            info.fields[target.target.value] = (small.value, small)
        self._classes.append(info)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._classes.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._grad.append(self._grad[-1])

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self._grad.pop()

    # -- loops and branches ----------------------------------------------------------

    def _enter_loop(self, node: cst.For | cst.While, targets: frozenset[str]) -> None:
        loop = Loop(node, self._scope, self._loops[-1], self._branch[-1], self._next(), targets)
        self._scope.loops.append(loop)
        self._loops.append(loop)
        if node.orelse is not None:
            self._pending_blocks[id(node.orelse.body)] = Branch(None, True, None, node)

    def visit_For(self, node: cst.For) -> None:
        self._bind_iteration(node.target, node.iter, node)
        names = frozenset(name for name, _ in _target_names(node.target))
        self._enter_loop(node, names)

    def leave_For(self, original_node: cst.For) -> None:
        self._loops.pop()

    def visit_CompFor(self, node: cst.CompFor) -> None:
        # Bound in the enclosing scope (Python gives comprehensions their own): enough for
        # ``[m(x) for m in ensemble]``; a constant of the same name merely becomes unknown.
        self._bind_iteration(node.target, node.iter, node)

    def _bind_iteration(
        self, target: cst.BaseExpression, iterable: cst.BaseExpression, node: cst.CSTNode
    ) -> None:
        for binding in self._bind(target, None, node):
            # ``for a, b in zip(xs, ys)``: each name may carry any of what is iterated.
            binding.iterates = iterable

    def visit_While(self, node: cst.While) -> None:
        self._enter_loop(node, frozenset())

    def leave_While(self, original_node: cst.While) -> None:
        self._loops.pop()

    def visit_If(self, node: cst.If) -> None:
        parent = self._branch[-1]
        pending = self._pending_blocks.pop(id(node), None)
        if pending is not None:  # an ``elif``: runs when the ``if`` above was not taken
            parent = Branch(pending.test, False, parent, pending.node)
            self._branch.append(parent)
            self._block_stack.append(True)
        else:
            self._block_stack.append(False)
        self._pending_blocks[id(node.body)] = Branch(node.test, True, parent, node)
        if isinstance(node.orelse, cst.Else):
            self._pending_blocks[id(node.orelse.body)] = Branch(node.test, False, parent, node)
        elif isinstance(node.orelse, cst.If):
            self._pending_blocks[id(node.orelse)] = Branch(node.test, False, None, node)

    def leave_If(self, original_node: cst.If) -> None:
        if self._block_stack.pop():
            self._branch.pop()

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        self._pending_blocks[id(node.body)] = Branch(None, True, None, node)
        if node.name is not None:
            self._bind(node.name.name, None, node)

    def _enter_block(self, node: cst.BaseSuite) -> None:
        pending = self._pending_blocks.pop(id(node), None)
        if pending is None:
            self._block_stack.append(False)
            return
        pending.parent = self._branch[-1] if pending.test is None else pending.parent
        self._branch.append(pending)
        self._block_stack.append(True)

    def _leave_block(self) -> None:
        if self._block_stack.pop():
            self._branch.pop()

    def visit_With(self, node: cst.With) -> None:
        switch: bool | None = None
        for item in node.items:
            found = self._grad_switch(item.item)
            if found is not None:
                switch = found
            if item.asname is not None:
                self._bind(item.asname.name, None, item)
        self._with_stack.append(switch)
        if switch is not None:
            self._grad.append(not switch)

    def leave_With(self, original_node: cst.With) -> None:
        if self._with_stack.pop() is not None:
            self._grad.pop()

    # -- bindings --------------------------------------------------------------------

    def visit_Global(self, node: cst.Global) -> None:
        for item in node.names:
            self._scope.outer_names[item.name.value] = self.program.module

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        parent = self._scope.parent
        if parent is not None:
            for item in node.names:
                self._scope.outer_names[item.name.value] = parent

    def visit_Assign(self, node: cst.Assign) -> None:
        bound: list[Binding] = []
        for target in node.targets:
            bound.extend(self._bind(target.target, node.value, node))
        self._assigning.append(tuple(bound))

    def leave_Assign(self, original_node: cst.Assign) -> None:
        self._assigning.pop()

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._assigning.append(self._bind(node.target, node.value, node))

    def leave_AnnAssign(self, original_node: cst.AnnAssign) -> None:
        self._assigning.pop()

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._assigning.append(self._bind(node.target, node.value, node, augmented=True))

    def leave_AugAssign(self, original_node: cst.AugAssign) -> None:
        self._assigning.pop()

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target, node.value, node)

    def visit_Return(self, node: cst.Return) -> None:
        self._returning += 1
        if node.value is not None:
            self._scope.returns.append((node.value, self._next()))

    def leave_Return(self, original_node: cst.Return) -> None:
        self._returning -= 1

    def visit_Yield(self, node: cst.Yield) -> None:
        self._returning += 1
        value = node.value
        if isinstance(value, cst.BaseExpression):
            self._scope.returns.append((value, self._next()))

    def leave_Yield(self, original_node: cst.Yield) -> None:
        self._returning -= 1

    # -- calls -----------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        scope = self._scope
        assigned = self._assigning[-1] if self._assigning else ()
        site = Site(
            node,
            scope,
            self._loops[-1],
            self._branch[-1],
            self._grad[-1],
            self._next(),
            assigned,
            self._calls[-1] if self._calls else None,
            self._returning > 0,
        )
        self._calls.append(site)
        scope.sites.append(site)
        self.program.site_of[id(node)] = site
        func = node.func
        if type(func) is not cst.Attribute:
            return
        method = func.attr.value
        if method in ("append", "extend", "add", "update", "insert") and node.args:
            # ``losses.append(loss)``: the container now holds what was passed.
            self._assigning.append(self._bind(func.value, node.args[-1].value, node, True))
            self._container_calls.add(id(node))
        elif method == "add_argument":
            self._argument(node)
        elif method == "set_defaults":
            for arg in node.args:
                if arg.keyword is not None:
                    argument = Argument(arg.keyword.value, arg.value, arg, flag=arg.keyword.value)
                    self.program.arguments.setdefault(argument.dest, []).append(argument)
        elif (
            method == "set_grad_enabled"
            and scope.grad_off_from is None
            and self._grad_switch(node) is False
            and not self._assigning
        ):
            scope.grad_off_from = site.order

    def leave_Call(self, original_node: cst.Call) -> None:
        self._calls.pop()
        if id(original_node) in self._container_calls:
            self._assigning.pop()

    def _argument(self, node: cst.Call) -> None:
        found = _argparse_dest(node)
        if found is None:
            return
        dest, flag = found
        default: cst.BaseExpression | None = None
        where: cst.CSTNode = node
        store: bool | None = None
        for arg in node.args:
            if arg.keyword is None:
                continue
            if arg.keyword.value == "default":
                default, where = arg.value, arg
            elif arg.keyword.value == "action" and type(arg.value) is cst.SimpleString:
                action = arg.value.evaluated_value
                if action == "store_true":
                    store = False
                elif action == "store_false":
                    store = True
        scope = None if self._scope.is_module else self._scope.name
        argument = Argument(dest, default, where, store, flag, scope)
        self.program.arguments.setdefault(dest, []).append(argument)

    def visit_Module(self, node: cst.Module) -> None:
        self.program.module.node = node
        if not self.program.imports:  # no rule asked for names: the same table, built here
            self.program.imports = ImportTable.build(node).bindings
