"""How data reaches the model: loader workers, pinned memory, passes over the data."""

from __future__ import annotations

import re

import libcst as cst

from ..findings import Severity
from ..helpers import (
    DictLiterals,
    append_keyword,
    argument,
    call_assignment,
    describe,
    dotted_name,
    effective_keywords,
    int_value,
    is_false,
    keyword,
    method_name,
    string_value,
)
from ..loops import LoopAwareRule, LoopFrame
from ..rule import ProposedFix, Rule, RuleDoc, RuleOption
from ..tables import (
    ACCELERATOR_MARKERS,
    DATA_NAME_WORDS,
    DATALOADERS,
    EVALUATION_CALL_WORDS,
    EVALUATION_WORDS,
    TENSOR_DATASETS,
    TRAINING_BATCH_NAMES,
)
from ..walker import children

# Positions in DataLoader(dataset, batch_size, shuffle, sampler, batch_sampler,
#                        num_workers, collate_fn, pin_memory, ...)
_NUM_WORKERS_POSITION = 5
_PIN_MEMORY_POSITION = 7


class DataLoaderStarvesAccelerator(Rule):
    code = "GA107"
    name = "dataloader-starves-accelerator"
    summary = "`DataLoader` without worker processes, or without `pin_memory` on an accelerator"
    severity = Severity.WARNING
    needs_qualified_names = True
    triggers = ("DataLoader",)
    fixable = True
    doc = RuleDoc(
        what=(
            "Finds `torch.utils.data.DataLoader(...)` calls that load batches in the training "
            "process (`num_workers` missing or 0), and, when the code targets CUDA/XPU, that "
            "do not pin host memory (`pin_memory` missing or False). Keyword arguments passed "
            "as `**{...}`, `**dict(...)` or `**name` (a name bound once to such a literal) are "
            "read; any other `**kwargs` keeps the rule silent. `TensorDataset`s are not asked "
            "for workers (indexing in-memory tensors is cheap)."
        ),
        why=(
            "With `num_workers=0`, decoding and augmentation run between training steps and "
            "the accelerator idles while still drawing a large share of its power. Pageable "
            "host memory makes every host-to-device copy synchronous and staged through an "
            "extra buffer; pinned memory allows asynchronous copies (`non_blocking=True`) that "
            "overlap with compute. Idle accelerator time is energy spent for nothing."
        ),
        example=(
            "loader = DataLoader(train_set, batch_size=64, shuffle=True)\n"
            "for x, y in loader:\n"
            "    x, y = x.cuda(), y.cuda()\n"
        ),
        fix=(
            "Pass `num_workers` (start with the number of physical cores per GPU, e.g. 4-8, "
            "and `persistent_workers=True`) and `pin_memory=True`, then copy with "
            "`.to(device, non_blocking=True)`. The automatic fix adds `pin_memory=True`; the "
            "number of workers is left to you (worker processes need picklable datasets "
            "where processes are spawned, as on macOS and Windows)."
        ),
        fixed_example=(
            "loader = DataLoader(train_set, batch_size=64, shuffle=True,\n"
            "                    num_workers=4, persistent_workers=True, pin_memory=True)\n"
        ),
        sources=(
            "PyTorch documentation, torch.utils.data (single- and multi-process data loading, "
            "memory pinning): https://pytorch.org/docs/stable/data.html",
            "PyTorch Performance Tuning Guide, 'Enable async data loading and augmentation' "
            "and 'Use pinned memory': "
            "https://pytorch.org/tutorials/recipes/recipes/tuning_guide.html",
        ),
    )

    def setup(self) -> None:
        self.literals = DictLiterals()
        self.loaders: list[cst.Call] = []
        self.tensor_datasets: set[str] = set()

    def visit_Assign(self, node: cst.Assign) -> None:
        self.literals.note_statement(node)
        if isinstance(node.value, cst.Call) and self.match(node.value.func, TENSOR_DATASETS):
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self.tensor_datasets.add(target.target.value)

    def visit_Call(self, node: cst.Call) -> None:
        self.literals.note_statement(node)
        if self.match(node.func, DATALOADERS):
            self.loaders.append(node)

    def leave_Module(self, original_node: cst.Module) -> None:
        accelerator = any(marker in self.context.text for marker in ACCELERATOR_MARKERS)
        for call in self.loaders:
            self._check(call, accelerator)

    def _is_tensor_dataset(self, call: cst.Call) -> bool:
        dataset = argument(call, "dataset", 0)
        if dataset is None:
            return False
        value = dataset.value
        if isinstance(value, cst.Name):
            return value.value in self.tensor_datasets
        return isinstance(value, cst.Call) and self.match(value.func, TENSOR_DATASETS) is not None

    def _check(self, call: cst.Call, accelerator: bool) -> None:
        keywords, complete = effective_keywords(call, self.literals)
        workers = _bound(call, keywords, "num_workers", _NUM_WORKERS_POSITION)
        pin = _bound(call, keywords, "pin_memory", _PIN_MEMORY_POSITION)
        problems: list[str] = []
        if not self._is_tensor_dataset(call) and (
            (workers is None and complete) or int_value(workers) == 0
        ):
            problems.append("loads batches in the training process (num_workers=0)")
        pin_missing = pin is None and complete
        if accelerator and (pin_missing or is_false(pin)):
            problems.append("does not pin host memory (pin_memory=False)")
        if not problems:
            return
        shown = describe(self.context.module, call)
        message = f"`{shown}` " + " and ".join(problems) + ": the accelerator waits on the CPU"
        description = "pass num_workers (e.g. 4) and persistent_workers=True, and pin_memory=True"
        replacements: tuple[tuple[cst.CSTNode, cst.CSTNode | str], ...] = ()
        if accelerator and pin_missing and not any(arg.star for arg in call.args):
            replacements = ((call, append_keyword(call, "pin_memory", cst.Name("True"))),)
            if len(problems) == 1:
                description = "pass pin_memory=True"
            else:
                description = "add pin_memory=True (done by the fix) and pass num_workers"
        self.report(call, message, ProposedFix(description, replacements))


