"""What the code says about a model before quantizing it: how it is wrapped, where it
lives, how often a statement runs, and which layers it is built from.

Each question answers from the module's source only; "unknown" (None) whenever the
code does not say, so that a refactor refuses only on evidence.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from ..analysis.helpers import argument, iter_calls, method_name, receiver
from .context import RefactorContext, iter_all
from .edits import Statement

# Wrappers that shard or replicate a model across processes or devices.
DISTRIBUTED_WRAPPERS = frozenset(
    {
        "torch.nn.parallel.DistributedDataParallel",
        "torch.nn.parallel.distributed.DistributedDataParallel",
        "torch.nn.DataParallel",
        "torch.nn.parallel.DataParallel",
        "torch.nn.parallel.data_parallel.DataParallel",
        "torch.distributed.fsdp.FullyShardedDataParallel",
        "torch.distributed.fsdp.fully_sharded_data_parallel.FullyShardedDataParallel",
        "torch.distributed.fsdp.fully_shard",
        "torch.distributed._composable.fsdp.fully_shard",
        "deepspeed.initialize",
    }
)
# Constructors whose arguments are the model's layers.
CONTAINERS = frozenset({"torch.nn.Sequential", "torch.nn.ModuleList", "torch.nn.ModuleDict"})
ACCELERATORS = ("cuda", "mps", "xpu")
LOADERS = frozenset({"torch.load", "torch.jit.load", "torch.hub.load", "torch.export.load"})
# Calls in a model class that build no layer (so the class's layers are still known).
NOT_LAYERS = frozenset(
    {"super", "range", "len", "int", "float", "bool", "str", "list", "dict", "tuple", "zip"}
)


def distributed_wrapper(context: RefactorContext, model: str) -> str | None:
    """The call that wraps ``model`` for distributed training (``FSDP(Net())``), if any."""
    for node in context.nodes:
        if not isinstance(node, cst.Call) or not context.match(node.func, DISTRIBUTED_WRAPPERS):
            continue
        if model in _names(node) or _assigned_to(context, node) == model:
            return context.short(node)
    return None


def accelerator(context: RefactorContext, model: str, near: cst.CSTNode) -> str | None:
    """Code that puts ``model`` (or its inputs) on a GPU: ``.cuda(rank)``, ``.to(local_rank)``."""
    places = [context.scope_of(near), context.module]
    for place in places:
        for call in iter_calls(place):
            name = method_name(call)
            if name == "cuda":
                return context.short(call)
            if name != "to" or not call.args:
                continue
            target = argument(call, "device", 0)
            value = target.value if target is not None else None
            if (
                isinstance(value, cst.SimpleString)
                and value.value.strip("\"'").split(":")[0] in ACCELERATORS
            ):
                return context.short(call)
            # An integer device (a process's rank) names a CUDA device.
            if isinstance(value, cst.Name) and "rank" in value.value.lower():
                return context.short(call)
    return None


def runs_every_epoch(context: RefactorContext, line: Statement, depth: int = 6) -> str | None:
    """Why ``line`` runs again and again, or None when it runs once: a loop around it,
    or around a call of its function, followed through callers (``depth`` levels)."""
    chain = _repeated(context, line, depth, set())
    if chain is None:
        return None
    *functions, loop = chain
    if not functions:
        return f"it is inside a loop ({loop})"
    calls = ", which is called from ".join(f"`{name}()`" for name in functions)
    return f"it is in {calls}, called inside a loop ({loop})"


def _repeated(
    context: RefactorContext, node: cst.CSTNode, depth: int, seen: set[str]
) -> list[str] | None:
    """[function, its caller, ..., where the loop is], or None."""
    for ancestor in context.ancestors(node):
        if isinstance(ancestor, (cst.For, cst.While)):
            return [context.where(ancestor)]
        if isinstance(ancestor, cst.FunctionDef):
            name = ancestor.name.value
            if depth == 0 or name in seen:
                return None
            seen.add(name)
            for call in _calls_of(context, name):
                chain = _repeated(context, call, depth - 1, seen)
                if chain is not None:
                    return [name, *chain]
            return None
    return None


def _calls_of(context: RefactorContext, function: str) -> Iterator[cst.Call]:
    """Calls of ``function(...)`` or ``obj.function(...)`` anywhere in the module."""
    for node in context.nodes:
        if not isinstance(node, cst.Call):
            continue
        func = node.func
        if (isinstance(func, cst.Name) and func.value == function) or (
            isinstance(func, cst.Attribute) and func.attr.value == function
        ):
            yield node


def model_layers(context: RefactorContext, model: str) -> set[str] | None:
    """The ``torch.nn`` layer classes ``model`` is built from, when the code shows all
    of them (a ``Sequential`` of layers, or a class defined here); None otherwise."""
    constructors = [
        node.value
        for node in context.nodes
        if isinstance(node, cst.Assign)
        and isinstance(node.value, cst.Call)
        and any(isinstance(t.target, cst.Name) and t.target.value == model for t in node.targets)
    ]
    if len(constructors) != 1:
        return None
    classes = {
        node.name.value: node for node in context.module.body if isinstance(node, cst.ClassDef)
    }
    constructor = _innermost(constructors[0])
    if isinstance(constructor.func, cst.Name) and constructor.func.value in classes:
        return _layers_built_by(context, constructor, classes, set())
    names = context.qualified_names(constructor.func)
    if any(n in CONTAINERS or _is_layer(n) for n in names):
        return _layers_built_by(context, constructor, classes, set())
    return None  # loaded, or built elsewhere: its layers are not in this code


def _is_layer(name: str) -> bool:
    return name.startswith("torch.nn.") and name.rsplit(".", 1)[-1][:1].isupper()


def _layers_built_by(
    context: RefactorContext, node: cst.CSTNode, classes: dict[str, cst.ClassDef], seen: set[str]
) -> set[str] | None:
    """Layers every call in ``node`` builds; None when one of them could build anything."""
    found: set[str] = set()
    for call in iter_calls(node):
        func = call.func
        if isinstance(func, cst.Name) and func.value in classes:
            if func.value not in seen:
                seen.add(func.value)
                inner = _layers_of_class(context, classes[func.value], classes, seen)
                if inner is None:
                    return None
                found |= inner
            continue
        names = context.qualified_names(func)
        if names & CONTAINERS and not all(_built_here(arg.value) for arg in call.args):
            return None  # `nn.Sequential(encoder, *blocks)`: modules made elsewhere
        if not names:
            continue  # a method of a local object (`layers.append`, `super().__init__`)
        name = next(iter(names))
        if name in LOADERS:
            return None  # a whole model read from a file
        if _is_layer(name) and name not in CONTAINERS:
            found.add(name.rsplit(".", 1)[-1])
        elif name.startswith("torch.") or name in NOT_LAYERS:
            continue
        else:
            return None  # a helper, or another library's model: could hold any layer
    return found


def _built_here(node: cst.BaseExpression) -> bool:
    """A container argument whose modules are constructed right there."""
    if isinstance(node, cst.Call):
        return True
    if isinstance(node, (cst.List, cst.Tuple)):
        return all(isinstance(e, cst.Element) and _built_here(e.value) for e in node.elements)
    if isinstance(node, (cst.ListComp, cst.GeneratorExp)):
        return _built_here(node.elt)
    if isinstance(node, cst.Dict):
        return all(isinstance(e, cst.DictElement) and _built_here(e.value) for e in node.elements)
    return False


def _layers_of_class(
    context: RefactorContext, node: cst.ClassDef, classes: dict[str, cst.ClassDef], seen: set[str]
) -> set[str] | None:
    """Layers built in the class's ``__init__``; None if it stores modules passed in."""
    init = next(
        (
            item
            for item in node.body.body
            if isinstance(item, cst.FunctionDef) and item.name.value == "__init__"
        ),
        None,
    )
    if init is None:
        return None
    parameters = {param.name.value for param in init.params.params}
    for inner in iter_all(init):
        value = inner.value if isinstance(inner, cst.Assign) else None
        if isinstance(value, cst.Name) and value.value in parameters:
            return None  # `self.backbone = backbone`: a module from outside
    return _layers_built_by(context, init, classes, seen)


def _innermost(call: cst.Call) -> cst.Call:
    """``Net()`` for ``Net().to(device).eval()``."""
    while isinstance(call.func, cst.Attribute) and isinstance(receiver(call), cst.Call):
        owner = receiver(call)
        assert isinstance(owner, cst.Call)
        call = owner
    return call


def _names(node: cst.CSTNode) -> set[str]:
    return {n.value for n in iter_all(node) if isinstance(n, cst.Name)}


def _assigned_to(context: RefactorContext, call: cst.Call) -> str | None:
    parent = context.parent(call)
    if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
        target = parent.targets[0].target
        if isinstance(target, cst.Name):
            return target.value
    return None
