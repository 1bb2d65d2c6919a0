"""``grad-accumulation``: N micro-batches per optimizer step instead of one big batch (GA113).

Plain PyTorch loops ``for x, y in loader: ... loss.backward(); optimizer.step()``:

* the loader's batch size B becomes ``B // accumulation_steps`` (B must be a multiple of
  N when it is known). B may be a literal, a constant, an argparse default (a new
  ``--accumulation-steps`` flag is added next to ``--batch-size``) or a config-dict entry
  (a new ``"accumulation_steps"`` entry is added next to ``"batch_size"``);
* the loop counts its micro-batches (``enumerate``, reusing an existing one), the loss is
  divided by N in the backward call only (``(loss / N).backward()``, so logged losses keep
  their meaning), and the optimizer step, gradient clipping, scheduler and scaler calls and
  ``zero_grad`` run every N micro-batches and at the end of the epoch; a ``zero_grad``
  before the forward pass runs at the start of each group of N.

The effective batch and the number of optimizer steps per epoch stay the same. For
SGD/Adam without batch-dependent layers and with the same data order, the weights
equal the original's up to float rounding. Hugging Face ``TrainingArguments`` get
``gradient_accumulation_steps`` (and a per-device batch divided by N); Lightning's
``Trainer`` gets ``accumulate_grad_batches`` (and its training DataLoaders a batch
divided by N). Loops whose optimizer step is already conditional are left alone.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from ..analysis.helpers import (
    append_keyword,
    argument,
    dotted_name,
    int_value,
    iter_calls,
    iter_nodes,
    keyword,
    method_name,
    receiver,
    string_value,
)
from ..analysis.tables import BATCH_NORMS, DATALOADERS
from .base import Option, Refactor
from .context import RefactorContext
from .edits import Statement, statement
from .loops import TrainingStep, find_training_steps, is_optimizer, optimizer_names

HF_ARGUMENTS = frozenset(
    {
        "transformers.TrainingArguments",
        "transformers.training_args.TrainingArguments",
        "transformers.Seq2SeqTrainingArguments",
        "transformers.training_args_seq2seq.Seq2SeqTrainingArguments",
        "trl.SFTConfig",
        "trl.DPOConfig",
    }
)
LIGHTNING_TRAINERS = frozenset(
    {"lightning.Trainer", "lightning.pytorch.Trainer", "pytorch_lightning.Trainer"}
)
HF_DEFAULT_BATCH = 8  # TrainingArguments.per_device_train_batch_size
# Calls that belong to an optimizer step (they move into the every-N block).
STEP_METHODS = frozenset({"step", "zero_grad", "update", "unscale_"})
CLIPPING = ("clip_grad_norm_", "clip_grad_value_")
# Iterables that wrap a loader and keep its length: ``tqdm(loader)``.
WRAPPERS = frozenset({"tqdm", "tqdm.tqdm", "tqdm.auto.tqdm", "tqdm.notebook.tqdm"})


def _steps(value: str) -> int:
    number = int(value)
    if number < 2:
        raise ValueError("must be a whole number of at least 2")
    return number


@dataclass
class _BatchSize:
    """Where the loader's batch size comes from, and how to refer to N next to it."""

    node: cst.BaseExpression  # the batch_size argument's value
    known: int | None  # its value, when the code fixes it
    origin: str  # for the notes


