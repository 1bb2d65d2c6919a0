"""What a training loop does every step: host syncs, and whether its work survives a crash."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

from ..context import Evidence
from ..defaults import Known, Origin
from ..effects import Chain, Effects, effects_of
from ..findings import Severity
from ..helpers import (
    describe,
    dotted_name,
    iter_nodes,
    keyword,
    method_name,
    names_in,
    receiver,
)
from ..loops import LoopAwareRule, LoopFrame
from ..names import EMPTY_MODULE, last_part, target_names
from ..program import Loop, Scope, Site
from ..rule import ProposedFix, Rule, RuleDoc
from ..tables import HOST_SIDE_METHODS, HOST_SYNC_METHODS, TENSOR_FACTORIES

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


def _formatted_name(node: cst.BaseExpression) -> str | None:
    """The tensor a printed value formats: ``loss``, ``loss[0]``, ``loss.data[0]``."""
    if isinstance(node, cst.Subscript):
        node = node.value
        if isinstance(node, cst.Attribute) and node.attr.value == "data":
            node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _printed_values(value: cst.BaseExpression) -> list[cst.BaseExpression]:
    """What a printed argument formats: itself, an f-string's fields, the operands of
    ``"%f" % (loss, acc)`` and the arguments of ``"{}".format(loss)``."""
    if isinstance(value, cst.FormattedString):
        return [
            part.expression
            for part in value.parts
            if isinstance(part, cst.FormattedStringExpression)
        ]
    if (
        isinstance(value, cst.BinaryOperation)
        and isinstance(value.operator, cst.Modulo)
        and isinstance(value.left, (cst.SimpleString, cst.ConcatenatedString))
    ):
        right = value.right
        if isinstance(right, cst.Tuple):
            return [element.value for element in right.elements]
        return [right]
    if (
        isinstance(value, cst.Call)
        and method_name(value) == "format"
        and isinstance(receiver(value), (cst.SimpleString, cst.ConcatenatedString))
    ):
        return [arg.value for arg in value.args]
    return [value]


def _printed_names(call: cst.Call) -> frozenset[str]:
    found: set[str] = set()
    for arg in call.args:
        for value in _printed_values(arg.value):
            name = _formatted_name(value)
            if name is not None:
                found.add(name)
    return frozenset(found)


_PRINTS = frozenset({"print", "sys.stdout.write"})


class PerStepHostSync(LoopAwareRule):
    code = "GA108"
    name = "per-step-host-sync"
    summary = "host-device syncs every training step (`.item()`, `.cpu()`, printing tensors)"
    severity = Severity.WARNING
    needs_program = True
    needs_qualified_names = True
    triggers = ("item", "cpu", "numpy", "tolist", "backward")
    # On a CPU there is no queue of device work to drain: reading a value costs little.
    accelerator_only = True
    hardware = "accelerators only (silent for `--target cpu`)"
    doc = RuleDoc(
        what=(
            "In a training loop (a loop that calls `.backward()`), finds `.item()`, `.cpu()`, "
            "`.numpy()` and `.tolist()` calls and `print(...)` of the loss tensor (also formatted: "
            '`print("%f" % loss)`, `"{}".format(loss)`, `sys.stdout.write(...)`) that run every '
            "step, i.e. not inside an `if` (such as `if step % 100 == 0:`) unless its "
            "condition holds every step on the default path (`--log-interval` defaults to 1; a "
            "replay buffer's warm-up, `len(memory) > batch_size`, holds after the first steps) "
            "or both arms of an `if`/`else` sync (a running average started from the first "
            "step's `.item()`; a helper that syncs, called in both arms of `if use_amp:`, is "
            "one finding, on the first arm), or it sits under the same test as the backward "
            "(`if phase == "
            '"train":` in a loop over training and validation phases). A value the loop '
            "branches on (`if loss.item() < best:` "
            "to keep the best weights, a divergence check, an early stop on the metrics an "
            "evaluation helper returns, also through what is computed from it: `pred = "
            "logits.cpu()`, then `if recall_score(y, pred) > best:`) is needed on the host and "
            "is not reported, unless that test itself runs only every N steps; nor is a value "
            "handed to a simulator (`env.step(action.item())`, also through a helper whose "
            "parameter reaches `env.step`, one that returns the action, or a rollout helper "
            "that steps the simulator itself), nor a value the "
            "loader just gave and nothing has moved yet "
            "(`window_len[0].item()` on a host batch). A loop whose helper trains only when "
            "asked (`forward_pass(..., train=False)` with `if train: loss.backward()`) is not a "
            "training loop. A helper called in a `for` loop's header (`for xb in "
            "batches(data):`) runs once per entry of the loop, not every step. "
            "A function that trains once per call and that nothing in the "
            "file calls (an agent's `learn()` that another file's episode loop runs) is a "
            "training step: a sync it makes on every call is reported there. "
            "A step counter that a function advances through `global` "
            "is not a constant: `if steps_done % 1000 == 0:` is an interval. Anywhere in the "
            "code, it also finds `.item()` called once per element of a tensor "
            "(`[p.item() for p in preds]`, `for i in range(n): preds[i].item()`), except in a "
            "loop over a tensor the file makes without a device and never moves (`t_eval = "
            "torch.tensor([0.1, 0.9])`), over a NumPy array (`norms = 1 / np.sqrt(counts)`) or "
            "over a tensor copied to the host once (`for row in labels.cpu():`): its elements "
            "wait for no device."
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
        # Per comprehension: what each of its targets iterates over.
        self._comprehension_targets: list[dict[str, cst.BaseExpression]] = []
        self._frames: list[LoopFrame] = []

    def _enter_comprehension(self, node: cst.BaseComp) -> None:
        iterables: dict[str, cst.BaseExpression] = {}
        step: cst.CompFor | None = node.for_in
        while step is not None:
            iterables.update(dict.fromkeys(target_names(step.target), step.iter))
            step = step.inner_for_in
        self._comprehension_targets.append(iterables)

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
        elif dotted_name(node.func) in _PRINTS and self.loop is not None:
            names = _printed_names(node)
            if names:
                self.loop.notes.append(_Print(node, names, self.guarded))

    def _per_element(self, node: cst.Call) -> bool:
        """Report ``.item()`` on a comprehension's element right away."""
        if not self._comprehension_targets:
            return False
        iterables = self._comprehension_targets[-1]
        element = receiver(node)
        if not _uses(element, frozenset(iterables)):
            return False
        iterated = iterables.get(element.value) if isinstance(element, cst.Name) else None
        if not self._reads_host_data(node, self.loop, iterated):
            self.report(node, self._element_message(node), _ELEMENT_FIX)
        return True

    def _reads_host_data(
        self,
        call: cst.Call,
        frame: LoopFrame | None,
        iterated: cst.BaseExpression | None = None,
    ) -> bool:
        """``.item()`` on an element of data that lives on the host: ``t`` in ``for t in
        t_eval:`` (or ``[t.item() for t in t_eval]``, ``iterated`` then being ``t_eval``)
        or ``norms[i]``, where ``t_eval = torch.tensor([0.1, 0.9])`` (made without a
        device, never moved), ``norms = 1 / np.sqrt(counts)`` (a NumPy array) or
        ``labels.cpu()`` (copied once, also a row of it: ``for row in labels.cpu(): for j in
        row:``): reading its elements waits for no device. ``frame``: the loop whose target
        the element is (or, with ``iterated``, the loop around the comprehension)."""
        program = self.context.program
        site = program.site_of.get(id(call)) if program is not None else None
        if site is None:
            return False
        element = receiver(call)
        if isinstance(element, cst.Subscript):
            return self._host_data(element.value, site.scope)
        if iterated is None:
            if frame is None or not isinstance(frame.node, cst.For):
                return False
            iterated, frame = frame.node.iter, frame.parent
        while True:
            if isinstance(iterated, cst.Call) and dotted_name(iterated.func) == "enumerate":
                iterated = iterated.args[0].value if iterated.args else iterated
            if (
                isinstance(iterated, cst.Name)
                and frame is not None
                and isinstance(frame.node, cst.For)
                and iterated.value in frame.targets
            ):
                iterated, frame = frame.node.iter, frame.parent  # ``for j in row:`` in
                continue  # ``for row in labels.cpu():``
            return self._host_data(iterated, site.scope)

    def _host_data(self, node: cst.BaseExpression | None, scope: Scope, depth: int = 0) -> bool:
        """A tensor made without a device (through host views and casts), a NumPy result,
        or arithmetic of those with numbers; a name bound once to one of them."""
        if depth > 3 or node is None:
            return False
        if isinstance(node, cst.Name):
            bindings = scope.bindings.get(node.value, ())
            return len(bindings) == 1 and self._host_data(
                bindings[0].element_value(), scope, depth + 1
            )
        if isinstance(node, (cst.Integer, cst.Float)):
            return True
        if isinstance(node, cst.BinaryOperation):
            return self._host_data(node.left, scope, depth) and self._host_data(
                node.right, scope, depth
            )
        if not isinstance(node, cst.Call):
            return False
        if method_name(node) in HOST_SIDE_METHODS:
            return self._host_data(receiver(node), scope, depth)
        if method_name(node) in HOST_SYNC_METHODS and not node.args:
            return True  # ``labels.cpu()``: one copy to the host, then host data
        if (dotted_name(node.func) or "").startswith(("np.", "numpy.")):
            return True
        return (
            self.match(node.func, TENSOR_FACTORIES) is not None
            and keyword(node, "device") is None
            and not any(arg.star for arg in node.args)
        )

    def _element_message(self, node: cst.Call) -> str:
        return (
            f"`{describe(self.context.module, node)}` syncs with the device once per element;"
            " convert the whole tensor once with `.tolist()`"
        )

    def on_loop_exit(self, frame: LoopFrame) -> None:
        self._frames.append(frame)

    def leave_Module(self, original_node: cst.Module) -> None:
        program = self.context.program
        if program is None:
            return
        effects = effects_of(program)
        loops = {id(loop.node): loop for loop in effects.all_loops()}
        for frame in self._frames:
            loop = loops.get(id(frame.node))
            if loop is not None:
                self._check_loop(frame, loop, effects)
        for scope in program.scopes:
            self._check_step_called_elsewhere(scope, effects)

    def _check_step_called_elsewhere(self, scope: Scope, effects: Effects) -> None:
        """An agent's ``learn()`` that trains once per call and that nothing in this file
        calls (another file's episode loop does): each call is a training step, so a sync
        it makes on every call is a sync every step (as GA101 reports its backward)."""
        if scope.is_module or not isinstance(scope.node, cst.FunctionDef):
            return
        if effects.per_call_backward(scope) is None or effects.model_callers(scope):
            return
        module = self.context.module
        for chain in effects.syncs_per_call(scope):
            site = chain[0]
            if len(chain) != 1 or site.loop is not None:
                continue
            if _decides_branch(site.node, site, scope.node, effects) or _handed_to_environment(
                site, effects
            ):
                continue
            self.report(
                site.node,
                f"`{describe(module, site.node)}` waits for the device on every call of"
                f" `{scope.name}`, a training step (nothing in this file calls it: another"
                " file's loop does); keep values on the device and read them every N steps",
                _STEP_FIX,
            )

    def _check_loop(self, frame: LoopFrame, loop: Loop, effects: Effects) -> None:
        step = effects.one_step_per_iteration(loop)
        module = self.context.module
        for note in frame.notes:
            site = effects.program.site_of.get(id(note.call))
            if site is None:
                continue
            every, origins = effects.defaults.site_runs_every_iteration(site)
            if not every and isinstance(note, _SyncCall):
                every, origins = _either_arm_syncs(site, effects)
            if not every and isinstance(note, _SyncCall):
                every = _runs_with_backward(site, loop, effects)
            related = _guard_evidence(origins)
            if isinstance(note, _SyncCall):
                if (
                    step
                    and every
                    and not _decides_branch(note.call, site, frame.node, effects)
                    and not _handed_to_environment(site, effects)
                    and not _reads_loaded_batch(note.call, site, loop, frame)
                ):
                    self.report(
                        note.call,
                        f"`{describe(module, note.call)}` waits for the device every training"
                        " step; keep values on the device and read them every N steps"
                        + _guard_note(origins),
                        _STEP_FIX,
                        related,
                    )
                elif (
                    not step
                    and method_name(note.call) == "item"
                    and _uses(receiver(note.call), frame.targets)
                    and not self._reads_host_data(note.call, frame)
                ):
                    self.report(note.call, self._element_message(note.call), _ELEMENT_FIX)
            elif step and every:
                printed = sorted(note.names & frame.backward_receivers)
                if printed:
                    self.report(
                        note.call,
                        f"`{describe(module, note.call)}` prints tensor"
                        f" `{printed[0]}` every training step, which waits for the device"
                        + _guard_note(origins),
                        _STEP_FIX,
                        related,
                    )
        if step:
            self._check_helpers(loop, effects)

    def _check_helpers(self, loop: Loop, effects: Effects) -> None:
        """Calls in the step loop of local functions that sync every time they run."""
        module = self.context.module
        header = _header_nodes(loop)
        for site in effects.own_sites(loop):
            callee = effects.callee(site)
            if callee is None or id(site.node) in header:
                continue  # (``for x in batches(data):`` calls ``batches`` once per entry)
            # (an action read inside the helper and handed to ``env.step`` there is needed)
            chains = [
                chain
                for chain in effects.syncs_per_call(callee)
                if not _handed_to_environment(chain[-1], effects)
            ]
            if not chains:
                continue
            every, origins = effects.defaults.site_runs_every_iteration(site)
            if not every:
                every, origins = _either_arm_calls(site, effects)
                if every and site.branch is not None and not site.branch.taken:
                    continue  # the same call in the ``if`` arm is reported: one waste
            if not every and effects.per_call_backward(callee) is None:
                continue  # (a call that trains is a training step, however often it runs)
            if _returns_synced(callee, chains, effects) and (
                _decides_branch(site.node, site, loop.node, effects)
                or _handed_to_environment(site, effects)
            ):
                continue  # ``evals = evaluate(...)`` read by an early stop, ``action =
                # select_action(...)`` handed to ``env.step``: needed on the host
            chain = chains[0]
            sync = chain[-1].node
            evidence: list[Evidence] = [
                (
                    link.node,
                    f"`{describe(module, link.node)}` calls `{following.scope.name}`",
                    link.scope.name,
                )
                for link, following in zip(chain, chain[1:], strict=False)
            ]
            # Every sync the call reaches, so that all of them are fixed at once.
            shown: set[int] = set()
            for reached in chains:
                last = reached[-1]
                if id(last.node) in shown:
                    continue
                shown.add(id(last.node))
                evidence.append(
                    (
                        last.node,
                        f"`{describe(module, last.node)}` in `{last.scope.name}` copies to the"
                        " host and waits for the device",
                        last.scope.name,
                    )
                )
            self.report(
                site.node,
                f"`{describe(module, site.node)}` waits for the device every training step:"
                f" `{callee.name}` calls `{describe(module, sync, limit=40)}`"
                + _guard_note(origins),
                _STEP_FIX,
                (*evidence, *_guard_evidence(origins)),
            )


