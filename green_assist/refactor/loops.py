"""Find training steps and evaluation loops, and the statements of their forward pass.

A *training step* is a statement ``<loss>.backward()``. Its *forward region* is
the run of statements just before it, in the same block, that compute the loss:
walking up from the backward call, a statement belongs to the loss's chain when
it assigns a name the chain reads. The region starts at the first statement of
the chain that calls something other than data movement (``x.to(device)``,
``next(it)``), so moving batches to the device stays outside autocast, and ends
at the last one. The optimizer step and anything after the backward stay out.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import libcst as cst

from ..analysis.helpers import dotted_name, iter_calls, method_name, names_in, receiver
from ..analysis.names import target_names
from ..analysis.tables import AUTOCAST, CHEAP_TENSOR_METHODS, NO_GRAD, TENSOR_FACTORIES
from .context import RefactorContext
from .edits import Statement

# Calls that move, reshape or reduce data; a statement made only of these is not a forward pass.
DATA_METHODS = CHEAP_TENSOR_METHODS | {
    "to",
    "cuda",
    "cpu",
    "half",
    "double",
    "int",
    "bool",
    "pin_memory",
    "clone",
    "type",
    "items",
    "keys",
    "values",
    "get",
}
DATA_FUNCTIONS = frozenset(
    {"next", "len", "iter", "enumerate", "zip", "range", "list", "tuple", "dict", "print"}
)
# Methods on a model that mark its name as a model.
MODEL_METHODS = frozenset({"eval", "train", "parameters", "named_parameters", "state_dict"})


@dataclass
class TrainingStep:
    """One ``<loss>.backward()`` statement and what surrounds it."""

    statement: cst.SimpleStatementLine
    backward: cst.Call
    loss: cst.BaseExpression  # what ``.backward()`` is called on
    body: Sequence[Statement]  # the block holding the statement
    index: int  # the statement's position in ``body``
    region: tuple[int, int] | None  # forward + loss statements: body[start..end]
    problem: str | None  # why there is no region, when that is known
    autocast_index: int | None  # an autocast ``with`` in the chain (narrow: only the loss)
    inside_autocast: bool  # the backward itself runs under autocast
    scaled: bool  # ``scaler.scale(loss).backward()``: AMP is already set up
    # No region of its own: its forward runs in an earlier step's region (two losses
    # computed before the first backward, a generator's output used by both players).
    covered: bool = False


def is_autocast_with(context: RefactorContext, node: cst.CSTNode) -> bool:
    return isinstance(node, cst.With) and any(
        isinstance(item.item, cst.Call) and context.match(item.item.func, AUTOCAST)
        for item in node.items
    )


def is_no_grad_with(context: RefactorContext, node: cst.CSTNode) -> bool:
    return isinstance(node, cst.With) and any(
        context.match(item.item, NO_GRAD) for item in node.items
    )


def assigned_names(statement: Statement) -> set[str]:
    """Names a simple statement binds (``a, b = ...``, ``x: T = ...``, ``n += ...``)."""
    found: set[str] = set()
    if not isinstance(statement, cst.SimpleStatementLine):
        return found
    for small in statement.body:
        targets: list[cst.BaseExpression] = []
        if isinstance(small, cst.Assign):
            targets = [target.target for target in small.targets]
        elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
            targets = [small.target]
        for target in targets:
            found.update(target_names(target))
    return found


def read_names(statement: Statement) -> set[str]:
    """Names a statement reads (for an augmented assignment, its target too)."""
    found: set[str] = set()
    if isinstance(statement, cst.SimpleStatementLine):
        for small in statement.body:
            if isinstance(small, (cst.Assign, cst.AnnAssign)) and small.value is not None:
                found |= names_in(small.value)
            elif isinstance(small, cst.AugAssign):
                found |= names_in(small.value) | set(target_names(small.target))
            else:
                found |= names_in(small)
    else:
        found |= names_in(statement)
    return found


def is_data_call(context: RefactorContext, call: cst.Call) -> bool:
    """Moving, reshaping or sampling data (``x.to(device)``, ``torch.randint(...)``)."""
    method = method_name(call)
    if method in DATA_METHODS:
        return True
    if (dotted_name(call.func) or "") in DATA_FUNCTIONS:
        return True
    return context.match(call.func, TENSOR_FACTORIES) is not None


def computes(context: RefactorContext, statement: cst.CSTNode) -> bool:
    """Does the statement call something other than data handling (a forward, a loss)?"""
    return any(not is_data_call(context, call) for call in iter_calls(statement))


def _backward_calls(context: RefactorContext) -> Iterable[tuple[cst.SimpleStatementLine, cst.Call]]:
    for node in context.nodes:
        if not isinstance(node, cst.SimpleStatementLine) or len(node.body) != 1:
            continue
        small = node.body[0]
        if (
            isinstance(small, cst.Expr)
            and isinstance(small.value, cst.Call)
            and method_name(small.value) == "backward"
            and receiver(small.value) is not None
        ):
            yield node, small.value


def find_training_steps(context: RefactorContext) -> list[TrainingStep]:
    """Every ``x.backward()`` statement (in the cell the run is limited to, if any).

    Regions never take in a backward pass or an optimizer step: in a block with several
    (a GAN's players, several losses), each run of statements between two of them is
    one region, holding the forward statements of every loss computed there.
    """
    steps: list[TrainingStep] = []
    chains: list[list[int]] = []
    for statement, call in _backward_calls(context):
        if not context.in_scope(statement):
            continue
        loss = receiver(call)
        assert loss is not None
        _, body, index = context.block_of(statement)
        scaled = isinstance(loss, cst.Call) and method_name(loss) == "scale"
        inside = any(is_autocast_with(context, a) for a in context.ancestors(statement))
        region, autocast_index, problem, chain = _forward_region(
            context, body, index, names_in(loss)
        )
        steps.append(
            TrainingStep(
                statement, call, loss, body, index, region, problem, autocast_index, inside, scaled
            )
        )
        chains.append(chain)
    _split_at_boundaries(context, steps, chains)
    return steps


def _is_boundary(statement: Statement) -> bool:
    """A statement with a backward pass or an optimizer step: never under autocast."""
    return any(method_name(call) in ("backward", "step") for call in iter_calls(statement))


def _split_at_boundaries(
    context: RefactorContext, steps: list[TrainingStep], chains: list[list[int]]
) -> None:
    blocks: dict[int, list[tuple[TrainingStep, list[int]]]] = {}
    for step, chain in zip(steps, chains, strict=True):
        blocks.setdefault(id(step.body), []).append((step, chain))
    for members in blocks.values():
        body = members[0][0].body
        if any(step.autocast_index is not None for step, _ in members):
            continue  # widening an existing autocast: left to the step's own region
        boundaries = [p for p, statement in enumerate(body) if _is_boundary(statement)]
        # Each chain statement belongs to the run that ends at the next boundary.
        runs: dict[int, set[int]] = {}
        for _, chain in members:
            for position in chain:
                after = bisect.bisect_right(boundaries, position)
                if after < len(boundaries):
                    runs.setdefault(boundaries[after], set()).add(position)
        for step, chain in members:
            if step.region is None:
                continue
            own = runs.get(step.index, set())
            computing = [p for p in own if computes(context, body[p])]
            if computing:
                step.region = (min(computing), max(own))
            else:
                step.region, step.covered = None, bool(chain)


@dataclass
class _BlockIndex:
    """Where a block's statements bind names, so that walking up a loss's chain jumps
    from one statement that matters to the next (a block of thousands of steps stays
    linear, not quadratic)."""

    assigned: list[set[str]]  # names each simple statement binds
    by_name: dict[str, list[int]]  # name -> positions of simple statements binding it
    special: list[int]  # positions of everything but simple statements, and magic lines


def _block_index(context: RefactorContext, body: Sequence[Statement]) -> _BlockIndex:
    key = ("block_index", id(body))
    if key not in context.memo:
        assigned: list[set[str]] = []
        by_name: dict[str, list[int]] = {}
        special: list[int] = []
        for position, statement in enumerate(body):
            names: set[str] = set()
            if isinstance(statement, cst.SimpleStatementLine) and (
                context.masked_source(statement) is None
            ):
                names = assigned_names(statement)
                for name in names:
                    by_name.setdefault(name, []).append(position)
            else:
                special.append(position)
            assigned.append(names)
        context.memo[key] = _BlockIndex(assigned, by_name, special)
    index: _BlockIndex = context.memo[key]
    return index


def _before(positions: list[int], limit: int) -> int:
    """The last of the sorted ``positions`` below ``limit``; -1 if none."""
    found = bisect.bisect_left(positions, limit) - 1
    return positions[found] if found >= 0 else -1


def _forward_region(
    context: RefactorContext, body: Sequence[Statement], index: int, needed: set[str]
) -> tuple[tuple[int, int] | None, int | None, str | None, list[int]]:
    """(region, autocast ``with`` in the chain, why there is no region, the chain).

    Walking up from the backward, a statement joins the chain when it binds a name the
    chain still needs; that name is then found (an earlier binding is overwritten) and
    the names the statement reads are needed instead.
    """
    block = _block_index(context, body)
    needed = set(needed)
    chain: list[int] = []
    autocast_index: int | None = None
    magics: list[str] = []  # IPython lines (masked as ``...``) in the way
    position = index
    while True:
        position = max(
            [_before(block.special, position)]
            + [_before(block.by_name[name], position) for name in needed if name in block.by_name]
        )
        if position < 0:
            break
        statement = body[position]
        magic = context.masked_source(statement)
        if magic is not None:
            magics.append(magic)
            continue
        if is_autocast_with(context, statement):
            assert isinstance(statement, cst.With)
            inner = statement.body.body if isinstance(statement.body, cst.IndentedBlock) else ()
            bound = set().union(*(assigned_names(s) for s in inner)) if inner else set()
            if not bound & needed:
                break
            chain.append(position)
            autocast_index = position
            needed |= set().union(*(read_names(s) for s in inner))
            continue
        if not isinstance(statement, cst.SimpleStatementLine):
            break
        chain.append(position)
        needed = (needed - block.assigned[position]) | read_names(statement)
    for magic in magics:
        if set(re.findall(r"[A-Za-z_]\w*", magic)) & needed:
            problem = (
                f"`{magic.strip()}` computes part of the loss in an IPython magic line, which"
                " cannot go under autocast; move that code out of the magic"
            )
            return None, autocast_index, problem, chain
    computing = [p for p in chain if p == autocast_index or computes(context, body[p])]
    if not computing:
        return None, autocast_index, None, chain
    return (min(computing), max(chain)), autocast_index, None, chain


def optimizer_names(context: RefactorContext) -> set[str]:
    """Names assigned from ``torch.optim.*`` constructors (found once per run)."""
    if ("optimizer_names", 0) in context.memo:
        known: set[str] = context.memo["optimizer_names", 0]
        return set(known)
    found: set[str] = set()
    for node in context.nodes:
        if isinstance(node, cst.Assign) and isinstance(node.value, cst.Call):
            names = context.qualified_names(node.value.func)
            if any(n.startswith("torch.optim.") and "lr_scheduler" not in n for n in names):
                for target in node.targets:
                    dotted = dotted_name(target.target)
                    if dotted:
                        found.add(dotted)
    context.memo["optimizer_names", 0] = found
    return set(found)


def is_optimizer(name: str, known: set[str]) -> bool:
    return name in known or "opt" in name.rsplit(".", 1)[-1].lower()


def model_names(context: RefactorContext) -> set[str]:
    """Names that hold models: ``m.eval()``, ``m.train()``, ``m.parameters()``..."""
    found: set[str] = set()
    for node in context.nodes:
        if isinstance(node, cst.Call) and method_name(node) in MODEL_METHODS:
            owner = receiver(node)
            if isinstance(owner, cst.Name):
                found.add(owner.value)
    return found


def calls_model(statement: Statement, models: set[str]) -> bool:
    return any(
        isinstance(call.func, cst.Name) and call.func.value in models
        for call in iter_calls(statement)
    )


@dataclass
class EvalForward:
    """Statements of an evaluation loop that run the model (and its loss): body[start..end]."""

    body: Sequence[Statement]
    start: int
    end: int


def _under_no_grad(context: RefactorContext, node: cst.CSTNode) -> bool:
    for ancestor in context.ancestors(node):
        if is_no_grad_with(context, ancestor):
            return True
        if isinstance(ancestor, cst.FunctionDef):
            return any(context.match(d.decorator, NO_GRAD) for d in ancestor.decorators)
    return False


def find_eval_forwards(context: RefactorContext, models: set[str]) -> list[EvalForward]:
    """Forward passes in loops under ``torch.no_grad()``/``inference_mode()`` (no backward)."""
    found: list[EvalForward] = []
    if not models:
        return found
    for node in context.nodes:
        if not isinstance(node, (cst.For, cst.While)) or not isinstance(
            node.body, cst.IndentedBlock
        ):
            continue
        body = node.body.body
        if not body or not context.in_scope(body[0]) or not _under_no_grad(context, node):
            continue
        if any(method_name(c) == "backward" for c in iter_calls(node)):
            continue
        if any(is_autocast_with(context, a) for a in context.ancestors(node)):
            continue
        region = _eval_region(body, models)
        if region is not None:
            found.append(EvalForward(body, *region))
    return found


def _is_loss_call(call: cst.Call) -> bool:
    name = (dotted_name(call.func) or "").rsplit(".", 1)[-1].lower()
    return "loss" in name or "criterion" in name or name in {"cross_entropy", "nll_loss"}


def _eval_region(body: Sequence[Statement], models: set[str]) -> tuple[int, int] | None:
    start = next(
        (
            i
            for i, s in enumerate(body)
            if isinstance(s, cst.SimpleStatementLine) and calls_model(s, models)
        ),
        None,
    )
    if start is None:
        return None
    produced = assigned_names(body[start])
    end = start
    for position in range(start + 1, len(body)):
        statement = body[position]
        if not isinstance(statement, cst.SimpleStatementLine):
            break
        if not read_names(statement) & produced:
            break
        if not (calls_model(statement, models) or any(map(_is_loss_call, iter_calls(statement)))):
            break
        end = position
        produced |= assigned_names(statement)
    return start, end
