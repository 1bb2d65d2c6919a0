"""FLOPs of whatever a cell runs, counted with ``torch.utils.flop_counter.FlopCounterMode``.

Convention: **2 FLOPs per multiply-add** (torch's; fvcore counts multiply-adds, half as
many). Counted: matrix products, convolutions and attention, forward and backward.
Not counted: element-wise work (activations, normalisation, optimizer updates), which
is small next to the products in most models; every record says so.

``FlopCounter.start()`` / ``stop()`` wrap a cell on the thread that runs it. On top of
torch's counter it:

- adds formulas torch lacks (CPU attention, fused recurrent layers) and corrects one
  (grouped convolution backward), in its own mapping: torch's global registry is left
  as it was (see ``flop_formulas``);
- turns off the fused Transformer fast path while counting. Under ``no_grad`` (or with
  parameters that need no grad) and in eval mode, ``nn.TransformerEncoderLayer`` and
  ``nn.MultiheadAttention`` call one fused operator (``aten._transformer_encoder_layer_fwd``,
  ``aten._native_multi_head_attention``) that hides the layer's products from the
  counter. With the fast path off they run their standard path, the same products as
  operators with formulas, so a layer counts the same in train mode, eval mode and under
  ``no_grad``, and the per-module table shows its attention and feed-forward parts. We
  chose this over a formula for the fused operators: their positional arguments change
  between releases and nested (padded) inputs would need their own rules. The price: in
  inference such layers run unfused while FLOPs are counted (the note says so, only
  when such a layer ran in a state where the fast path would have been taken);
- measures its own work: the time spent inside its per-operator handler, outside the
  operators themselves, is ``counter_s``. It is part of the cell's duration and energy
  (the record says so); it is a lower bound, since entering Python for every operator
  costs time the handler cannot see;
- splits forward and backward (autograd) FLOPs, and FLOPs by dtype and device;
- says when the count is incomplete: an operator that looks like heavy compute but has
  no formula (named, with its call count), or threads the cell started (the counter only
  sees the thread that runs the cell).

Counting costs time per operator: about 16 us on this project's VM, where torch's own
``FlopCounterMode`` takes 50-85 us (``python bench/profiler_overhead.py`` prints both;
``_fast_dispatch_mode`` and ``_formula`` are the two shortcuts). That is why it is opt-in
(``--flops``).
"""

from __future__ import annotations

import re
import threading
import time
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

CONVENTION = "2 FLOPs per multiply-add"
# What is counted, in the words every output uses (records, reports, README).
METHOD = (
    "matrix products, convolutions and attention, forward and backward, counted with "
    "torch.utils.flop_counter.FlopCounterMode; element-wise work is not counted"
)
COVERAGE_NOTE = f"FLOPs of {METHOD} ({CONVENTION})"
FASTPATH_NOTE = (
    "the fused Transformer fast path was off while counting: nn.TransformerEncoderLayer and "
    "nn.MultiheadAttention ran their standard (unfused) path, counted operator by operator"
)
# Modules that take torch's fused fast path in inference (torch.backends.mha).
_FASTPATH_MODULES = ("MultiheadAttention", "TransformerEncoderLayer", "TransformerEncoder")
TOP_MODULES = 15

# Name parts of aten operators that do heavy arithmetic. One of these without a formula
# means the count misses real work (e.g. aten.mkldnn_rnn_layer for an LSTM on CPU).
_HEAVY_PARTS = frozenset(
    {
        *("mm", "bmm", "matmul", "addmm", "baddbmm", "addbmm", "addmv", "mv", "dot", "vdot"),
        *("einsum", "tensordot", "linear", "bilinear", "conv", "convolution", "depthwise"),
        *("conv1d", "conv2d", "conv3d", "attention", "mha", "rnn", "lstm", "gru", "fwd"),
    }
)
_SPLIT = re.compile(r"[._]+")