def _header_nodes(loop: Loop) -> set[int]:
    """Ids of the nodes of a ``for`` loop's iterable: evaluated once, not every step."""
    node = loop.node
    return {id(part) for part in iter_nodes(node.iter)} if isinstance(node, cst.For) else set()


def _returns_synced(callee: Scope, chains: list[Chain], effects: Effects) -> bool:
    """The helper returns what it read on the host (``loss = ....item()``, ``outputs[key] =
    loss``, ``return outputs``): the caller asked for those values. Not a helper that only
    prints its metrics and returns a tensor."""
    read: set[str] = set()
    for chain in chains:
        first = chain[0]
        read |= {binding.name for binding in first.bindings}
        if any(first.node is node for value, _ in callee.returns for node in iter_nodes(value)):
            return True
    # What the read values flow into (``outputs[key] = loss`` binds ``outputs``).
    carried = _flows_into(read, callee, after=-1, into_objects=True, effects=effects)
    return any(carried & names_in(value) for value, _ in callee.returns)


def _flows_into(
    names: set[str], scope: Scope, after: int, into_objects: bool, effects: Effects
) -> set[str]:
    """``names`` and every name of ``scope`` bound after statement ``after`` from a value
    that reads one of them (``pred = y.cpu()``, then ``uar = recall_score(true, pred)``);
    with ``into_objects``, also objects they are written into (``outputs[key] = loss``)."""
    if not names:
        return set()
    flows = [
        (binding.name, binding.value)
        for binding in effects.value_bindings(scope)
        if binding.value is not None
        and binding.order > after
        and (into_objects or not binding.mutates)
    ]
    carried = set(names)
    grew = bool(carried)
    while grew:
        grew = False
        for name, value in flows:
            if name not in carried and carried & names_in(value):
                carried.add(name)
                grew = True
    return carried


