"""How data reaches the model: loader workers, pinned memory, passes over the data."""

from __future__ import annotations

import re

import libcst as cst

from ..context import Evidence
from ..defaults import Known, Origin
from ..effects import Effects, effects_of
from ..findings import Severity
from ..helpers import (
    Branches,
    DictLiterals,
    append_keyword,
    argument,
    call_assignment,
    describe,
    dotted_name,
    effective_keywords,
    int_value,
    is_false,
    iter_nodes,
    keyword,
    method_name,
    names_in,
    receiver,
    string_value,
)
from ..loops import LoopAwareRule, LoopFrame
from ..names import last_part, target_names
from ..program import ClassInfo, Loop, Scope
from ..rows import rows_of
from ..rule import ProposedFix, Rule, RuleDoc, RuleOption
from ..tables import (
    DATA_NAME_WORDS,
    DATALOADERS,
    EVALUATION_CALL_WORDS,
    EVALUATION_WORDS,
    GPU_TRAINER,
    NO_GRAD,
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
    needs_program = True
    triggers = ("DataLoader",)
    fixable = True
    hardware = "any hardware for num_workers; pin_memory only for CUDA/XPU targets"
    doc = RuleDoc(
        what=(
            "Finds `torch.utils.data.DataLoader(...)` calls that load batches in the training "
            "process (`num_workers` missing or 0), and, when the code targets CUDA/XPU (it "
            "names them outside comments, other than `torch.cuda.manual_seed(...)` and "
            '`torch.cuda.is_available()`, or a Lightning `Trainer(accelerator="gpu")` runs '
            "it), that "
            "do not pin host memory (`pin_memory` missing or False). Keyword arguments passed "
            "as `**{...}`, `**dict(...)` or `**name` (a name bound once to such a literal, or to "
            "`{...} if args.cuda else {}`, read on the default path) are read; any other "
            "`**kwargs` keeps the rule silent. `TensorDataset`s, and local `Dataset` "
            "classes whose `__getitem__` only indexes data `__init__` holds in memory "
            "(`return self.x[i], self.y[i]`, also nested or chosen by an `if`, or a window "
            "`self.x[i:i + self.T]`, copied into a tensor or not: `torch.tensor(self.x[i], "
            "dtype=torch.float)`, of arguments, torch/NumPy/pandas results, a frame's `.values` "
            "or a scikit-learn `fit_transform`; not a memory "
            "map or an HDF5/zarr/LMDB handle; also when the loader gets it as `self.dataset`, "
            "or a `random_split`/`Subset` of it), are "
            "not asked for workers (indexing in-memory arrays is cheap), nor are the lists "
            "scikit-learn's `train_test_split` returns (it indexes every item into memory); "
            "a bare `DataLoader` that the file never imports (a notebook exported without its "
            "import cell, a star import) is torch's. A dataset that moves "
            "what it stores to the device in `__init__` (or a `TensorDataset` of tensors "
            "already moved) is not asked to pin memory (CUDA tensors cannot be pinned). A "
            "loader whose batches only go to loops that print them (a notebook teaching "
            "batching) is left alone. In a file that "
            "trains, a loader bound to a name nothing else in the file mentions (a test "
            "loader never iterated) loads nothing and is left alone."
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
            "`.to(device, non_blocking=True)`. The automatic fix adds "
            "`pin_memory=torch.cuda.is_available()` (pinning without a GPU costs memory and "
            "buys nothing); the "
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
        # id(DataLoader call) -> the one name it is bound to (``test_loader = DataLoader(...)``)
        self.loader_names: dict[int, str] = {}

    def visit_Assign(self, node: cst.Assign) -> None:
        self.literals.note_statement(node)
        if not isinstance(node.value, cst.Call) or len(node.targets) != 1:
            return
        target = node.targets[0].target
        if not isinstance(target, cst.Name):
            return
        if self.match(node.value.func, TENSOR_DATASETS):
            self.tensor_datasets.add(target.value)
        elif self.match(node.value.func, DATALOADERS):
            self.loader_names[id(node.value)] = target.value

    def visit_Call(self, node: cst.Call) -> None:
        self.literals.note_statement(node)
        if self.match(node.func, DATALOADERS):
            self.loaders.append(node)

    def leave_Module(self, original_node: cst.Module) -> None:
        program = self.context.program
        cpu_as_written = program is not None and effects_of(program).cpu_code(self.context.code)
        accelerator = self.context.target.accelerator and (
            (self.context.targets_cuda_or_xpu and not cpu_as_written)
            or GPU_TRAINER.search(self.context.text) is not None
        )
        for call in self.loaders:
            self._check(call, accelerator)

    def _default_branch(self, call: cst.Call) -> Branches | None:
        """``kwargs = {...} if args.cuda else {}``: the branch the loader gets by default."""
        program = self.context.program
        site = program.site_of.get(id(call)) if program is not None else None
        if program is None or site is None:
            return None
        defaults = effects_of(program).defaults

        def choose(node: cst.IfExp) -> cst.BaseExpression | None:
            found = defaults.value(node.test, site.scope, site.order)
            if found is None or not isinstance(found.value, bool):
                return None
            return node.body if found.value else node.orelse

        return choose

    def _imports_torch(self) -> bool:
        return _imports_torch_module(self.context.module)

    def _is_tensor_dataset(self, call: cst.Call) -> bool:
        dataset = argument(call, "dataset", 0)
        return dataset is not None and self._in_memory(dataset.value, call)

    def _in_memory(self, dataset: cst.BaseExpression, call: cst.Call, depth: int = 0) -> bool:
        """``dataset`` (what the loader ``call`` reads) holds its items in memory: a
        ``TensorDataset``, a split of one, or a local class that only indexes arrays."""
        if isinstance(dataset, cst.Name) and dataset.value in self.tensor_datasets:
            return True
        made = self._dataset_call(call, dataset)
        if made is None:
            return False
        if self.match(made.func, TENSOR_DATASETS) is not None:
            return True
        if self.match(made.func, _IN_MEMORY_SPLITS) is not None:
            return True  # scikit-learn's split indexes every item into lists held in memory
        if self.match(made.func, _DATASET_SPLITS) is not None:
            # ``train, val = random_split(dataset, ...)``: items of the dataset split
            return (
                bool(made.args)
                and depth < 3
                and self._in_memory(made.args[0].value, call, depth + 1)
            )
        info = self._local_dataset(made)
        return info is not None and _indexes_tensors(info)

    def _dataset_call(
        self, call: cst.Call, dataset: cst.BaseExpression | None = None
    ) -> cst.Call | None:
        """The call that builds the loader's dataset (or ``dataset``, which ``call`` reads):
        written in place, or a name's one value."""
        if dataset is None:
            found = argument(call, "dataset", 0)
            dataset = found.value if found is not None else None
        value: cst.BaseExpression | None = dataset
        if isinstance(value, cst.Name):
            value = self._bound_value(call, value.value)
        elif isinstance(value, cst.Attribute):
            value = self._self_attribute_value(call, value)
        return value if isinstance(value, cst.Call) else None

    def _self_attribute_value(
        self, call: cst.Call, node: cst.Attribute
    ) -> cst.BaseExpression | None:
        """``self.train_set`` in a method: the one value the class assigns it."""
        program = self.context.program
        site = program.site_of.get(id(call)) if program is not None else None
        if (
            site is None
            or site.scope.class_name is None
            or not isinstance(node.value, cst.Name)
            or node.value.value != "self"
        ):
            return None
        infos = program.classes.get(site.scope.class_name)  # type: ignore[union-attr]
        values = infos[-1].attributes.get(node.attr.value, []) if infos else []
        return values[0] if len(values) == 1 else None

    def _local_dataset(self, made: cst.Call) -> ClassInfo | None:
        program = self.context.program
        infos = program.classes.get(dotted_name(made.func) or "") if program else None
        return infos[-1] if infos else None

    def _holds_device_tensors(self, call: cst.Call) -> bool:
        """The loader's local dataset moves what it stores to the device in ``__init__``
        (``self.x = torch.from_numpy(x).to(device)``), or a ``TensorDataset`` holds tensors
        already moved (``X = torch.tensor(X).to(device)``): pinning would fail on those."""
        made = self._dataset_call(call)
        if made is not None and self.match(made.func, TENSOR_DATASETS) is not None:
            moved = [self._moved_to_device(arg.value, call) for arg in made.args]
            return bool(moved) and all(moved)
        info = self._local_dataset(made) if made is not None else None
        return info is not None and any(
            method_name(stored) in ("to", "cuda")
            for values in info.attributes.values()
            for stored in values
            if isinstance(stored, cst.Call)
        )

    def _moved_to_device(self, node: cst.BaseExpression, call: cst.Call) -> bool:
        value = self._bound_value(call, node.value) if isinstance(node, cst.Name) else node
        return isinstance(value, cst.Call) and method_name(value) in ("to", "cuda")

    def _feeds_no_training(self, call: cst.Call) -> bool:
        """The loader's batches go only to loops that show them (a notebook printing the
        batches of ``DataLoader(np.arange(10), batch_size=3)`` to teach batching: no
        model, no device, no training), between its binding and the next binding of its
        name, and nothing else takes the loader: nothing waits for its batches."""
        program = self.context.program
        site = program.site_of.get(id(call)) if program is not None else None
        if program is None or site is None or len(site.bindings) != 1:
            return False
        effects = effects_of(program)
        binding = site.bindings[0]
        name, scope = binding.name, site.scope
        later = [b.order for b in scope.bindings.get(name, ()) if b.order > binding.order]
        end = min(later) if later else 1 << 30
        consumers = [
            loop
            for loop in scope.loops
            if binding.order < loop.order < end
            and isinstance(loop.node, cst.For)
            and name in names_in(loop.node.iter)
        ]
        if not consumers or not all(_only_shows(loop, effects) for loop in consumers):
            return False
        iterables = {id(loop.node.iter) for loop in consumers}  # type: ignore[union-attr]
        for other in program.scopes:
            for use in other.sites:
                if id(use.node) in iterables or use.callee in _LOOKS_AT_A_LOADER:
                    continue
                if any(name in names_in(arg.value) for arg in use.node.args) and (
                    other is not scope or binding.order < use.order < end
                ):
                    return False  # handed on: it may train there
        return True

    def _bound_value(self, call: cst.Call, name: str) -> cst.BaseExpression | None:
        """The one value ``name`` is bound to where ``call`` runs (None: several or none)."""
        program = self.context.program
        site = program.site_of.get(id(call)) if program is not None else None
        scope = site.scope if site is not None else None
        while scope is not None:
            bindings = scope.bindings.get(name)
            if bindings:
                return bindings[0].value if len(bindings) == 1 else None
            scope = scope.parent
        return None

    def _default_known(self, node: cst.BaseExpression | None, call: cst.Call) -> Known | None:
        """A literal, or a name's value on the default path (``num_workers = 0`` in the
        branch that runs: ``if device == 'cuda':`` is never true for a ``torch.device``),
        with what decided it."""
        if node is None:
            return None
        literal = int_value(node)
        if literal is not None:
            return Known(literal)
        if is_false(node):
            return Known(False)
        program = self.context.program
        site = program.site_of.get(id(call)) if program is not None else None
        if program is None or site is None:
            return None
        return effects_of(program).defaults.value(node, site.scope, site.order)

    def _never_used(self, call: cst.Call) -> bool:
        """In a training program (it calls ``.backward()``), a loader bound to a name that
        appears nowhere else in the file, not even in a comment (a test loader built and
        never iterated): it never loads a batch. Elsewhere another module may import it."""
        name = self.loader_names.get(id(call))
        text = self.context.text
        if name is None or "backward" not in text:
            return False
        return len(re.findall(rf"(?<![\w.]){re.escape(name)}\b", text)) == 1

    def _check(self, call: cst.Call, accelerator: bool) -> None:
        if self._never_used(call) or self._feeds_no_training(call):
            return
        origins: list[Origin] = []  # what decided a setting on the default path

        def default(node: cst.BaseExpression | None) -> object:
            known = self._default_known(node, call)
            if known is None:
                return None
            origins.extend(o for o in known.origins if o not in origins)
            return known.value

        keywords, complete = effective_keywords(call, self.literals, self._default_branch(call))
        workers = _bound(call, keywords, "num_workers", _NUM_WORKERS_POSITION)
        pin = _bound(call, keywords, "pin_memory", _PIN_MEMORY_POSITION)
        problems: list[str] = []
        if not self._is_tensor_dataset(call) and (
            (workers is None and complete) or default(workers) == 0
        ):
            problems.append("loads batches in the training process (num_workers=0)")
        pin_missing = pin is None and complete
        if self._holds_device_tensors(call):
            pin_missing = False  # CUDA tensors cannot be pinned
        elif accelerator and (pin_missing or default(pin) is False):
            problems.append("does not pin host memory (pin_memory=False)")
        if not problems:
            return
        shown = describe(self.context.module, call)
        waits = (
            "the accelerator waits on the CPU" if accelerator else "training waits for each batch"
        )
        message = f"`{shown}` " + " and ".join(problems) + f": {waits}"
        description = "pass num_workers (e.g. 4) and persistent_workers=True, and pin_memory=True"
        replacements: tuple[tuple[cst.CSTNode, cst.CSTNode | str], ...] = ()
        if accelerator and pin_missing and not any(arg.star for arg in call.args):
            # Pinned memory only helps when there is a device to copy to: decided at run time.
            pin_value = cst.parse_expression("torch.cuda.is_available()")
            replacements = ((call, append_keyword(call, "pin_memory", pin_value)),)
            if not self._imports_torch():
                replacements = ()
            if len(problems) == 1:
                description = "pass pin_memory=torch.cuda.is_available()"
            else:
                description = (
                    "add pin_memory=torch.cuda.is_available() (done by the fix) and pass"
                    " num_workers"
                )
        related: tuple[Evidence, ...] = tuple(
            (node, f"{shown} decides this on the default path", where)
            for node, shown, where in origins
        )
        self.report(call, message, ProposedFix(description, replacements), related)


def _only_shows(loop: Loop, effects: Effects) -> bool:
    """Every call in the loop prints, counts or iterates: ``print(index, batch)``."""
    return all(
        site.callee in _LOOKS_AT_A_LOADER or site.callee == "time.time"
        for site in effects.sites_within(loop)
    )


_IN_MEMORY_SPLITS = frozenset({"sklearn.model_selection.train_test_split"})
# Datasets that index another one: in memory when it is.
_DATASET_SPLITS = frozenset({"torch.utils.data.random_split", "torch.utils.data.Subset"})

# Calls that take a loader only to iterate, count or show it.
_LOOKS_AT_A_LOADER = frozenset({"enumerate", "iter", "len", "print", "tqdm", "list", "next"})


def _indexes_tensors(info: ClassInfo) -> bool:
    """A ``Dataset`` subclass that is a ``TensorDataset`` in all but name: ``__getitem__``
    returns ``self.a[index]`` (also a window: ``self.a[i:i + self.T]``, ``self.a[i +
    self.T]``; or a tuple of such), calling nothing but a conversion of what it indexed
    (``torch.tensor(self.a[i:i + n], dtype=torch.float)``), and each attribute it reads holds data
    already in memory: an argument, or what ``__init__`` computed with torch, NumPy or
    pandas (read once, in the training process). Not a memory map, an HDF5/zarr/LMDB
    handle or a Hugging Face dataset, which read from disk on each index."""
    if not any(last_part(base) == "Dataset" for base in info.bases):
        return False
    if set(info.methods) - {"__init__", "__len__", "__getitem__"}:
        return False
    getitem = info.methods.get("__getitem__")
    if getitem is None or len(getitem.params) != 2 or not getitem.returns:
        return False
    if not all(_converts_only(site.node) for site in getitem.sites):
        return False
    index = getitem.params[1].name
    used: set[str] = set()
    for value, _ in getitem.returns:
        for item in _returned_parts(value):
            if isinstance(item, cst.Name):  # ``label = self.labels[idx]`` then ``return label``
                # (bound in each arm of ``if self.train: ... else: ...`` alike)
                bound = getitem.bindings.get(item.value, [])
                if not bound or any(b.element is not None or b.value is None for b in bound):
                    return False
                items = [b.value for b in bound]
            else:
                items = [item]
            for one in items:
                attribute = _indexed_attribute(_unconverted(one), index)  # type: ignore[arg-type]
                if attribute is None:
                    return False
                used.add(attribute)
    init = info.methods.get("__init__")
    if init is None:
        return False
    return used <= _InMemory(info, init).stored_attributes()


# What ``__getitem__`` may wrap an indexed window in: a copy into a tensor or array.
_CONVERSIONS = frozenset(
    {
        "torch.tensor",
        "torch.as_tensor",
        "torch.from_numpy",
        "torch.FloatTensor",
        "torch.LongTensor",
        "torch.Tensor",
        "np.array",
        "np.asarray",
        "numpy.array",
        "numpy.asarray",
    }
)
_CONVERTING_METHODS = frozenset({"float", "long", "double", "astype"})


def _converts_only(call: cst.Call) -> bool:
    """``torch.tensor(x, dtype=torch.float)``, ``torch.from_numpy(x)``, ``x.float()``."""
    if dotted_name(call.func) in _CONVERSIONS:
        return len([arg for arg in call.args if not arg.keyword]) == 1
    return isinstance(call.func, cst.Attribute) and call.func.attr.value in _CONVERTING_METHODS


def _unconverted(node: cst.BaseExpression) -> cst.BaseExpression:
    """What a conversion converts: ``self.a[i]`` in ``torch.tensor(self.a[i], dtype=...)``."""
    while isinstance(node, cst.Call) and _converts_only(node):
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in _CONVERTING_METHODS:
            node = node.func.value
        else:
            node = next(arg.value for arg in node.args if not arg.keyword)
    return node


def _returned_parts(value: cst.BaseExpression) -> list[cst.BaseExpression]:
    """``(row, col), val`` -> ``row``, ``col``, ``val``."""
    if isinstance(value, (cst.Tuple, cst.List)):
        return [part for element in value.elements for part in _returned_parts(element.value)]
    return [value]


# Calls whose result is an in-memory array or frame (read once), and those that are not.
_IN_MEMORY_MODULES = ("torch.", "np.", "numpy.", "pd.", "pandas.")
_IN_MEMORY_BUILTINS = frozenset({"list", "tuple", "len", "int", "float", "sorted", "range"})
_FITTED = frozenset({"fit_transform", "transform"})
_READ_ON_INDEX = ("memmap", "h5py", "zarr", "lmdb", "load_dataset", "load_from_disk")


class _InMemory:
    """Whether a value stored on a dataset is data in memory (see ``_indexes_tensors``)."""

    def __init__(self, info: ClassInfo, init: Scope) -> None:
        self.info = info
        self.init = init
        self.stored = {param.name for param in init.params}
        self._stored_attributes: set[str] | None = None

    def holds(self, node: cst.BaseExpression | None, before: int | None = None) -> bool:
        """``before``: the text order of the binding whose value ``node`` is part of (a
        name there means its earlier bindings: ``a = (a - a.mean()) / a.std()``)."""
        if node is None:
            return False
        if isinstance(node, (cst.Integer, cst.Float, cst.SimpleString)):
            return True
        if isinstance(node, cst.Name):
            if node.value in self.stored:
                return True  # what the caller passes (as TensorDataset takes it)
            bindings = [
                b
                for b in self.init.bindings.get(node.value, [])
                if before is None or b.order < before
            ]
            return bool(bindings) and all(
                b.element is None and self.holds(b.value, b.order) for b in bindings
            )
        if isinstance(node, cst.Attribute):
            if isinstance(node.value, cst.Name) and node.value.value == "self":
                return node.attr.value in self.stored_attributes()
            if node.attr.value == "values":
                return True  # a frame's ``.values``: a NumPy array, read into memory
            return self.holds(node.value, before)
        if isinstance(node, cst.Subscript):
            return self.holds(node.value, before)
        if isinstance(node, cst.BinaryOperation):
            return self.holds(node.left, before) and self.holds(node.right, before)
        if isinstance(node, cst.UnaryOperation):
            return self.holds(node.expression, before)
        if isinstance(node, cst.IfExp):
            return self.holds(node.body, before) and self.holds(node.orelse, before)
        if isinstance(node, cst.Call):
            name = dotted_name(node.func) or ""
            if any(word in name for word in _READ_ON_INDEX) or keyword(node, "mmap_mode"):
                return False
            if name.startswith(_IN_MEMORY_MODULES) or name in _IN_MEMORY_BUILTINS:
                return True
            if isinstance(node.func, cst.Attribute) and node.func.attr.value in _FITTED:
                # ``scaler.fit_transform(a)``: scikit-learn returns a new array in memory
                return bool(node.args) and self.holds(node.args[0].value, before)
            if isinstance(node.func, cst.Attribute):  # ``values.float()``, ``a.astype(...)``
                return self.holds(node.func.value, before)
        return False

    def stored_attributes(self) -> set[str]:
        """Attributes of ``self`` set only to data in memory (``self.x`` read from another
        attribute: numbers such as ``self.T`` or arrays)."""
        if self._stored_attributes is None:
            self._stored_attributes = set()  # a cycle through attributes holds nothing
            self._stored_attributes = {
                name
                for name, values in self.info.attributes.items()
                if values and all(self.holds(value) for value in values)
            }
        return self._stored_attributes


def _indexed_attribute(node: cst.BaseExpression, index: str) -> str | None:
    """``a`` for ``self.a[index]``, also a window around the index (``self.a[i:i + self.T]``,
    ``self.a[i + 1]``): arithmetic of the index, numbers and attributes of ``self``."""
    if not isinstance(node, cst.Subscript) or len(node.slice) != 1:
        return None
    key = node.slice[0].slice
    if isinstance(key, cst.Index):
        if not _index_arithmetic(key.value, index):
            return None
    elif isinstance(key, cst.Slice):
        bounds = [key.lower, key.upper, key.step]
        if not all(b is None or _index_arithmetic(b, index) for b in bounds):
            return None
    else:
        return None
    owner = node.value
    if (
        isinstance(owner, cst.Attribute)
        and isinstance(owner.value, cst.Name)
        and owner.value.value == "self"
    ):
        return owner.attr.value
    return None


def _index_arithmetic(node: cst.BaseExpression, index: str) -> bool:
    """``i``, ``i + self.T``, ``i * 2 + 1``: no calls, no other data."""
    if isinstance(node, cst.Name):
        return node.value == index
    if isinstance(node, cst.Integer):
        return True
    if isinstance(node, cst.Attribute):
        return isinstance(node.value, cst.Name) and node.value.value == "self"
    if isinstance(node, cst.BinaryOperation):
        return _index_arithmetic(node.left, index) and _index_arithmetic(node.right, index)
    return False


def _imports_torch_module(module: cst.Module) -> bool:
    """``import torch`` at the top level, so the name ``torch`` is the package."""
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Import) and any(
                alias.asname is None and dotted_name(alias.name) == "torch" for alias in small.names
            ):
                return True
    return False


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


def _sample_count(element: cst.BaseExpression, target: cst.BaseExpression) -> bool:
    """The first size of a tensor the comprehension binds (``x.size(0)``, ``x.shape[0]``
    in ``sum(x.size(0) for x, _ in loader)``): counting samples. Not ``len(batch)``: a
    batch of ``(x, y)`` has length 2."""
    bound = target_names(target)
    if isinstance(element, cst.Call) and method_name(element) == "size":
        first = element.args[0].value if len(element.args) == 1 else None
        return (
            first is not None and int_value(first) == 0 and _names_one_of(receiver(element), bound)
        )
    if isinstance(element, cst.Subscript) and len(element.slice) == 1:
        index = element.slice[0].slice
        shape = element.value
        return (
            isinstance(index, cst.Index)
            and int_value(index.value) == 0
            and isinstance(shape, cst.Attribute)
            and shape.attr.value == "shape"
            and _names_one_of(shape.value, bound)
        )
    return False


def _names_one_of(node: cst.BaseExpression | None, names: set[str] | frozenset[str]) -> bool:
    return isinstance(node, cst.Name) and node.value in names


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
    needs_program = True
    triggers = ("len", "sum", "backward")
    fixable = True
    doc = RuleDoc(
        what=(
            "Finds `len(list(loader))`, `len([b for b in loader])`, `sum(1 for _ in loader)` and "
            "`sum(x.size(0) for x, _ in loader)` (also `x.shape[0]`; over a loader) "
            "on data loaders and datasets (names with loader/dataset, bound to a "
            "`DataLoader(...)`, or parameters that receive one), and, in a training loop (a step "
            "loop or an epoch loop around one, also across function calls), an evaluation that "
            "runs every iteration although its result is only used under "
            "`if step % N == 0:`: `val_loss = evaluate(model, val_loader)` (a callee named like "
            "an evaluation, given validation data, or a local function that runs the model "
            "without training it), or a `with torch.no_grad():`/`inference_mode():` block "
            "whose results are only printed every N epochs."
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
        self._maybe_data: list[tuple[cst.Call, cst.BaseExpression, bool]] = []
        self._frames: list[LoopFrame] = []

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, cst.Call) and self.match(node.value.func, DATALOADERS):
            for target in node.targets:
                name = dotted_name(target.target)
                if name:
                    self._loader_names.add(name)

    def _is_data(self, node: cst.BaseExpression, words: tuple[str, ...] = DATA_NAME_WORDS) -> bool:
        """A ``DataLoader(...)``, a name bound to one, or a name with one of ``words``."""
        if isinstance(node, cst.Call):
            return self.match(node.func, DATALOADERS) is not None
        name = dotted_name(node) if isinstance(node, (cst.Name, cst.Attribute)) else None
        if not name:
            return False
        last = name.rsplit(".", 1)[-1].lower()
        return name in self._loader_names or any(word in last for word in words)

    def on_call(self, node: cst.Call) -> None:
        callee = dotted_name(node.func)
        if callee not in ("len", "sum") or len(node.args) != 1 or node.args[0].keyword:
            return
        value = node.args[0].value
        if callee == "len" and isinstance(value, cst.Call) and dotted_name(value.func) == "list":
            if len(value.args) == 1 and not value.args[0].keyword:
                self._maybe_data.append((node, value.args[0].value, True))
        elif callee == "len" and isinstance(value, cst.ListComp):
            self._check_comprehension(node, value, counting=False)
        elif callee == "sum" and isinstance(value, cst.GeneratorExp):
            self._check_comprehension(node, value, counting=True)

    def _check_comprehension(
        self, node: cst.Call, comp: cst.ListComp | cst.GeneratorExp, counting: bool
    ) -> None:
        loop = comp.for_in
        if loop.inner_for_in is not None or loop.ifs:
            return
        # ``sum(x.size(0) for x, _ in loader)`` counts a loader's samples (a dataset's items
        # are samples already: their sizes are something else, tokens or pixels)
        if (
            counting
            and int_value(comp.elt) != 1
            and not (_sample_count(comp.elt, loop.target) and self._is_data(loop.iter, ("loader",)))
        ):
            return
        self._maybe_data.append((node, loop.iter, False))

    def _is_data_here(self, call: cst.Call, data: cst.BaseExpression, effects: Effects) -> bool:
        """Data by name or binding, or a parameter some caller passes data to."""
        if self._is_data(data):
            return True
        site = effects.program.site_of.get(id(call))
        if site is None or type(data) is not cst.Name or site.scope.param(data.value) is None:
            return False
        for caller in effects.program.callers(site.scope):
            passed = effects.program.argument_for(caller, site.scope, data.value)
            if isinstance(passed, cst.BaseExpression) and self._is_data(passed):
                return True
        return False

    def leave_Module(self, original_node: cst.Module) -> None:
        program = self.context.program
        effects = effects_of(program) if program is not None else None
        for node, data, listed in self._maybe_data:
            if not (
                self._is_data(data) if effects is None else self._is_data_here(node, data, effects)
            ):
                continue
            replacements: tuple[tuple[cst.CSTNode, cst.CSTNode | str], ...] = ()
            if listed:
                replacement = node.with_changes(args=[node.args[0].with_changes(value=data)])
                replacements = ((node, replacement),)
            self._report_count(node, data, replacements)
        if effects is None:
            return
        loops = {id(loop.node): loop for loop in effects.all_loops()}
        for frame in self._frames:
            loop = loops.get(id(frame.node))
            if loop is not None and effects.loop_trains(loop):
                self._check_loop_body(loop, effects)

    def _report_count(
        self,
        node: cst.Call,
        data: cst.BaseExpression,
        replacements: tuple[tuple[cst.CSTNode, cst.CSTNode | str], ...],
    ) -> None:
        module = self.context.module
        shown = describe(module, data, limit=40)
        comp = node.args[0].value
        if isinstance(comp, cst.GeneratorExp) and int_value(comp.elt) != 1:
            self.report(
                node,
                f"`{describe(module, node)}` runs a full pass over `{shown}` just to count its"
                f" samples; use `len({shown}.dataset)` (or the dataset's length)",
                ProposedFix(f"use len({shown}.dataset)"),
            )
            return
        self.report(
            node,
            f"`{describe(module, node)}` runs a full pass over `{shown}` just to count it;"
            f" use `len({shown})`",
            ProposedFix(f"use len({shown})", replacements, safe=False),
        )

    def on_loop_exit(self, frame: LoopFrame) -> None:
        self._frames.append(frame)

    def _check_loop_body(self, loop: Loop, effects: Effects) -> None:
        body = loop.node.body
        if not isinstance(body, cst.IndentedBlock):
            return
        statements = list(body.body)
        unit = "step" if effects.is_step_loop(loop) else "epoch"
        module = self.context.module
        for index, statement in enumerate(statements):
            # Sliced only where a finding is possible: copying the rest of a loop of
            # thousands of statements for each of them is quadratic.
            if isinstance(statement, cst.With) and self._evaluates_without_grad(statement):
                later = statements[index + 1 :]
                uses = {name: _uses_of(later, name) for name in _assigned_in(statement.body)}
                names = sorted(name for name, found in uses.items() if found)
                if names and all(all(uses[name]) for name in names):
                    shown = ", ".join(f"`{name}`" for name in names[:3])
                    item = statement.items[0].item
                    self.report(
                        item,
                        f"the evaluation under `{describe(module, item)}` runs every {unit} but"
                        f" {shown} {'is' if len(names) == 1 else 'are'} only used every N"
                        f" {unit}s; evaluate inside the `if ... % N` block",
                        ProposedFix(f"move the evaluation inside the `if {unit} % N == 0:` block"),
                    )
                continue
            found = _evaluation_assignment(statement) or self._local_evaluation(statement, effects)
            if found is None:
                continue
            name, call = found
            if _only_guarded(statements[index + 1 :], name):
                self.report(
                    call,
                    f"`{describe(module, call)}` runs every training {unit} but `{name}` is"
                    f" only used every N {unit}s; evaluate inside the `if ... % N` block",
                    ProposedFix(f"move the evaluation inside the `if {unit} % N == 0:` block"),
                )

    def _evaluates_without_grad(self, node: cst.With) -> bool:
        for item in node.items:
            target = item.item.func if isinstance(item.item, cst.Call) else item.item
            if self.match(target, NO_GRAD):
                return True
        return False

    @staticmethod
    def _local_evaluation(
        statement: cst.BaseStatement, effects: Effects
    ) -> tuple[str, cst.Call] | None:
        """``acc = check(model, x_val)`` where ``check`` runs the model and does not train."""
        found = call_assignment(statement)
        if found is None:
            return None
        site = effects.program.site_of.get(id(found[1]))
        callee = effects.program.callee(site) if site is not None else None
        if callee is None or effects.trains(callee):
            return None
        if any(effects.calls_model(inner) for inner in callee.sites):
            return found
        return None


def _uses_of(statements: list[cst.BaseStatement], name: str) -> list[bool]:
    """For each use of ``name`` in ``statements``: whether it sits under ``if <... % N ...>:``."""
    uses: list[bool] = []
    for statement in statements:
        _usages(statement, name, False, uses)
    return uses


def _only_guarded(statements: list[cst.BaseStatement], name: str) -> bool:
    """``name`` is used after all, and only under ``if <... % N ...>:``."""
    uses = _uses_of(statements, name)
    return bool(uses) and all(uses)


def _assigned_in(node: cst.CSTNode) -> set[str]:
    """Plain names assigned anywhere in ``node`` (not in nested functions)."""
    found: set[str] = set()
    for current in iter_nodes(node):
        if isinstance(current, cst.Assign):
            for target in current.targets:
                found.update(target_names(target.target))
        elif isinstance(current, cst.AugAssign | cst.AnnAssign):
            found.update(target_names(current.target))
    return found


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
    needs_program = True
    triggers = ("batch", "BATCH", "backward")
    options = {
        "threshold": RuleOption(1024, "largest training batch size accepted without a note"),
        "full-batch-rows": RuleOption(
            1000, "smallest training set fed whole to the model every step that gets a note"
        ),
    }
    doc = RuleDoc(
        what=(
            "Finds training batch sizes written as numbers larger than `threshold` (default "
            "1024): `batch_size=`/`per_device_train_batch_size=` arguments, `BATCH_SIZE = ...` "
            'assignments, `"batch_size": ...` config entries and `--batch-size` argparse '
            "defaults, `batch_size=NAME` where the name, argparse option, config entry or "
            "dataclass field holds such a number on the default path, and full-batch training: "
            "loaders with `batch_size=len(ds)`, and training loops that feed the model a whole "
            "tensor of at least `full-batch-rows` rows (default 1000) every step, with no "
            "DataLoader (`model(X_train)` where `X_train` comes from `make_blobs(n_samples="
            "3000)`, `torch.randn(5000, 2)`, `train_test_split` or a slice of those). Names and "
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
            "when a large batch is deliberate. Where it is deliberate and memory is the limit, "
            "the `grad-accumulation` refactor keeps the effective batch with 1/N of the "
            "activation memory (it does not lower the compute)."
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

    def setup(self) -> None:
        self._reported: set[int] = set()
        self._named_sizes: list[tuple[cst.Arg, cst.Call]] = []

    def _report_size(
        self, node: cst.CSTNode, size: int, related: tuple[Evidence, ...] = ()
    ) -> None:
        self._reported.add(id(node))
        self.report(
            node,
            f"training batch size {size} (`{describe(self.context.module, node)}`) is above"
            f" {self.settings['threshold']}: past the critical batch size each sample buys less"
            " progress",
            ProposedFix("use a batch size at or below the critical batch size"),
            related,
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
            elif isinstance(
                arg.value, (cst.Name, cst.Attribute, cst.Subscript, cst.Call)
            ) and not self._is_full_batch(node, arg.value):
                self._named_sizes.append((arg, node))
            if size is None and self._is_full_batch(node, arg.value):
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

    def leave_Module(self, original_node: cst.Module) -> None:
        program = self.context.program
        if program is None:
            return
        effects = effects_of(program)
        for arg, call in self._named_sizes:
            self._check_named_size(arg, call, effects)
        for loop in effects.all_loops():
            if effects.is_step_loop(loop):
                self._check_full_batch(loop, effects)

    def _check_named_size(self, arg: cst.Arg, call: cst.Call, effects: Effects) -> None:
        """``batch_size=BATCH``, ``args.batch_size``, ``cfg["batch_size"]`` on the default path."""
        site = effects.program.site_of.get(id(call))
        if site is None:
            return
        found = effects.defaults.value(arg.value, site.scope, site.order)
        if found is None or type(found.value) is not int:
            return
        size = self._too_big(cst.Integer(str(found.value)))
        if size is None:
            return
        for origin, _, _ in found.origins:
            decided = getattr(origin, "value", origin)
            if id(origin) in self._reported or id(decided) in self._reported:
                return  # the number itself is already reported where it is written
        self._report_size(
            arg,
            size,
            tuple(
                (node, f"{text} sets the batch size", where) for node, text, where in found.origins
            ),
        )

    def _check_full_batch(self, loop: Loop, effects: Effects) -> None:
        """A step loop that feeds the model the whole training tensor every step."""
        limit = self.settings["full-batch-rows"]
        for site in effects.own_sites(loop):
            if not effects.calls_model(site) or not effects.feeds_training(site):
                continue
            args = [arg.value for arg in site.node.args if arg.keyword is None]
            if not args:
                continue
            data = args[0]
            if names_in(data) & loop.targets:
                continue  # indexed by the loop: mini-batches
            rows = rows_of(data, site.scope, effects.program, order=site.order)
            if rows is None or rows.value < limit:
                continue
            module = self.context.module
            shown = describe(module, data, limit=30)
            self.report(
                site.node,
                f"`{describe(module, site.node)}` trains full-batch: all of `{shown}`"
                f" ({rows.value:,} rows) every step; mini-batches (a DataLoader with"
                " batch_size 64-512) reach the same loss with far less compute",
                ProposedFix("train on mini-batches from a DataLoader (batch_size=64..512)"),
                tuple(
                    (node, f"{text}: {rows.value:,} training rows", where)
                    for node, text, where in rows.origins
                ),
            )
            return