@dataclass
class FlopCount:
    """What one counted cell did, in FLOPs (2 per multiply-add)."""

    total: int
    forward: int
    backward: int
    by_operator: dict[str, int]
    by_module: list[dict[str, Any]]
    by_dtype: dict[str, int]
    by_device: dict[str, int]
    uncounted_operators: dict[str, int] = field(default_factory=dict)
    threads_started: list[str] = field(default_factory=list)
    fastpath_bypassed: bool = False
    counter_s: float = 0.0

    @property
    def complete(self) -> bool:
        return not self.uncounted_operators and not self.threads_started

    @property
    def notes(self) -> list[str]:
        notes = [COVERAGE_NOTE]
        if self.uncounted_operators:
            ops = ", ".join(f"{op} x{n}" for op, n in sorted(self.uncounted_operators.items()))
            notes.append(f"incomplete: operators without a FLOP formula ran and count 0: {ops}")
        if self.threads_started:
            names = ", ".join(self.threads_started)
            notes.append(
                f"incomplete: the cell started thread(s) {names}; torch work on them is not "
                "counted (the counter sees only the thread that runs the cell)"
            )
        if self.fastpath_bypassed:
            notes.append(FASTPATH_NOTE)
        return notes

    def record_fields(self) -> dict[str, Any]:
        """The ``flops*`` fields of a session-log record (``flops_per_s`` is added later)."""
        return {
            "flops": self.total,
            "flops_forward": self.forward,
            "flops_backward": self.backward,
            "flops_complete": self.complete,
            "flops_notes": self.notes,
            "flops_by_operator": dict(self.by_operator),
            "flops_by_module": list(self.by_module),
            "flops_by_dtype": dict(self.by_dtype),
            "flops_counter_s": self.counter_s,
        }


def torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


class FlopCounter:
    """Count FLOPs between ``start()`` and ``stop()`` on the calling thread."""

    def __init__(self) -> None:
        self._mode: Any = None
        self._fastpath_was: bool | None = None
        self._threads: list[str] = []
        self._thread_ident: int | None = None
        self._original_thread_start: Any = None

    def start(self) -> None:
        import torch

        self._fastpath_was = _set_fastpath(torch, False)
        self._watch_threads()
        self._mode = _make_counting_mode()
        self._mode.__enter__()

    def stop(self) -> FlopCount:
        import torch

        mode, self._mode = self._mode, None
        try:
            if mode is not None:
                mode.__exit__(None, None, None)
        finally:
            self._unwatch_threads()
            if self._fastpath_was is not None:
                _set_fastpath(torch, self._fastpath_was)
        if mode is None:
            raise RuntimeError("FlopCounter.stop() called without start()")
        result: FlopCount = mode.result(list(self._threads))
        return result

    # -- threads the cell starts ------------------------------------------------------
    def _watch_threads(self) -> None:
        self._thread_ident = threading.get_ident()
        original = threading.Thread.start
        counter = self

        def start(thread: threading.Thread) -> None:
            if threading.get_ident() == counter._thread_ident and not _harmless(thread):
                counter._threads.append(thread.name)
            original(thread)

        self._original_thread_start = original
        threading.Thread.start = start  # type: ignore[method-assign,assignment]

    def _unwatch_threads(self) -> None:
        if self._original_thread_start is not None:
            threading.Thread.start = self._original_thread_start  # type: ignore[method-assign]
            self._original_thread_start = None


def _harmless(thread: threading.Thread) -> bool:
    """Threads that run no model code: DataLoader's pin-memory thread, our own."""
    target = getattr(thread, "_target", None)
    module = getattr(target, "__module__", "") or ""
    return module.startswith(("torch.utils.data", "green_assist"))


def _set_fastpath(torch: Any, enabled: bool) -> bool | None:
    """Set the fused-Transformer fast path; return its previous state (None if absent)."""
    mha = getattr(torch.backends, "mha", None)
    if mha is None or not hasattr(mha, "set_fastpath_enabled"):
        return None
    previous = bool(mha.get_fastpath_enabled())
    mha.set_fastpath_enabled(enabled)
    return previous