def _runs_with_backward(site: Site, loop: Loop, effects: Effects) -> bool:
    """``for phase in ("train", "val"):`` loops: the sync sits under the same ``if phase ==
    "train":`` as the loop's backward (or a test spelled the same), so it runs on every
    training step whatever the test's value."""
    chain = effects.step_backward(loop)
    backward = chain[0] if chain else None
    if backward is None or site.branch is None or backward.scope is not site.scope:
        return False
    stop = loop.branch
    tests: set[str] = set()
    current = backward.branch
    while current is not None and current is not stop:
        if current.test is not None:
            tests.add(f"{current.taken}:{EMPTY_MODULE.code_for_node(current.test)}")
        current = current.parent
    current = site.branch
    while current is not None and current is not stop:
        if current.test is None:
            return False
        if f"{current.taken}:{EMPTY_MODULE.code_for_node(current.test)}" not in tests:
            return False
        current = current.parent
    return True


def _either_arm_syncs(site: Site, effects: Effects) -> tuple[bool, tuple[Origin, ...]]:
    """``if ema is None: ema = loss.item()`` / ``else: ema = 0.9 * ema + 0.1 * loss.item()``:
    the sync sits in one arm of an ``if``/``else`` whose other arm syncs too, and the
    ``if`` itself runs every iteration, so one sync or the other runs every step."""
    return _either_arm(site, effects, _syncs)