def _bound(
    call: cst.Call, keywords: dict[str, cst.BaseExpression], name: str, position: int
) -> cst.BaseExpression | None:
    if name in keywords:
        return keywords[name]
    arg = argument(call, name, position)
    return arg.value if arg is not None else None


def _words(name: str) -> list[str]:
    return [word for word in re.split(r"[^a-z0-9]+", name.lower()) if word]


def is_evaluation_name(name: str | None) -> bool:
    """``val_loader``, ``test_set``, ``eval_dataset``, ``x_valid`` (not ``interval``)."""
    return bool(name) and any(word.startswith(EVALUATION_WORDS) for word in _words(name or ""))


def _has_modulo(node: cst.CSTNode) -> bool:
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo):
        return True
    return any(_has_modulo(child) for child in children(node))


def _usages(node: cst.CSTNode, name: str, guarded: bool, found: list[bool]) -> None:
    """Collect, for each use of ``name``, whether it sits under ``if <... % N ...>:``."""
    if isinstance(node, cst.Name):
        if node.value == name:
            found.append(guarded)
        return
    if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
        return
    if isinstance(node, cst.If):
        _usages(node.test, name, guarded, found)
        _usages(node.body, name, guarded or _has_modulo(node.test), found)
        if node.orelse is not None:
            _usages(node.orelse, name, guarded, found)
        return
    for child in children(node):
        _usages(child, name, guarded, found)