def _make_counting_mode() -> Any:
    """A ``FlopCounterMode`` that also splits forward/backward, dtype and device, notes
    heavy operators it has no formula for, times its own work and sees whether a fused
    Transformer layer ran where its fast path applies. Built on first use: torch is
    optional."""
    import torch
    from torch.utils import flop_counter
    from torch.utils.flop_counter import FlopCounterMode

    from .flop_formulas import counter_formulas

    current_graph_task = torch._C._current_graph_task_id
    tensor_type = torch.Tensor
    fast_mode = _fast_dispatch_mode(torch, flop_counter)
    shape_wrapper_code = flop_counter.shape_wrapper(lambda: 0).__code__
    register_pre_hook = torch.nn.modules.module.register_module_forward_pre_hook

    class CellFlopCounter(FlopCounterMode):
        def __init__(self) -> None:
            super().__init__(display=False, custom_mapping=counter_formulas())
            self.mod_tracker = _light_module_tracker()
            self.backward = 0
            self.by_dtype: dict[str, int] = defaultdict(int)
            self.by_device: dict[str, int] = defaultdict(int)
            self.uncounted: dict[str, int] = defaultdict(int)
            self.fastpath_bypassed = False
            self.own_ns = 0
            self._formulas: dict[Any, Any] = {}
            self._hook: Any = None

        def __enter__(self) -> Any:
            self._hook = register_pre_hook(self._see_fastpath_module)
            if fast_mode is None:
                return super().__enter__()
            self.flop_counts.clear()
            self.mod_tracker.__enter__()
            self.mode = fast_mode(self)
            self.mode.__enter__()
            return self

        def __exit__(self, *args: Any) -> Any:
            try:
                return super().__exit__(*args)
            finally:
                self._hook.remove()

        def _see_fastpath_module(self, module: Any, args: Any) -> None:
            # Cheap for every other module: one attribute read and a tuple test.
            if self.fastpath_bypassed or type(module).__name__ not in _FASTPATH_MODULES:
                return
            if not module.training and (
                not torch.is_grad_enabled() or not any(p.requires_grad for p in module.parameters())
            ):
                self.fastpath_bypassed = True

        def plan_for(self, func_packet: Any) -> Any:
            """``(formula, takes_shapes)`` for an operator with a formula, else ``_HEAVY``
            (work the count misses) or ``_RUN`` (nothing to count)."""
            formula = self._formulas.get(func_packet, _UNSEEN)
            if formula is _UNSEEN:
                formula = self._formulas[func_packet] = _formula(
                    self.flop_registry.get(func_packet), shape_wrapper_code
                )
            if formula is not None:
                return formula
            return _HEAVY if _looks_heavy(str(func_packet)) else _RUN

        def _count_flops(self, func_packet: Any, out: Any, args: Any, kwargs: Any) -> Any:
            # torch's entry point (higher-order operators, triton kernels)
            plan = self.plan_for(func_packet)
            if plan is not _RUN:
                self.count(plan, func_packet, out, args, kwargs)
            return out

        def count(self, plan: Any, func_packet: Any, out: Any, args: Any, kwargs: Any) -> None:
            if plan is _HEAVY:
                self.uncounted[str(func_packet)] += 1
                return
            raw, on_shapes = plan
            if on_shapes:
                flops = raw(*_shapes(args), out_shape=_shapes(out), **_shapes(kwargs))
            else:
                flops = raw(*args, **kwargs, out_val=out)
            for parent in set(self.mod_tracker.parents):
                self.flop_counts[parent][func_packet] += flops
            if current_graph_task() != -1:
                self.backward += flops
            for arg in args:
                if isinstance(arg, tensor_type):
                    self.by_dtype[str(arg.dtype).removeprefix("torch.")] += flops
                    self.by_device[arg.device.type] += flops
                    break

        def result(self, threads: list[str]) -> FlopCount:
            counts = self.get_flop_counts()
            total = self.get_total_flops()
            by_operator = {str(op): n for op, n in counts.get("Global", {}).items()}
            modules: list[dict[str, Any]] = [
                {"module": name, "flops": sum(ops.values())}
                for name, ops in counts.items()
                if name != "Global"
            ]
            modules.sort(key=lambda m: (-m["flops"], m["module"]))
            return FlopCount(
                total=total,
                forward=total - self.backward,
                backward=self.backward,
                by_operator=by_operator,
                by_module=modules[:TOP_MODULES],
                by_dtype=dict(self.by_dtype),
                by_device=dict(self.by_device),
                uncounted_operators=dict(self.uncounted),
                threads_started=threads,
                fastpath_bypassed=self.fastpath_bypassed,
                counter_s=self.own_ns / 1e9,
            )

    return CellFlopCounter()