def _either_arm_calls(site: Site, effects: Effects) -> tuple[bool, tuple[Origin, ...]]:
    """``if scaler: ... x_t = q_sample(x, t)`` / ``else: ... x_t = q_sample(x, t)``: the
    helper is called in both arms of an ``if``/``else`` that runs every iteration."""
    name = dotted_name(site.node.func)

    def calls_it(block: cst.BaseSuite) -> bool:
        return any(
            isinstance(node, cst.Call) and dotted_name(node.func) == name
            for node in iter_nodes(block)
        )

    return _either_arm(site, effects, calls_it) if name else (False, ())


def _either_arm(
    site: Site, effects: Effects, other_arm_does: Callable[[cst.BaseSuite], bool]
) -> tuple[bool, tuple[Origin, ...]]:
    """``site`` sits in one arm of an ``if``/``else`` that runs every iteration, and the
    other arm does the same (``other_arm_does``): one or the other runs every step."""
    branch = site.branch
    node = branch.node if branch is not None else None
    if branch is None or not isinstance(node, cst.If) or not isinstance(node.orelse, cst.Else):
        return False, ()
    other = node.orelse.body if branch.taken else node.body
    if not other_arm_does(other):
        return False, ()
    stop = site.loop.branch if site.loop is not None else None
    return effects.defaults.always(branch.parent, stop, site.scope)


