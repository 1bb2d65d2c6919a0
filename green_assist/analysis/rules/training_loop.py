"""What a training loop does every step: host syncs, and whether its work survives a crash."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from ..findings import Severity
from ..helpers import describe, dotted_name, int_value, method_name, receiver
from ..loops import LoopAwareRule, LoopFrame, target_names
from ..rule import ProposedFix, RuleDoc
from ..tables import CHECKPOINT_CALLS, CHECKPOINT_DUMP_MODULES, HOST_SYNC_METHODS

_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)


@dataclass
class _SyncCall:
    call: cst.Call
    guarded: bool


@dataclass
class _Print:
    call: cst.Call
    names: frozenset[str]
    guarded: bool


def _uses(node: cst.BaseExpression | None, names: frozenset[str]) -> bool:
    """``node`` is one of ``names`` or a subscript indexed by one (``preds[i]``)."""
    if isinstance(node, cst.Name):
        return node.value in names
    if isinstance(node, cst.Subscript):
        for element in node.slice:
            index = element.slice
            if (
                isinstance(index, cst.Index)
                and isinstance(index.value, cst.Name)
                and index.value.value in names
            ):
                return True
    return False


def _printed_names(call: cst.Call) -> frozenset[str]:
    found: set[str] = set()
    for arg in call.args:
        value = arg.value
        if isinstance(value, cst.Name):
            found.add(value.value)
        elif isinstance(value, cst.FormattedString):
            for part in value.parts:
                if isinstance(part, cst.FormattedStringExpression) and isinstance(
                    part.expression, cst.Name
                ):
                    found.add(part.expression.value)
    return frozenset(found)


class PerStepHostSync(LoopAwareRule):
    code = "GA108"
    name = "per-step-host-sync"
    summary = "host-device syncs every training step (`.item()`, `.cpu()`, printing tensors)"
    severity = Severity.WARNING
    triggers = ("item", "cpu", "numpy", "tolist", "backward")
    doc = RuleDoc(
        what=(
            "In a training loop (a loop that calls `.backward()`), finds `.item()`, `.cpu()`, "
            "`.numpy()` and `.tolist()` calls and `print(...)` of the loss tensor that run every "
            "step, i.e. not inside an `if` (such as `if step % 100 == 0:`). Anywhere in the "
            "code, it also finds `.item()` called once per element of a tensor "
            "(`[p.item() for p in preds]`, `for i in range(n): preds[i].item()`)."
        ),
        why=(
            "Accelerators run asynchronously: the Python loop queues kernels and moves on. "
            "Reading a value on the host waits until every queued kernel has finished, so the "
            "next step cannot be queued while the current one runs, and the GPU idles between "
            "steps while still drawing power. Per-element `.item()` loops pay that wait (and a "
            "tiny copy) once per element."
        ),
        example=(
            "for x, y in loader:\n"
            "    loss = criterion(model(x), y)\n"
            "    loss.backward()\n"
            "    optimizer.step()\n"
            "    running_loss += loss.item()\n"
        ),
        fix=(
            "Accumulate on the device (`running_loss += loss.detach()`) and read the value "
            "every N steps inside `if step % N == 0:`; convert whole tensors once with "
            "`.tolist()` instead of `.item()` per element."
        ),
        fixed_example=(
            "for step, (x, y) in enumerate(loader):\n"
            "    loss = criterion(model(x), y)\n"
            "    loss.backward()\n"
            "    optimizer.step()\n"
            "    running_loss += loss.detach()\n"
            "    if step % 100 == 0:\n"
            "        print(running_loss.item() / (step + 1))\n"
        ),
        sources=(
            "PyTorch Performance Tuning Guide, 'Avoid unnecessary CPU-GPU synchronization': "
            "https://pytorch.org/tutorials/recipes/recipes/tuning_guide.html",
            "PyTorch documentation, CUDA semantics, asynchronous execution: "
            "https://pytorch.org/docs/stable/notes/cuda.html#asynchronous-execution",
        ),
    )

    def setup(self) -> None:
        super().setup()
        self._covered: set[int] = set()
        self._comprehension_targets: list[frozenset[str]] = []

    def _enter_comprehension(self, node: cst.BaseComp) -> None:
        names: set[str] = set()
        step: cst.CompFor | None = node.for_in
        while step is not None:
            names |= target_names(step.target)
            step = step.inner_for_in
        self._comprehension_targets.append(frozenset(names))

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self._enter_comprehension(node)

    def leave_ListComp(self, original_node: cst.ListComp) -> None:
        self._comprehension_targets.pop()

    def visit_SetComp(self, node: cst.SetComp) -> None:
        self._enter_comprehension(node)

    def leave_SetComp(self, original_node: cst.SetComp) -> None:
        self._comprehension_targets.pop()

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self._enter_comprehension(node)

    def leave_GeneratorExp(self, original_node: cst.GeneratorExp) -> None:
        self._comprehension_targets.pop()

    def visit_DictComp(self, node: cst.DictComp) -> None:
        self._enter_comprehension(node)

    def leave_DictComp(self, original_node: cst.DictComp) -> None:
        self._comprehension_targets.pop()

    def on_call(self, node: cst.Call) -> None:
        if id(node) in self._covered:
            return
        method = method_name(node)
        if method in HOST_SYNC_METHODS and not node.args:
            # One finding per chain: x.detach().cpu().numpy() is one sync.
            inner = receiver(node)
            while isinstance(inner, cst.Call):
                self._covered.add(id(inner))
                inner = receiver(inner)
            if method == "item" and self._per_element(node):
                return
            if self.loop is not None:
                self.loop.notes.append(_SyncCall(node, self.guarded))
        elif dotted_name(node.func) == "print" and self.loop is not None:
            names = _printed_names(node)
            if names:
                self.loop.notes.append(_Print(node, names, self.guarded))

    def _per_element(self, node: cst.Call) -> bool:
        """Report ``.item()`` on a comprehension's element right away."""
        if self._comprehension_targets and _uses(receiver(node), self._comprehension_targets[-1]):
            self.report(node, self._element_message(node), _ELEMENT_FIX)
            return True
        return False

    def _element_message(self, node: cst.Call) -> str:
        return (
            f"`{describe(self.context.module, node)}` syncs with the device once per element;"
            " convert the whole tensor once with `.tolist()`"
        )

    def on_loop_exit(self, frame: LoopFrame) -> None:
        for note in frame.notes:
            if isinstance(note, _SyncCall):
                if frame.is_step_loop and not note.guarded:
                    shown = describe(self.context.module, note.call)
                    self.report(
                        note.call,
                        f"`{shown}` waits for the device every training step;"
                        " keep values on the device and read them every N steps",
                        _STEP_FIX,
                    )
                elif (
                    not frame.is_step_loop
                    and method_name(note.call) == "item"
                    and _uses(receiver(note.call), frame.targets)
                ):
                    self.report(note.call, self._element_message(note.call), _ELEMENT_FIX)
            elif frame.is_step_loop and not note.guarded:
                printed = sorted(note.names & frame.backward_receivers)
                if printed:
                    self.report(
                        note.call,
                        f"`{describe(self.context.module, note.call)}` prints tensor"
                        f" `{printed[0]}` every training step, which waits for the device",
                        _STEP_FIX,
                    )