class GradAccumulation(Refactor):
    name = "grad-accumulation"
    title = "Accumulate gradients over micro-batches"
    summary = (
        "split each training batch into N micro-batches and accumulate their gradients:"
        " the same effective batch and optimizer steps with 1/N of the activation memory"
    )
    answers = ("GA113",)
    options = {
        "steps": Option(
            4, "micro-batches per optimizer step (N); the batch size must be a multiple", _steps
        ),
    }

    def apply(self, context: RefactorContext) -> None:
        self.context = context
        self.steps: int = context.options["steps"]
        self.changed = 0
        self.already = False  # some code accumulates gradients already
        self.reasons: list[str] = []  # what could not be changed, and why
        self.divided: dict[int, tuple[str, str]] = {}  # loader -> (description, N's text)
        self.variables: dict[int, str] = {}  # scope -> the variable holding N
        self.counter = ""  # the micro-batch counter added to loops without enumerate
        self._frameworks()
        self.optimizers = optimizer_names(context)
        for step in find_training_steps(context):
            self._loop(step)
        if not self.changed:
            if self.reasons and not self.already:
                context.refuse(self.reasons[0])
            if not self.already:
                context.refuse(
                    "found no training loop (`loss.backward()` then `optimizer.step()` in a"
                    " `for` loop over a DataLoader), Hugging Face TrainingArguments or"
                    " Lightning Trainer to change"
                )
            return
        for reason in self.reasons:
            context.note(reason)
        self._general_notes()

    # -- frameworks ----------------------------------------------------------------------
    def _frameworks(self) -> None:
        context = self.context
        for node in context.nodes:
            if not isinstance(node, cst.Call) or not context.in_scope(node):
                continue
            if context.match(node.func, HF_ARGUMENTS):
                self._hugging_face(node)
            elif context.match(node.func, LIGHTNING_TRAINERS):
                self._lightning(node)

    def _hugging_face(self, call: cst.Call) -> None:
        context, steps = self.context, self.steps
        shown = context.short(call)
        if keyword(call, "gradient_accumulation_steps") is not None:
            context.note(f"`{shown}` accumulates gradients already")
            self.already = True
            return
        if any(arg.star for arg in call.args):
            self.reasons.append(f"`{shown}`: keyword arguments come from `**`; set it by hand")
            return
        batch = keyword(call, "per_device_train_batch_size")
        size = int_value(batch.value) if batch is not None else HF_DEFAULT_BATCH
        if size is not None and size % steps:
            self.reasons.append(
                f"`{shown}`: the per-device batch size {size} is not a multiple of steps={steps}"
            )
            return
        new = call
        if batch is None:
            new = append_keyword(
                new, "per_device_train_batch_size", cst.Integer(str(HF_DEFAULT_BATCH // steps))
            )
            origin, new_size = f"the default {HF_DEFAULT_BATCH}", str(HF_DEFAULT_BATCH // steps)
        else:
            origin = context.code(batch.value)
            new_size = str(size // steps) if size is not None else f"{origin} // {steps}"
            divided = (
                cst.Integer(str(size // steps))
                if size is not None
                else cst.parse_expression(f"{_operand(context, batch.value)} // {steps}")
            )
            new = new.with_changes(
                args=[a.with_changes(value=divided) if a is batch else a for a in new.args]
            )
        new = append_keyword(new, "gradient_accumulation_steps", cst.Integer(str(steps)))
        context.edits.replace(call, new)
        self.changed += 1
        context.note(
            f"{context.where(call)}: TrainingArguments: per_device_train_batch_size {origin} ->"
            f" {new_size}, gradient_accumulation_steps={steps} (the Trainer divides the loss"
            " and steps every N micro-batches itself)"
        )

    def _lightning(self, call: cst.Call) -> None:
        context, steps = self.context, self.steps
        shown = context.short(call)
        if keyword(call, "accumulate_grad_batches") is not None:
            context.note(f"`{shown}` accumulates gradients already")
            self.already = True
            return
        context.edits.replace(
            call, append_keyword(call, "accumulate_grad_batches", cst.Integer(str(steps)))
        )
        self.changed += 1
        done = [self._divide(loader, None) for loader in self._lightning_loaders()]
        changed = [found[0] for found in done if found is not None]
        context.note(
            f"{context.where(call)}: Lightning Trainer: accumulate_grad_batches={steps} (Lightning"
            " divides the loss and steps every N batches itself)"
            + (f"; training {', '.join(changed)}" if changed else "")
        )
        if not changed:
            self.reasons.append(
                f"divide the training DataLoader's batch size by {steps} yourself: no"
                " DataLoader with a batch size was found in `train_dataloader` or `.fit(...)`"
            )

    def _lightning_loaders(self) -> list[cst.Call]:
        """DataLoaders built in ``train_dataloader`` methods or passed to ``.fit``."""
        context = self.context
        found: list[cst.Call] = []
        for node in context.nodes:
            if isinstance(node, cst.FunctionDef) and node.name.value == "train_dataloader":
                found += [c for c in iter_calls(node) if context.match(c.func, DATALOADERS)]
            elif isinstance(node, cst.Call) and method_name(node) == "fit":
                given = argument(node, "train_dataloaders", 1)
                if given is not None:
                    loader = self._loader_call(given.value)
                    if loader is not None:
                        found.append(loader)
        return list(dict.fromkeys(found))

    # -- plain loops ---------------------------------------------------------------------
    def _loop(self, step: TrainingStep) -> None:
        context = self.context
        loop = context.parent(context.parent(step.statement) or step.statement)
        where = context.where(step.statement)
        if not isinstance(loop, cst.For) or loop.body is not context.parent(step.statement):
            self.reasons.append(
                f"{where}: `{context.short(step.statement)}` is not directly in the body of a"
                " `for` loop over a DataLoader; accumulate by hand"
            )
            return
        body = step.body
        optimizers = self.optimizers
        step_lines, zero_grads = self._per_step_lines(body)
        if self._conditional_step(step, optimizers):
            context.note(
                f"{where}: the loop steps its optimizer conditionally: it accumulates already"
            )
            self.already = True
            return
        block = step_lines[bisect.bisect_right(step_lines, step.index) :]
        if not any(self._steps_optimizer(body[i], optimizers) for i in block):
            self.reasons.append(
                f"{where}: no `optimizer.step()` follows `{context.short(step.statement)}` in the"
                " loop"
            )
            return
        iterable, index_name, enumerate_call = self._iteration(loop)
        loader = self._loader_call(iterable)
        if loader is None:
            self.reasons.append(
                f"{where}: the loop iterates `{context.short(iterable)}`, not a DataLoader whose"
                " batch size could be split"
            )
            return
        divided = self._divide(loader, loop)
        if divided is None:
            return
        description, steps_text = divided
        if index_name is None and not self.counter:  # one name for every loop changed
            self.counter = context.fresh_name("micro_step", "step")
        counter = index_name or self.counter
        if enumerate_call is None:
            self._enumerate(loop, counter)
        drop_last = keyword(loader, "drop_last")
        dropping = drop_last is not None and dotted_name(drop_last.value) == "True"
        length = f"len({context.code(self._unwrapped(iterable))})"
        boundary = f"({counter} + 1) % {steps_text} == 0"
        if not dropping:
            boundary += f" or {counter} + 1 == {length}"
        first, last = block[0], block[-1]
        module = context.module

        def wrap(statements: list[Statement]) -> Statement:
            return _if_block(f"if {boundary}:", statements, module)

        def first_of_group(statements: list[Statement]) -> Statement:
            return _if_block(f"if {counter} % {steps_text} == 0:", statements, module)

        context.edits.wrap(body[first], body[last], wrap)
        for position in zero_grads[: bisect.bisect_left(zero_grads, step.index)]:
            # zero_grad before the forward pass
            context.edits.wrap(body[position], body[position], first_of_group)
        if dropping:
            stop = statement(
                f"if {counter} >= {length} - {length} % {steps_text}:\n"
                f"{module.default_indent}break  # an incomplete group, as drop_last drops\n",
                module,
            )
            context.edits.insert_before(body[0], [stop])
        self._scale_loss(step, steps_text)
        self._counting_notes(loop, self._unwrapped(iterable), index_name)
        self.changed += 1
        context.note(
            f"{where}: {description}; {self.steps} backward passes per optimizer step, each loss"
            f" divided by {self.steps}; optimizer step and zero_grad every {self.steps}"
            " micro-batches"
            + (
                " (an incomplete last group is dropped, as drop_last did)"
                if dropping
                else " and at the end of the epoch"
            )
            + ": the same effective batch and optimizer steps per epoch"
        )

    def _counting_notes(
        self, loop: cst.For, loader: cst.BaseExpression, counter: str | None
    ) -> None:
        """Code that counted batches now counts micro-batches: say where."""
        context, steps = self.context, self.steps
        if context.memo.setdefault(("counted", id(loop)), False):
            return  # said for the loop's first backward already (notes are not repeated)
        context.memo["counted", id(loop)] = True
        shown = context.code(loader)
        if ("len_calls", 0) not in context.memo:  # once per run, not once per loop
            context.memo["len_calls", 0] = [
                node
                for node in context.nodes
                if isinstance(node, cst.Call)
                and dotted_name(node.func) == "len"
                and len(node.args) == 1
            ]
        for node in context.memo["len_calls", 0]:
            if node.args[0].value.deep_equals(loader) and node is not loader:
                context.note(
                    f"{context.where(node)}: `len({shown})` now counts micro-batches ({steps}x"
                    " more than before); where it stands for optimizer steps (a scheduler's"
                    f" total_steps, warm-up), divide it by {steps}"
                )
        body = loop.body.body if isinstance(loop.body, cst.IndentedBlock) else ()
        if counter is not None and any(
            isinstance(n, cst.Name) and n.value == counter for s in body for n in iter_nodes(s)
        ):
            context.note(
                f"the loop's counter `{counter}` now counts micro-batches; code that reads it"
                f" for optimizer steps (logging every k steps) sees {steps}x larger numbers"
            )

    def _conditional_step(self, step: TrainingStep, optimizers: set[str]) -> bool:
        """An optimizer step inside an ``if`` after the backward: accumulation already."""
        key = ("conditional_steps", id(step.body))
        if key not in self.context.memo:  # once per block: the last such position
            self.context.memo[key] = max(
                (
                    position
                    for position, node in enumerate(step.body)
                    if not isinstance(node, cst.SimpleStatementLine)
                    and any(self._steps_call(c, optimizers) for c in iter_calls(node))
                ),
                default=-1,
            )
        last: int = self.context.memo[key]
        return last > step.index

    def _steps_call(self, call: cst.Call, optimizers: set[str]) -> bool:
        owner = dotted_name(receiver(call)) if receiver(call) is not None else None
        return (
            method_name(call) == "step"
            and owner is not None
            and (is_optimizer(owner, optimizers) or "scaler" in owner.lower())
        )

    def _per_step_lines(self, body: Sequence[Statement]) -> tuple[list[int], list[int]]:
        """Positions in ``body`` of the lines run once per optimizer step, and of the
        zero_grad lines; found once per block (a loop of many backward passes stays linear)."""
        key = ("per_step_lines", id(body))
        if key not in self.context.memo:
            lines = [
                position
                for position, line in enumerate(body)
                if isinstance(line, cst.SimpleStatementLine)
                and self._is_step_statement(line, self.optimizers)
            ]
            zero = [
                position
                for position, line in enumerate(body)
                if isinstance(line, cst.SimpleStatementLine) and _is_zero_grad(line)
            ]
            self.context.memo[key] = (lines, zero)
        found: tuple[list[int], list[int]] = self.context.memo[key]
        return found

    def _steps_optimizer(self, line: Statement, optimizers: set[str]) -> bool:
        return any(self._steps_call(c, optimizers) for c in iter_calls(line))

    def _is_step_statement(self, line: cst.SimpleStatementLine, optimizers: set[str]) -> bool:
        """Clipping, optimizer/scheduler/scaler steps, zero_grad: once per optimizer step."""
        for call in iter_calls(line):
            method = method_name(call)
            owner_node = receiver(call)
            owner = (dotted_name(owner_node) or "").lower() if owner_node is not None else ""
            last = (dotted_name(call.func) or "").rsplit(".", 1)[-1]
            if last in CLIPPING or method == "zero_grad":
                return True
            if method == "step" and (self._steps_call(call, optimizers) or "sched" in owner):
                return True
            if method in ("update", "unscale_") and "scaler" in owner:
                return True
        return False

    def _iteration(self, loop: cst.For) -> tuple[cst.BaseExpression, str | None, cst.Call | None]:
        """(the iterable, the existing step counter, the enumerate call) of ``loop``."""
        iterable = loop.iter
        if (
            isinstance(iterable, cst.Call)
            and dotted_name(iterable.func) == "enumerate"
            and len(iterable.args) == 1
            and isinstance(loop.target, cst.Tuple)
            and isinstance(loop.target.elements[0].value, cst.Name)
        ):
            return iterable.args[0].value, loop.target.elements[0].value.value, iterable
        return iterable, None, None

    def _enumerate(self, loop: cst.For, counter: str) -> None:
        context = self.context
        target = loop.target
        target_text = context.code(target)
        if isinstance(target, cst.Tuple) and not target.lpar:
            target_text = f"({target_text})"
        iterable = context.code(loop.iter)
        context.edits.replace(loop.target, cst.parse_expression(f"{counter}, {target_text}"))
        context.edits.replace(loop.iter, cst.parse_expression(f"enumerate({iterable})"))

    def _unwrapped(self, node: cst.BaseExpression) -> cst.BaseExpression:
        """``loader`` for ``tqdm(loader)`` (the wrapper would draw a new bar for len())."""
        if isinstance(node, cst.Call) and node.args and self._is_wrapper(node):
            return self._unwrapped(node.args[0].value)
        return node

    def _is_wrapper(self, call: cst.Call) -> bool:
        return bool(self.context.match(call.func, WRAPPERS)) or dotted_name(call.func) == "tqdm"

    def _loader_call(self, node: cst.BaseExpression) -> cst.Call | None:
        """The ``DataLoader(...)`` call ``node`` (a name, a call, ``tqdm(loader)``) refers to."""
        context = self.context
        if isinstance(node, cst.Call) and context.match(node.func, DATALOADERS):
            return node
        if isinstance(node, cst.Call) and node.args and self._is_wrapper(node):
            return self._loader_call(node.args[0].value)
        if isinstance(node, cst.Name):
            if ("assigned_values", 0) not in context.memo:  # name -> values, once per run
                values: dict[str, list[cst.BaseExpression]] = {}
                for n in context.nodes:
                    if (
                        isinstance(n, cst.Assign)
                        and len(n.targets) == 1
                        and isinstance(n.targets[0].target, cst.Name)
                    ):
                        values.setdefault(n.targets[0].target.value, []).append(n.value)
                context.memo["assigned_values", 0] = values
            found = context.memo["assigned_values", 0].get(node.value, [])
            calls = [
                v for v in found if isinstance(v, cst.Call) and context.match(v.func, DATALOADERS)
            ]
            return calls[0] if len(found) == 1 and calls else None
        return None

    # -- the batch size ------------------------------------------------------------------
    def _divide(self, loader: cst.Call, loop: cst.For | None) -> tuple[str, str] | None:
        """Divide ``loader``'s batch size by N: (description, N's text), or None (refused)."""
        context, steps = self.context, self.steps
        if id(loader) in self.divided:
            return self.divided[id(loader)]
        given = argument(loader, "batch_size", 1)
        where = context.where(loader)
        if given is None or (isinstance(given.value, cst.Name) and given.value.value == "None"):
            self.reasons.append(
                f"{where}: `{context.short(loader)}` has no batch size to split (batch_size=1 or"
                " a batch_sampler)"
            )
            return None
        value = given.value
        source = self._source(value)
        if source.known is not None and source.known % steps:
            self.reasons.append(
                f"{where}: the batch size {source.origin} is not a multiple of"
                f" steps={steps}; choose steps that divide it"
            )
            return None
        # Lightning's Trainer holds N itself; the loader only shrinks.
        steps_text = self._steps_reference(value, loader, loop) if loop else str(steps)
        divided = cst.parse_expression(f"{_operand(context, value)} // {steps_text}")
        context.edits.replace(value, divided)
        description = f"batch size {source.origin} -> {context.code(value)} // {steps_text}"
        if source.known is None:
            context.note(
                f"{where}: the batch size `{context.code(value)}` must be a multiple of {steps}"
            )
        self.divided[id(loader)] = (description, steps_text)
        return self.divided[id(loader)]

    def _source(self, value: cst.BaseExpression) -> _BatchSize:
        """The batch size's value where the code fixes it: literal, constant, argparse, config."""
        context = self.context
        literal = int_value(value)
        if literal is not None:
            return _BatchSize(value, literal, str(literal))
        if isinstance(value, cst.Name):
            assigned = [
                n.value
                for n in context.nodes
                if isinstance(n, cst.Assign)
                and any(
                    isinstance(t.target, cst.Name) and t.target.value == value.value
                    for t in n.targets
                )
            ]
            if len(assigned) == 1 and int_value(assigned[0]) is not None:
                known = int_value(assigned[0])
                return _BatchSize(value, known, f"{value.value} = {known}")
        argparse = self._argparse_default(value)
        if argparse is not None:
            return _BatchSize(value, argparse[1], f"{context.code(value)}, default {argparse[1]}")
        entry = self._config_entry(value)
        if entry is not None and int_value(entry.value) is not None:
            known = int_value(entry.value)
            return _BatchSize(value, known, f"{context.code(value)} = {known}")
        return _BatchSize(value, None, f"`{context.code(value)}`")

    def _argparse_default(self, value: cst.BaseExpression) -> tuple[cst.Call, int | None] | None:
        """(``add_argument`` call, its default) for ``args.batch_size``."""
        if not isinstance(value, cst.Attribute) or not isinstance(value.value, cst.Name):
            return None
        dest = value.attr.value
        for node in self.context.nodes:
            if not isinstance(node, cst.Call) or method_name(node) != "add_argument":
                continue
            flags = [string_value(a.value) for a in node.args if a.keyword is None]
            named = keyword(node, "dest")
            dests = {f.lstrip("-").replace("-", "_") for f in flags if f and f.startswith("--")}
            if named is not None:
                dests = {string_value(named.value) or ""}
            if dest in dests:
                default = keyword(node, "default")
                return node, int_value(default.value) if default is not None else None
        return None

    def _config_entry(self, value: cst.BaseExpression) -> cst.DictElement | None:
        """The ``"batch_size": 4096`` entry of ``config = {...}`` for ``config["batch_size"]``."""
        if not (isinstance(value, cst.Subscript) and isinstance(value.value, cst.Name)):
            return None
        if len(value.slice) != 1 or not isinstance(value.slice[0].slice, cst.Index):
            return None
        key = string_value(value.slice[0].slice.value)
        literal = self._dict_literal(value.value.value)
        if key is None or literal is None:
            return None
        for element in literal.elements:
            if isinstance(element, cst.DictElement) and string_value(element.key) == key:
                return element
        return None

    def _dict_literal(self, name: str) -> cst.Dict | None:
        found = [
            n.value
            for n in self.context.nodes
            if isinstance(n, cst.Assign)
            and any(isinstance(t.target, cst.Name) and t.target.value == name for t in n.targets)
        ]
        return found[0] if len(found) == 1 and isinstance(found[0], cst.Dict) else None

    def _steps_reference(self, value: cst.BaseExpression, loader: cst.Call, loop: cst.For) -> str:
        """How the code refers to N: a new argparse flag, config entry, or variable."""
        context, steps = self.context, self.steps
        argparse = self._argparse_default(value)
        if argparse is not None and isinstance(value, cst.Attribute):
            call = argparse[0]
            line = context.statement_of(call)
            owner = receiver(call)
            dest = context.fresh_name("accumulation_steps", "grad_accumulation_steps")
            flag = "--" + dest.replace("_", "-")
            if isinstance(line, cst.SimpleStatementLine) and owner is not None:
                indent = context.module.default_indent
                code = (
                    f"{context.code(owner)}.add_argument(\n"
                    f'{indent}"{flag}", type=int, default={steps},'
                    ' help="micro-batches per optimizer step"\n)\n'
                )
                context.edits.insert_after(line, [statement(code, context.module)])
                return f"{context.code(value.value)}.{dest}"
        entry = self._config_entry(value)
        if entry is not None and isinstance(value, cst.Subscript):
            literal = self._dict_literal(dotted_name(value.value) or "")
            key = context.fresh_name("accumulation_steps")
            quote = context.code(entry.key)[0]
            if literal is not None:
                added = cst.DictElement(
                    cst.parse_expression(f"{quote}{key}{quote}"), cst.Integer(str(steps))
                )
                elements = list(literal.elements)
                position = elements.index(entry) + 1
                comma = (
                    entry.comma
                    if isinstance(entry.comma, cst.Comma)
                    else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                )
                elements[position - 1] = entry.with_changes(comma=comma)
                if position < len(elements) or isinstance(entry.comma, cst.Comma):
                    added = added.with_changes(comma=comma)
                elements.insert(position, added)
                context.edits.replace(literal, literal.with_changes(elements=elements))
                return f"{context.code(value.value)}[{quote}{key}{quote}]"
        return self._variable(loader, loop)

    def _variable(self, loader: cst.Call, loop: cst.For) -> str:
        """``accumulation_steps = N`` before the loader and the loop (in one scope)."""
        context = self.context
        scope = context.scope_of(loader)
        if context.scope_of(loop) is not scope:
            return str(self.steps)
        if id(scope) in self.variables:
            return self.variables[id(scope)]
        name = context.fresh_name("accumulation_steps")
        anchor = min(
            self._scope_statement(loader, scope),
            self._scope_statement(loop, scope),
            key=context.line_of,
        )
        code = f"{name} = {self.steps}  # micro-batches per optimizer step\n"
        context.edits.insert_before(anchor, [statement(code, context.module)])
        self.variables[id(scope)] = name
        return name

    def _scope_statement(self, node: cst.CSTNode, scope: cst.Module | cst.FunctionDef) -> Statement:
        """The statement of ``scope``'s own body that holds ``node``."""
        block = scope.body
        body: Sequence[cst.CSTNode] = (
            block.body if isinstance(block, cst.IndentedBlock) else scope.body  # type: ignore[assignment]
        )
        for candidate in [node, *self.context.ancestors(node)]:
            if any(candidate is s for s in body):
                return candidate  # type: ignore[return-value]
        raise ValueError("the node is not in its scope")

    def _scale_loss(self, step: TrainingStep, steps_text: str) -> None:
        context = self.context
        loss = step.loss
        if isinstance(loss, cst.Call) and method_name(loss) == "scale" and loss.args:
            inner = loss.args[0].value
            new = cst.parse_expression(f"{_operand(context, inner)} / {steps_text}")
            context.edits.replace(inner, new)
            return
        new = cst.parse_expression(f"({_operand(context, loss)} / {steps_text})")
        context.edits.replace(loss, new)

    # -- notes ---------------------------------------------------------------------------
    def _general_notes(self) -> None:
        context = self.context
        norms = sorted(
            {
                name.rsplit(".", 1)[-1]
                for node in context.nodes
                if isinstance(node, cst.Call)
                for name in context.qualified_names(node.func)
                if name in BATCH_NORMS
            }
        )
        if norms:
            context.note(
                f"{', '.join(norms)}: batch norm computes its statistics over each micro-batch"
                " (B/N samples) instead of the whole batch, and updates its running statistics"
                " N times per optimizer step: the results are close to the original's, not"
                " identical (GroupNorm and LayerNorm do not depend on the batch)"
            )
        else:
            context.note(
                "without batch-dependent layers (batch norm) and with the same data order"
                " (the sampler's order does not depend on the batch size), the weights after"
                " each optimizer step equal the original's up to float rounding"
            )
        context.note(
            "if the dataset size is not a multiple of the batch size, the last optimizer step"
            " of an epoch (on the leftover samples) is scaled by about leftover/B; set"
            " drop_last=True on the DataLoader for identical updates"
        )
        if context.target.device == "cpu":
            context.note(
                f"the target is {context.target.describe()}: activations live in host"
                " memory, which rarely limits the batch, so expect a lower peak memory and"
                " nothing else"
            )
        context.note(
            "what it buys: activation memory for B/N samples instead of B, so a model or"
            " batch that did not fit now fits, or a smaller accelerator does the job. It"
            " does not lower the compute per epoch, and smaller batches use the hardware"
            " less efficiently: expect the same or a slightly longer time and energy. To"
            " spend less energy, lower the effective batch toward the critical batch size"
            " instead (GA113)."
        )


def _operand(context: RefactorContext, node: cst.BaseExpression) -> str:
    text = context.code(node)
    if isinstance(node, (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.Integer)):
        return text
    return text if node.lpar else f"({text})"


def _is_zero_grad(line: cst.SimpleStatementLine) -> bool:
    return len(line.body) == 1 and any(method_name(c) == "zero_grad" for c in iter_calls(line))


def _if_block(header: str, body: list[Statement], module: cst.Module) -> Statement:
    template = statement(f"{header}\n{module.default_indent}pass\n", module)
    assert isinstance(template, cst.If) and isinstance(template.body, cst.IndentedBlock)
    return template.with_changes(body=template.body.with_changes(body=list(body)))