def _decides_branch(
    call: cst.Call,
    site: Site,
    region: cst.For | cst.While | cst.FunctionDef,
    effects: Effects,
) -> bool:
    """The synced value decides a branch of the loop (``if loss.item() < best:`` or
    ``l = loss.item()`` then ``if l < best: torch.save(...)``): the host needs it, and
    reading it every N steps would change what the program does. A test that itself runs
    only every N steps (``if step % 500 == 0: if mean(costs) < best:``) needs the values
    only then: they can wait on the device until that step."""
    tests = effects.branch_tests(region)
    if any(call is node for test in tests for node in iter_nodes(test)):
        return True
    bound = _flows_into(
        {binding.name for binding in site.bindings},
        site.scope,
        site.order,
        into_objects=False,
        effects=effects,
    )
    return bool(bound) and any(
        bound & _value_names(test) and not _runs_every_n_steps(test, effects) for test in tests
    )


def _runs_every_n_steps(test: cst.BaseExpression, effects: Effects) -> bool:
    """Some call in ``test`` is known not to run on every iteration of its loop."""
    for node in iter_nodes(test):
        if type(node) is cst.Call:
            site = effects.program.site_of.get(id(node))
            if site is not None:
                return not effects.defaults.site_runs_every_iteration(site)[0]
    return False