class RedundantDataPass(LoopAwareRule):
    code = "GA111"
    name = "redundant-data-pass"
    summary = "redundant passes over data: `len(list(loader))`, evaluation every step used every N"
    severity = Severity.WARNING
    needs_qualified_names = True
    triggers = ("len", "sum", "backward")
    fixable = True
    doc = RuleDoc(
        what=(
            "Finds `len(list(loader))`, `len([b for b in loader])` and `sum(1 for _ in loader)` "
            "on data loaders and datasets (names with loader/dataset, or bound to a "
            "`DataLoader(...)`), and, in a training loop, an evaluation "
            "(`val_loss = evaluate(model, val_loader)`) that runs every step although its "
            "result is only used under `if step % N == 0:`."
        ),
        why=(
            "Counting batches by materialising them runs the whole input pipeline (reading, "
            "decoding, augmenting, collating) once just to throw the batches away; "
            "`len(loader)` is free. An evaluation computed every step but looked at every N "
            "steps does N-1 full forward passes over the validation set for nothing."
        ),
        example=(
            "steps_per_epoch = len(list(train_loader))\n"
            "for step, (x, y) in enumerate(train_loader):\n"
            "    loss_fn(model(x), y).backward()\n"
            "    optimizer.step()\n"
            "    val_loss = evaluate(model, val_loader)\n"
            "    if step % 100 == 0:\n"
            "        print(val_loss)\n"
        ),
        fix=(
            "Use `len(loader)` (batches) or `len(dataset)` (samples). Move the evaluation "
            "inside the `if step % N == 0:` block that uses it. The automatic fix rewrites "
            "`len(list(x))` to `len(x)` (unsafe: an iterable-style dataset has no length)."
        ),
        fixed_example=(
            "steps_per_epoch = len(train_loader)\n"
            "for step, (x, y) in enumerate(train_loader):\n"
            "    loss_fn(model(x), y).backward()\n"
            "    optimizer.step()\n"
            "    if step % 100 == 0:\n"
            "        print(evaluate(model, val_loader))\n"
        ),
        sources=(
            "PyTorch documentation, torch.utils.data.DataLoader (`__len__` of map-style "
            "datasets): https://pytorch.org/docs/stable/data.html",
            "Strubell, Ganesh and McCallum, Energy and Policy Considerations for Deep Learning "
            "in NLP, ACL 2019 (energy scales with the compute a pipeline performs).",
        ),
    )

    def setup(self) -> None:
        super().setup()
        self._loader_names: set[str] = set()

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, cst.Call) and self.match(node.value.func, DATALOADERS):
            for target in node.targets:
                name = dotted_name(target.target)
                if name:
                    self._loader_names.add(name)

    def _is_data(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Call):
            return self.match(node.func, DATALOADERS) is not None
        name = dotted_name(node) if isinstance(node, (cst.Name, cst.Attribute)) else None
        if not name:
            return False
        last = name.rsplit(".", 1)[-1].lower()
        return name in self._loader_names or any(word in last for word in DATA_NAME_WORDS)

    def on_call(self, node: cst.Call) -> None:
        callee = dotted_name(node.func)
        if callee not in ("len", "sum") or len(node.args) != 1 or node.args[0].keyword:
            return
        value = node.args[0].value
        if callee == "len" and isinstance(value, cst.Call) and dotted_name(value.func) == "list":
            if len(value.args) == 1 and self._is_data(value.args[0].value):
                data = value.args[0].value
                replacement = node.with_changes(args=[node.args[0].with_changes(value=data)])
                self._report_count(node, data, ((node, replacement),))
        elif callee == "len" and isinstance(value, cst.ListComp):
            self._check_comprehension(node, value, counting=False)
        elif callee == "sum" and isinstance(value, cst.GeneratorExp):
            self._check_comprehension(node, value, counting=True)

    def _check_comprehension(
        self, node: cst.Call, comp: cst.ListComp | cst.GeneratorExp, counting: bool
    ) -> None:
        loop = comp.for_in
        if loop.inner_for_in is not None or loop.ifs or not self._is_data(loop.iter):
            return
        if counting and int_value(comp.elt) != 1:
            return
        self._report_count(node, loop.iter, ())

    def _report_count(
        self,
        node: cst.Call,
        data: cst.BaseExpression,
        replacements: tuple[tuple[cst.CSTNode, cst.CSTNode | str], ...],
    ) -> None:
        module = self.context.module
        shown = describe(module, data, limit=40)
        self.report(
            node,
            f"`{describe(module, node)}` runs a full pass over `{shown}` just to count it;"
            f" use `len({shown})`",
            ProposedFix(f"use len({shown})", replacements, safe=False),
        )

    def on_loop_exit(self, frame: LoopFrame) -> None:
        body = frame.node.body
        if not frame.is_step_loop or not isinstance(body, cst.IndentedBlock):
            return
        statements = list(body.body)
        for index, statement in enumerate(statements):
            found = _evaluation_assignment(statement)
            if found is None:
                continue
            name, call = found
            uses: list[bool] = []
            for later in statements[index + 1 :]:
                _usages(later, name, False, uses)
            if uses and all(uses):
                shown = describe(self.context.module, call)
                self.report(
                    call,
                    f"`{shown}` runs every training step but `{name}` is only used every N"
                    " steps; evaluate inside the `if ... % N` block",
                    ProposedFix("move the evaluation inside the `if step % N == 0:` block"),
                )


def _evaluation_assignment(statement: cst.BaseStatement) -> tuple[str, cst.Call] | None:
    """``val_loss = evaluate(model, val_loader)`` at the loop's own level."""
    found = call_assignment(statement)
    if found is None:
        return None
    target, value = found
    callee = (dotted_name(value.func) or "").rsplit(".", 1)[-1].lower()
    arguments = [dotted_name(arg.value) for arg in value.args]
    if any(word in callee for word in EVALUATION_CALL_WORDS) or any(
        is_evaluation_name(name) for name in arguments if name
    ):
        return found
    return None