_STEP_FIX = ProposedFix(
    "accumulate with .detach() on the device and read the value inside `if step % N == 0:`"
)
_ELEMENT_FIX = ProposedFix("call .tolist() (or .cpu()) once on the whole tensor")


def _is_long(frame: LoopFrame) -> bool:
    """An epoch loop around a step loop, ``while`` loops, or ``range(N)`` with N >= 1000."""
    node = frame.node
    if frame.contains_step_loop or isinstance(node, cst.While):
        return True
    if not isinstance(node, cst.For) or not isinstance(node.iter, cst.Call):
        return False
    args = node.iter.args
    if dotted_name(node.iter.func) != "range" or not args:
        return False
    count = int_value(args[-1 if len(args) < 3 else 1].value)  # range(n), range(a, n, step)
    return count is not None and count >= 1000


class NoCheckpoint(LoopAwareRule):
    code = "GA115"
    name = "no-checkpointing"
    summary = "long training loops that never save a checkpoint"
    severity = Severity.INFO
    triggers = ("backward",)
    doc = RuleDoc(
        what=(
            "Finds a long training loop (an epoch loop around a step loop, a `while` loop, or "
            "`range(N)` with N >= 1000 steps) in a module that never saves a checkpoint: no "
            "`torch.save`, `save_pretrained`, `save_state`, `save_checkpoint`, `save_model`, "
            "safetensors `save_file`, `pickle.dump`/`joblib.dump`, or Lightning "
            "`ModelCheckpoint` anywhere (a save in another notebook cell counts)."
        ),
        why=(
            "Long jobs fail: out-of-memory errors, pre-empted spot instances, node failures and "
            "kernel restarts are routine in shared clusters. Without a checkpoint the run starts "
            "over and every joule spent so far is spent again."
        ),
        example=(
            "for epoch in range(100):\n"
            "    for x, y in loader:\n"
            "        loss = criterion(model(x), y)\n"
            "        loss.backward()\n"
            "        optimizer.step()\n"
        ),
        fix=(
            "Save model and optimizer state periodically (every epoch or every N minutes) "
            "with `torch.save({...}, path)` and resume from the latest file on start."
        ),
        fixed_example=(
            "for epoch in range(start_epoch, 100):\n"
            "    train_one_epoch(model, loader, optimizer)\n"
            '    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),\n'
            '                "epoch": epoch}, "checkpoint.pt")\n'
        ),
        sources=(
            "PyTorch tutorial, Saving and loading a general checkpoint: "
            "https://pytorch.org/tutorials/recipes/recipes/saving_and_loading_a_general_"
            "checkpoint.html",
            "Jeon et al., Analysis of Large-Scale Multi-Tenant GPU Clusters for DNN Training "
            "Workloads, USENIX ATC 2019 (job failures and the GPU time they waste).",
        ),
    )

    def setup(self) -> None:
        super().setup()
        self._saves = False
        self._long_loops: list[LoopFrame] = []

    def on_call(self, node: cst.Call) -> None:
        name = dotted_name(node.func) or ""
        last = name.rsplit(".", 1)[-1]
        if (
            last in CHECKPOINT_CALLS
            or last == "ModelCheckpoint"
            or last == "dump"
            and name.split(".", 1)[0] in CHECKPOINT_DUMP_MODULES
        ):
            self._saves = True

    def on_loop_exit(self, frame: LoopFrame) -> None:
        outermost = frame.parent is None
        if outermost and (frame.is_step_loop or frame.contains_step_loop) and _is_long(frame):
            self._long_loops.append(frame)

    def leave_Module(self, original_node: cst.Module) -> None:
        if self._saves or not self._long_loops:
            return
        node = self._long_loops[0].node
        header = node.iter if isinstance(node, cst.For) else node.test
        shown = describe(self.context.module, header)
        kind = "for ... in" if isinstance(node, cst.For) else "while"
        self.report(
            header,
            f"training loop `{kind} {shown}` never saves a checkpoint:"
            " a crash or pre-emption repeats all the work",
            ProposedFix("save model and optimizer state every epoch with torch.save"),
        )