def _reads_loaded_batch(call: cst.Call, site: Site, loop: Loop, frame: LoopFrame) -> bool:
    """``window_len = window_len[0].item()`` on what the loader just gave (``for i, (x,
    window_len) in enumerate(loader):``), before anything rebinds it: a host tensor, so
    reading it waits for no device."""
    root: cst.BaseExpression | None = receiver(call)
    while isinstance(root, (cst.Subscript, cst.Attribute, cst.Call)):  # ``x[0].float()``
        root = root.func if isinstance(root, cst.Call) else root.value
    if not isinstance(root, cst.Name) or root.value not in frame.targets:
        return False
    own = {id(binding) for binding in site.bindings}  # ``window_len = window_len[0]...``
    return all(
        binding.loop is not loop
        or binding.order > site.order
        or binding.node is loop.node
        or id(binding) in own
        for binding in site.scope.bindings.get(root.value, ())
    )


def _handed_to_environment(site: Site, effects: Effects) -> bool:
    """``env.step(action.item())``, also through a name (``a = action.item()``) or a local
    helper whose parameter reaches ``env.step`` (``observe_env(obs, action.item())``): a
    simulator on the host needs the value every step, so no interval can save the sync."""
    names = {binding.name for binding in site.bindings}
    consumers = _enclosing(site)
    consumers += [
        other
        for other in site.scope.sites
        if names and other.order > site.order and names & _argument_names(other.node)
    ]
    for consumer in consumers:
        if _steps_environment(consumer.node):
            return True
        callee = effects.program.callee(consumer)  # one level: ``observe(obs, a.item())``
        if callee is None:
            continue
        for param in callee.params:
            argument = effects.program.argument_for(consumer, callee, param.name)
            if not isinstance(argument, cst.BaseExpression):
                continue
            if not any(n is site.node for n in iter_nodes(argument)) and not names & names_in(
                argument
            ):
                continue
            inner = [s for s in callee.sites if param.name in _argument_names(s.node)]
            if any(_steps_environment(s.node) for s in inner):
                return True
    return False


def _enclosing(site: Site) -> list[Site]:
    found: list[Site] = []
    outer = site.enclosing
    while outer is not None:
        found.append(outer)
        outer = outer.enclosing
    return found


def _argument_names(call: cst.Call) -> set[str]:
    return {name for arg in call.args for name in names_in(arg.value)}


def _steps_environment(call: cst.Call) -> bool:
    """``env.step(a)``, ``self.env.step(a)``, ``envs.step(actions)``: not an optimizer's,
    a scheduler's or a grad scaler's ``step``."""
    if method_name(call) != "step" or not call.args:
        return False
    owner = last_part(dotted_name(receiver(call))).lower()
    return owner.endswith(("env", "envs", "environment")) or owner in (
        "task",
        "game",
        "sim",
        "simulator",
        "world",
    )


def _value_names(test: cst.BaseExpression) -> set[str]:
    """Names whose value a test reads: not ``x`` in ``x is None`` (only whether it is set)."""
    if isinstance(test, cst.Comparison) and all(
        isinstance(c.operator, (cst.Is, cst.IsNot))
        and isinstance(c.comparator, cst.Name)
        and c.comparator.value == "None"
        for c in test.comparisons
    ):
        return set()
    if isinstance(test, cst.BooleanOperation):
        return _value_names(test.left) | _value_names(test.right)
    if isinstance(test, cst.UnaryOperation):
        return _value_names(test.expression)
    return names_in(test)


def _syncs(block: cst.BaseSuite) -> bool:
    """A host-sync method call (``.item()``, ``.cpu()``...) somewhere in ``block``."""
    return any(
        isinstance(node, cst.Call) and method_name(node) in HOST_SYNC_METHODS and not node.args
        for node in iter_nodes(block)
    )


def _guard_note(origins: tuple[Origin, ...]) -> str:
    """`` (its `if` runs every step: `--log-interval` defaults to 1)`` when a default decided."""
    if not origins:
        return ""
    return f" (its `if` holds every step: {origins[0][1]})"


def _guard_evidence(origins: tuple[Origin, ...]) -> tuple[Evidence, ...]:
    return tuple(
        (node, f"{shown}: the condition around the sync holds every step", where)
        for node, shown, where in origins
    )


_STEP_FIX = ProposedFix(
    "accumulate with .detach() on the device and read the value inside `if step % N == 0:`"
)
_ELEMENT_FIX = ProposedFix("call .tolist() (or .cpu()) once on the whole tensor")