class OversizedBatch(Rule):
    code = "GA113"
    name = "oversized-batch"
    summary = "hard-coded training batch sizes above a threshold, or full-batch training"
    severity = Severity.INFO
    needs_qualified_names = True
    triggers = ("batch", "BATCH")
    options = {
        "threshold": RuleOption(1024, "largest training batch size accepted without a note"),
    }
    doc = RuleDoc(
        what=(
            "Finds training batch sizes written as numbers larger than `threshold` (default "
            "1024): `batch_size=`/`per_device_train_batch_size=` arguments, `BATCH_SIZE = ...` "
            'assignments, `"batch_size": ...` config entries and `--batch-size` argparse '
            "defaults, and full-batch loaders (`DataLoader(ds, batch_size=len(ds))`). Names and "
            "arguments about evaluation (val, test, eval, predict) are left alone: large "
            "inference batches are fine."
        ),
        why=(
            "Past the critical batch size, doubling the batch no longer halves the number of "
            "steps to a target loss, so each sample buys less progress and total compute (and "
            "energy) to reach the same accuracy grows. Very large batches also tend to need "
            "extra epochs or learning-rate retuning to generalise as well."
        ),
        example="loader = DataLoader(train_set, batch_size=8192, shuffle=True)\n",
        fix=(
            "Measure the critical batch size for your task (e.g. the gradient noise scale) and "
            "stay at or below it; if memory is the reason for the number, it is not a reason to "
            "use it. Raise the threshold with `[tool.green-assist.GA113] threshold = 4096` "
            "when a large batch is deliberate."
        ),
        fixed_example="loader = DataLoader(train_set, batch_size=256, shuffle=True)\n",
        sources=(
            "McCandlish, Kaplan, Amodei et al., An Empirical Model of Large-Batch Training, "
            "arXiv:1812.06162, 2018.",
            "Shallue et al., Measuring the Effects of Data Parallelism on Neural Network "
            "Training, JMLR 20, 2019.",
            "Keskar et al., On Large-Batch Training for Deep Learning: Generalization Gap and "
            "Sharp Minima, ICLR 2017.",
        ),
    )

    def _too_big(self, value: cst.BaseExpression | None) -> int | None:
        number = int_value(value)
        return number if number is not None and number > self.settings["threshold"] else None

    def _report_size(self, node: cst.CSTNode, size: int) -> None:
        self.report(
            node,
            f"training batch size {size} (`{describe(self.context.module, node)}`) is above"
            f" {self.settings['threshold']}: past the critical batch size each sample buys less"
            " progress",
            ProposedFix("use a batch size at or below the critical batch size"),
        )

    def visit_Call(self, node: cst.Call) -> None:
        names = [dotted_name(arg.value) for arg in node.args if arg.keyword is None]
        if any(is_evaluation_name(name) for name in names if name):
            return
        if method_name(node) == "add_argument":
            self._check_argparse(node)
            return
        for arg in node.args:
            if arg.keyword is None or arg.keyword.value not in TRAINING_BATCH_NAMES:
                continue
            size = self._too_big(arg.value)
            if size is not None:
                self._report_size(arg, size)
            elif self._is_full_batch(node, arg.value):
                self.report(
                    arg,
                    f"`{describe(self.context.module, node)}` trains full-batch (one step per"
                    " epoch): mini-batches reach the same loss with far less compute",
                    ProposedFix("use mini-batches (e.g. batch_size=64..512)"),
                )

    def _is_full_batch(self, call: cst.Call, value: cst.BaseExpression) -> bool:
        if not (isinstance(value, cst.Call) and dotted_name(value.func) == "len"):
            return False
        return self.match(call.func, DATALOADERS) is not None

    def _check_argparse(self, node: cst.Call) -> None:
        flags = [string_value(arg.value) for arg in node.args if arg.keyword is None]
        if not any(flag and "batch" in flag and not is_evaluation_name(flag) for flag in flags):
            return
        default = keyword(node, "default")
        size = self._too_big(default.value if default else None)
        if default is not None and size is not None:
            self._report_size(default, size)

    def _check_target(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        name = dotted_name(target)
        if name and name.rsplit(".", 1)[-1].lower() in TRAINING_BATCH_NAMES:
            size = self._too_big(value)
            if size is not None and value is not None:
                self._report_size(value, size)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._check_target(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._check_target(node.target, node.value)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        key = string_value(node.key)
        if key and key.lower() in TRAINING_BATCH_NAMES:
            size = self._too_big(node.value)
            if size is not None:
                self._report_size(node, size)