def _light_module_tracker() -> Any:
    """torch's ``ModuleTracker`` (which modules run, forward and backward) with its hooks
    made cheaper: closures made once per module, no tree walk for plain tensor inputs and
    outputs, and a tensor hook instead of a multi-tensor hook for one tensor. The same
    modules are entered and left at the same points."""
    import torch
    from torch.autograd.graph import register_multi_grad_hook
    from torch.utils._pytree import tree_flatten
    from torch.utils.module_tracker import ModuleTracker

    tensor_type = torch.Tensor

    def needing_grad(value: Any) -> list[Any]:
        if isinstance(value, tensor_type):
            return [value] if value.requires_grad else []
        if type(value) is tuple and all(isinstance(item, tensor_type) for item in value):
            return [item for item in value if item.requires_grad]
        flat, _ = tree_flatten(value)
        return [item for item in flat if isinstance(item, tensor_type) and item.requires_grad]

    class LightModuleTracker(ModuleTracker):
        def __init__(self) -> None:
            super().__init__()
            self._enter_fns: dict[str, Any] = {}
            self._leave_fns: dict[str, Any] = {}

        def _on_backward(self, tensors: list[Any], fn: Any) -> None:
            if len(tensors) == 1:
                self._hooks.append(tensors[0].register_hook(fn))
            else:
                self._hooks.append(register_multi_grad_hook(tensors, fn))

        def _fw_pre_hook(self, mod: Any, input: Any) -> None:
            name = self._get_mod_name(mod)
            self.parents.add(name)
            tensors = needing_grad(input)
            if tensors:
                fn = self._leave_fns.get(name)
                if fn is None:
                    fn = self._leave_fns[name] = self._get_pop_fn(name, True)
                self._on_backward(tensors, fn)

        def _fw_post_hook(self, mod: Any, input: Any, output: Any) -> None:
            name = self._get_mod_name(mod)
            self.parents.discard(name)
            tensors = needing_grad(output)
            if tensors:
                fn = self._enter_fns.get(name)
                if fn is None:
                    fn = self._enter_fns[name] = self._get_append_fn(name, True)
                self._on_backward(tensors, fn)

    return LightModuleTracker()


def _fast_dispatch_mode(torch: Any, flop_counter: Any) -> Any:
    """torch's inner dispatch mode with the same decisions made cheaper per operator.

    torch 2.13's ``_FlopCounterMode.__torch_dispatch__`` builds a set of 15 operators on
    every call (15 Python-level hashes) and, for each operator without a formula, tries
    to decompose it (a mode push and pop) even when it cannot. Here the set is built
    once and "cannot decompose", a fixed property of an operator, is remembered (about
    half of the saving). It also adds up the time it spends outside the operators
    (``counter.own_ns``). Falls back to torch's own mode (None) if its internals are not
    as expected.
    """
    base = getattr(flop_counter, "_FlopCounterMode", None)
    if base is None or not hasattr(base, "_handle_higher_order_ops"):
        return None
    aten, prim = torch.ops.aten, torch.ops.prim
    try:
        skip = frozenset(
            {
                aten.sym_is_contiguous.default,
                aten.is_contiguous.default,
                aten.is_contiguous.memory_format,
                aten.is_strides_like_format.default,
                aten.is_non_overlapping_and_dense.default,
                aten.size.default,
                aten.sym_size.default,
                aten.stride.default,
                aten.sym_stride.default,
                aten.storage_offset.default,
                aten.sym_storage_offset.default,
                aten.numel.default,
                aten.sym_numel.default,
                aten.dim.default,
                prim.layout.default,
            }
        )
    except AttributeError:
        return None
    device_op = prim.device.default
    higher_order = torch._ops.HigherOrderOperator
    clock = time.perf_counter_ns

    class FastFlopCounterMode(base):  # type: ignore[misc, valid-type]
        def __init__(self, counter: Any) -> None:
            super().__init__(counter)
            self._plans: dict[Any, Any] = {}

        def __torch_dispatch__(
            self, func: Any, types: Any, args: Any = (), kwargs: Any = None
        ) -> Any:
            t0 = clock()
            kwargs = kwargs if kwargs else {}
            counter = self.counter
            plans = self._plans
            plan = plans.get(func)
            if plan is None:
                plan = plans[func] = _first_plan(func, counter)
            if plan is _SKIP:
                return NotImplemented
            if plan is _HIGHER_ORDER:
                return self._handle_higher_order_ops(func, types, args, kwargs)
            if plan is _DECOMPOSE:
                with self:
                    decomposed = func.decompose(*args, **kwargs)
                if decomposed is not NotImplemented:
                    return decomposed  # its parts were counted (and timed) one by one
                plan = plans[func] = counter.plan_for(func._overloadpacket)
            t1 = clock()
            out = func(*args, **kwargs)
            t2 = clock()
            if plan is not _RUN:  # an operator with a formula, or heavy without one
                counter.count(plan, func._overloadpacket, out, args, kwargs)
            counter.own_ns += (t1 - t0) + (clock() - t2)
            return out

    def _first_plan(func: Any, counter: Any) -> Any:
        """What to do with ``func`` from now on (a property of the operator)."""
        if func in skip:
            return _SKIP
        if isinstance(func, higher_order):
            return _HIGHER_ORDER
        if func not in counter.flop_registry and func is not device_op:
            return _DECOMPOSE  # until it turns out it cannot be decomposed
        return counter.plan_for(func._overloadpacket)

    return FastFlopCounterMode