class NoCheckpoint(Rule):
    code = "GA115"
    name = "no-checkpointing"
    summary = "long training loops that never save a checkpoint"
    severity = Severity.INFO
    needs_program = True
    triggers = ("backward",)
    doc = RuleDoc(
        what=(
            "Finds each long training loop (an epoch loop around a step loop, a `while` loop, "
            "or `range(N)` with N >= 1000 steps, also as `tqdm(range(N))` or `trange(N)`; "
            "loops and steps may sit in different "
            "functions, e.g. `for epoch ...: train(...)`, or a model's own `train()` method "
            "that overrides `nn.Module.train`, `agent = Agent()` then `agent.train()`) that "
            "saves no checkpoint while it runs: no `torch.save`, `save_pretrained`, "
            "`save_state`, `save_checkpoint`, "
            "`save_model`, safetensors `save_file`, `pickle.dump`/`joblib.dump` (not a "
            "picture's or an animation's `.save`: `ani.save(\"x.gif\")`), a project's "
            "own `save_checkpoint_model(...)`/`save_ckpt(...)` (a `save_...` name about a "
            "checkpoint, model, state, weights or parameters), an imported helper handed a "
            "checkpoint path (`validate(model, loader, best, model_sv_pth)`, a `.pth`/`.pt` "
            "file: it may save there; not a `load...` helper) or the model and the run's "
            "folder (`log_epoch(..., self.experiment_dir, self.model)`; not an evaluation or plot "
            "helper that writes results there), or Lightning "
            "`ModelCheckpoint` inside the loop or in a function it calls, on the default path. "
            "A loop that runs callbacks other code registers (`trigger_callbacks(...)`, "
            "`callback(self)`) is left alone: they may save. A save after the loop, or one "
            "behind a flag that is off by default "
            "(`if args.save_model:`), does not protect the run; a function that is a whole "
            "training run (its own `for epoch in range(...)` around a step loop) is checked "
            "by itself also when a loop calls it (a menu, k folds), because a save after its "
            "epochs does not protect its run. `N` may come from a constant, an `argparse` "
            "default or a config entry, also through a name (`with tqdm(range(N)) as bar:` "
            "then `for step in bar:`). In `for run in range(3): for epoch in range(5): ...` the "
            "finding sits on the epoch loop, where the checkpoint belongs."
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

    def leave_Module(self, original_node: cst.Module) -> None:
        program = self.context.program
        if program is None:
            return
        effects = effects_of(program)
        # Functions that are whole training runs (their own counted epoch loop, `for epoch
        # in range(epochs):`, around a step loop): checked on their own, also when a loop
        # calls them (a menu, k folds), because a save after their epoch loop does not
        # protect their run. Not a loop over several loaders inside one epoch's function.
        runs = {
            id(scope)
            for scope in program.scopes
            if any(_runs_epochs(loop, effects) for loop in scope.loops if loop.parent is None)
        }
        for scope in program.scopes:
            if id(scope) not in runs and self._called_in_training(scope, effects):
                continue  # the caller's loop is the outer one
            for loop in scope.loops:
                if loop.parent is None:
                    self._check(loop, effects, runs)

    @staticmethod
    def _called_in_training(scope: Scope, effects: Effects) -> bool:
        return any(
            effects.training_loop_around(site) is not None
            for site in effects.program.callers(scope)
        )

    def _check(self, loop: Loop, effects: Effects, runs: set[int]) -> None:
        if not effects.loop_trains(loop):
            return
        if not effects.defaults.reachable(loop.branch, loop.scope):
            return
        inner = effects.inner_step_loop(loop)
        if inner and any(id(effects.callee(site)) in runs for site in inner):
            return  # it repeats a whole training run, which is checked itself
        long, evidence = self._long(loop, effects)
        if not long or effects.saves_within(loop) is not None:
            return
        loop = _epoch_loop_within(loop, effects)
        node = loop.node
        header = node.iter if isinstance(node, cst.For) else node.test
        module = self.context.module
        shown = describe(module, header)
        kind = "for ... in" if isinstance(node, cst.For) else "while"
        later = effects.first_save()
        if later is not None:
            evidence.append(
                (
                    later.node,
                    f"`{describe(module, later.node)}` runs outside the training loop (or not on"
                    " the default path): it does not protect the run",
                    None if later.scope.is_module else later.scope.name,
                )
            )
        self.report(
            header,
            f"training loop `{kind} {shown}` saves no checkpoint while it runs:"
            " a crash or pre-emption repeats all the work",
            ProposedFix("save model and optimizer state every epoch with torch.save"),
            tuple(evidence),
        )

    def _long(self, loop: Loop, effects: Effects) -> tuple[bool, list[Evidence]]:
        """An epoch loop around a step loop, a ``while`` loop, or ``range(N)``, N >= 1000."""
        module = self.context.module
        inner = effects.inner_step_loop(loop)
        if inner is not None:
            evidence: list[Evidence] = [
                (
                    site.node,
                    f"`{describe(module, site.node)}` runs the training steps",
                    None if site.scope.is_module else site.scope.name,
                )
                for site in inner[:1]
            ]
            return True, evidence
        node = loop.node
        if isinstance(node, cst.While):
            return True, []
        steps = _counted_range(loop)
        if steps is None:
            return False, []
        count = _range_length(steps, loop, effects)
        if count is None or count.value < 1000:
            return False, []
        return True, [
            (origin, f"{text}: {count.value:,} training steps", where)
            for origin, text, where in count.origins
        ]


def _epoch_loop_within(loop: Loop, effects: Effects) -> Loop:
    """Where the checkpoint belongs: in ``for run in range(3): for epoch in range(5): for
    batch in loader:``, the epoch loop (the innermost counted loop that holds a step loop;
    not ``for phase in ["train", "val"]:`` inside an epoch)."""
    while True:
        inner = [
            child
            for child in effects.child_loops(loop)
            if _counted_range(child) is not None
            and not effects.is_step_loop(child)
            and effects.inner_step_loop(child) is not None
        ]
        if len(inner) != 1:
            return loop
        loop = inner[0]


def _runs_epochs(loop: Loop, effects: Effects) -> bool:
    """``for epoch in range(epochs):`` around a step loop in the same function."""
    return _counted_range(loop) is not None and effects.inner_step_loop(loop) == ()


def _counted_range(loop: Loop) -> cst.Call | None:
    """The ``range(N)`` a ``for`` loop counts through (also behind a progress bar or a
    name bound to one); None for a ``while`` loop or any other iterable."""
    node = loop.node
    return _range_call(_named_iterable(node.iter, loop)) if isinstance(node, cst.For) else None


def _named_iterable(node: cst.BaseExpression, loop: Loop) -> cst.BaseExpression:
    """``for epoch in bar:`` after ``with tqdm(range(5000)) as bar:`` (or ``bar =
    tqdm(...)``, bound once): what the name stands for."""
    if type(node) is not cst.Name:
        return node
    bindings = loop.scope.bindings.get(node.value, ())
    if len(bindings) != 1:
        return node
    binding = bindings[0]
    if type(binding.node) is cst.WithItem:
        return binding.node.item
    if binding.value is not None and not binding.augmented and binding.element is None:
        return binding.value
    return node


def _range_call(node: cst.BaseExpression) -> cst.Call | None:
    """``range(N)``, also wrapped for a progress bar or a counter (``tqdm(range(N))``,
    ``enumerate(range(N))``) or spelled ``trange(N)``."""
    if type(node) is not cst.Call:
        return None
    callee = last_part(dotted_name(node.func))
    if callee in ("range", "trange"):
        return node
    if callee in ("tqdm", "enumerate") and node.args and node.args[0].keyword is None:
        return _range_call(node.args[0].value)
    return None


def _range_length(call: cst.Call, loop: Loop, effects: Effects) -> Known | None:
    """How many times ``range(...)`` iterates, on the default path."""
    # ``trange(N, desc="train")``: its keywords are the progress bar's, not the range's.
    keywords_allowed = last_part(dotted_name(call.func)) == "trange"
    args = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
    given = [arg for arg in call.args if arg.keyword is None or not keywords_allowed]
    if not args or len(args) != len(given) or len(args) > 3:
        return None
    values = [effects.defaults.value(arg, loop.scope) for arg in args]
    if any(value is None or type(value.value) is not int for value in values):
        return None
    known = [value for value in values if value is not None]
    numbers = [value.value for value in known]
    start, stop, step = (0, numbers[0], 1) if len(numbers) == 1 else (*numbers[:2], 1)
    if len(numbers) == 3:
        step = numbers[2]
    if step <= 0:
        return None
    return Known(max(0, (stop - start + step - 1) // step)).with_origins(
        *(v.origins for v in known)
    )
