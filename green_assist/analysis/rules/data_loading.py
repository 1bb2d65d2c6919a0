"""How data reaches the model: loader workers, pinned memory, passes over the data."""

from __future__ import annotations

import libcst as cst

from ..findings import Severity
from ..helpers import (
    DictLiterals,
    append_keyword,
    argument,
    describe,
    effective_keywords,
    int_value,
    is_false,
)
from ..rule import ProposedFix, Rule, RuleDoc
from .tables import ACCELERATOR_MARKERS, DATALOADERS, TENSOR_DATASETS

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