_UNSEEN = object()
# Per-operator plans of the fast dispatch mode (formula plans are the formula tuples).
_SKIP, _HIGHER_ORDER, _DECOMPOSE, _RUN, _HEAVY = (object() for _ in range(5))


def _formula(wrapped: Any, shape_wrapper_code: Any) -> tuple[Any, bool] | None:
    """``(function, takes_shapes)`` for a registry entry, None without one.

    Most of torch's formulas are wrapped to receive shapes, converted with a generic
    pytree walk that costs more than the rest of the counting per operator. For those
    we call the unwrapped formula with shapes converted by ``_shapes`` (same result)."""
    if wrapped is None:
        return None
    inner = getattr(wrapped, "__wrapped__", None)
    if inner is not None and getattr(wrapped, "__code__", None) is shape_wrapper_code:
        return inner, True
    return wrapped, False


def _shapes(value: Any) -> Any:
    """Tensors replaced by their shapes, inside tuples, lists and dicts (as torch's
    ``shape_wrapper`` does)."""
    shape = getattr(value, "shape", None)
    if shape is not None and hasattr(value, "dtype"):
        return shape
    if isinstance(value, tuple) and type(value) is not tuple and hasattr(value, "_fields"):
        return type(value)(*(_shapes(item) for item in value))
    if isinstance(value, (tuple, list)) and not _is_size(value):
        return type(value)(_shapes(item) for item in value)
    if isinstance(value, dict):
        return {key: _shapes(item) for key, item in value.items()}
    return value


def _is_size(value: Any) -> bool:
    return type(value).__name__ == "Size"


def _looks_heavy(op_name: str) -> bool:
    parts = _SPLIT.split(op_name.removeprefix("aten."))
    return any(part in _HEAVY_PARTS for part in parts)


def fvcore_multiply_adds(model: Any, inputs: Any) -> dict[str, Any]:
    """Optional cross-check with fvcore (``pip install fvcore``): the forward pass of
    ``model(*inputs)`` in **multiply-adds** (fvcore's unit), and the same in FLOPs.

    Returns ``{"multiply_adds", "flops_equivalent", "unsupported_operators", "unit"}``.
    fvcore skips some operators (it lists them), so its figure can be lower than ours.
    """
    if not isinstance(inputs, tuple):
        inputs = (inputs,)
    with warnings.catch_warnings():  # fvcore uses torch.jit, which warns it is deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            from fvcore.nn import FlopCountAnalysis
        except ImportError as err:
            raise ImportError(
                "the fvcore cross-check needs fvcore: pip install fvcore (or green-assist[torch])"
            ) from err
        analysis = FlopCountAnalysis(model, inputs)
        analysis.unsupported_ops_warnings(False)
        analysis.uncalled_modules_warnings(False)
        macs = int(analysis.total())
        unsupported = dict(analysis.unsupported_ops())
    return {
        "multiply_adds": macs,
        "flops_equivalent": 2 * macs,
        "unsupported_operators": unsupported,
        "unit": "multiply-adds (fvcore); 1 multiply-add = 2 FLOPs",
    }
