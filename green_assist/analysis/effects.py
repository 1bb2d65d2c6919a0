"""What functions and loops do, across calls: the questions rules ask the program model.

All answers are computed on demand and memoised in the :class:`~.program.Program`, so a
rule that asks nothing costs nothing. Across calls means: inside the module or
notebook, through calls that :meth:`Program.callee` resolves (plain names and
``self.method``), never through imports.

* **trains** - a loop *steps* when a ``.backward()`` runs at its own level, directly or
  in a function it calls that runs one backward per call (``loss = train(x, y)``);
  a loop *contains* a step loop when one is nested in it, directly or through calls
  (``for epoch ...: train_one_epoch(...)``).
* **syncs** - the host syncs (``.item()``, ``.cpu()``, ``.numpy()``, ``.tolist()``) a
  function performs every time it is called, with the chain of calls that reaches them.
* **saves** - whether a loop writes a checkpoint while it runs (itself or via calls),
  on the default path.
* **models** - whether a callee is a model (``nn.Module`` subclass, ``nn.Sequential``,
  torchvision/timm/Hugging Face builders, whatever is handed to an optimizer or put in
  eval mode), through bindings, parameters and call sites.
* **grad** - whether autograd is off where a function runs (every caller is inside
  ``torch.no_grad()``/``inference_mode()``), and which names feed a backward pass.
"""

from __future__ import annotations

import bisect
import builtins
import re
from collections.abc import Callable, Iterable, Iterator, Sequence

import libcst as cst

from .defaults import Defaults, Origin, defaults_of
from .helpers import is_backward_call, iter_nodes
from .names import EMPTY_MODULE, dotted_name, last_part
from .program import Binding, Branch, Loop, Program, Scope, Site
from .tables import (
    CHECKPOINT_CALLS,
    CHECKPOINT_DUMP_MODULES,
    CONVOLUTION_CLASSES,
    HOST_SYNC_METHODS,
)

Chain = tuple[Site, ...]
_MAX_CALL_DEPTH = 6
_MAX_SYNCS_SHOWN = 8  # per called function: evidence enough to fix them all at once

_BACKWARD_FUNCTIONS = frozenset(
    {"torch.autograd.backward", "autograd.backward", "torch.autograd.grad", "autograd.grad"}
)
# torch.nn classes with weights whose instances are called as models.
_NN_LAYERS = frozenset(
    {
        "Sequential",
        "Linear",
        "Bilinear",
        *CONVOLUTION_CLASSES,
        "LSTM",
        "GRU",
        "RNN",
        "LSTMCell",
        "GRUCell",
        "RNNCell",
        "Transformer",
        "TransformerEncoder",
        "TransformerDecoder",
        "Embedding",
        "MultiheadAttention",
    }
)
# Checkpoint helpers imported from a project's own modules (their bodies are not read).
_SAVE_HELPER = re.compile(r"(?i)^save_?(?:\w*_)?(?:checkpoint|ckpt|model|state|weights|param)")
# A checkpoint file or a name for one handed to an imported helper (it may write there),
# unless the helper reads one (``load_weights``, ``from_pretrained``, ``torch.load``).
_CHECKPOINT_FILE = re.compile(r"\.(?:pth|pt|ckpt|safetensors)\b")
# What keeps an optimizer's, a scheduler's or a grad scaler's state, not a model's.
_TRAINING_STATE = re.compile(r"(?i)optim|sched|scaler|^opt(?:_|$)")
# A folder for a run's outputs (not ``data_dir``): ``experiment_dir``, ``log_dir``, ``out_path``
# (``save_dir`` is a checkpoint name by itself: ``_CHECKPOINT_NAME``).
_FOLDER_NAME = re.compile(
    r"(?i)(?:^|[._])(?:out|output|exp|experiment|run|log|result|model)s?_?(?:dir|folder|path)$"
)
# Helpers that write evaluations, plots or samples, not the model's weights.
_WRITES_RESULTS = re.compile(r"(?i)eval|test|valid|plot|predict|infer|visuali|sample|draw")
_CHECKPOINT_NAME = re.compile(r"(?i)(?:ckpt|checkpoint|_pth$|^pth$|save_?path|save_?dir|sv_?pth)")
_READS_CHECKPOINT = re.compile(r"load|from_pretrained|restore|resume|exists|open|read")
# Graph-network layers (PyTorch Geometric, DGL) are named ``<Kind>Conv`` and hold weights.
_GRAPH_LAYER = re.compile(r"^[A-Z][A-Za-z0-9]*Conv$")
# Methods that run a model whatever its class (a flow's ``model.log_prob(zz)``, a
# generator's ``model.sample(16)``): its forward pass runs. Not Hugging Face's
# ``generate``, which turns autograd off itself.
INFERENCE_METHODS = frozenset(
    {"log_prob", "sample", "predict", "predict_proba", "infer", "inference"}
)
# Receivers whose ``.save(...)`` writes a picture, an animation or a sound, not a model.
_MEDIA_OWNER = re.compile(
    r"^(ani|anim|animation|img|image|im|pic|fig|figure|plt|gif|video|audio|wav|grid|canvas)\d*$|_(img|image|fig|gif|anim)$"
)
# ``CriticNet``, ``QNetwork``, ``UNet``, ``TransformerModel`` imported from the project's own
# modules (``from network import *``): a model class the file does not define (not a
# library's ``ElasticNet`` or ``LdaModel``).
_IMPORTED_MODEL_CLASS = re.compile(r"^[A-Z][A-Za-z0-9_]*(Net|Network|Model)[0-9]*$")
_MODEL_BASES = frozenset({"Module", "LightningModule", "PreTrainedModel"})
_MODEL_WRAPPERS = frozenset(
    {
        "compile",
        "DataParallel",
        "DistributedDataParallel",
        "DDP",
        "FullyShardedDataParallel",
        "FSDP",
        "prepare",
    }
)
# Methods that return the model they are called on.
_MODEL_METHODS = frozenset(
    {"to", "cuda", "cpu", "float", "half", "bfloat16", "double", "train", "eval", "to_empty"}
)
_CONTAINER_METHODS = frozenset({"append", "extend", "add", "insert", "update"})
# Parameter names that hold a model in helpers nobody in the module calls.
_MODEL_PARAMS = frozenset(
    {
        "model",
        "net",
        "network",
        "netG",
        "netD",
        "generator",
        "discriminator",
        "encoder",
        "decoder",
        "classifier",
        "G",
        "D",
    }
)


class Effects:
    """Queries over one program (one instance per program: see :func:`effects_of`)."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.defaults: Defaults = defaults_of(program)
        self._memo: dict[tuple[str, int], object] = {}
        self._own_sites: dict[int, list[Site]] | None = None
        self._children: dict[int, list[Loop]] | None = None

    # -- structure -------------------------------------------------------------------

    def _index(self) -> None:
        own: dict[int, list[Site]] = {}
        children: dict[int, list[Loop]] = {}
        for scope in self.program.scopes:
            for site in scope.sites:
                if site.loop is not None:
                    own.setdefault(id(site.loop), []).append(site)
            for loop in scope.loops:
                if loop.parent is not None:
                    children.setdefault(id(loop.parent), []).append(loop)
        self._own_sites, self._children = own, children

    def own_sites(self, loop: Loop) -> list[Site]:
        """Calls whose innermost loop is ``loop``."""
        if self._own_sites is None:
            self._index()
        return self._own_sites.get(id(loop), [])  # type: ignore[union-attr]

    def child_loops(self, loop: Loop) -> list[Loop]:
        if self._children is None:
            self._index()
        return self._children.get(id(loop), [])  # type: ignore[union-attr]

    def sites_within(self, loop: Loop) -> Iterator[Site]:
        """Calls anywhere inside ``loop`` (nested loops included, nested functions not)."""
        yield from self.own_sites(loop)
        for child in self.child_loops(loop):
            yield from self.sites_within(child)

    def all_loops(self) -> Iterator[Loop]:
        for scope in self.program.scopes:
            yield from scope.loops

    def _cached(self, kind: str, key: object, compute: object, default: object) -> object:
        """Memoise ``compute()`` under (kind, id(key)); ``default`` while it is running
        (a recursive call through a cycle of calls)."""
        memo_key = (kind, id(key))
        if memo_key in self._memo:
            return self._memo[memo_key]
        self._memo[memo_key] = default
        found = compute()  # type: ignore[operator]
        self._memo[memo_key] = found
        return found

    def branch_tests(self, region: cst.CSTNode) -> list[cst.BaseExpression]:
        """The tests of every ``if`` and ``while`` inside ``region`` (a loop or a function),
        once per region: GA108 asks for each sync in it."""

        def compute() -> list[cst.BaseExpression]:
            body = getattr(region, "body", region)
            return [node.test for node in iter_nodes(body) if isinstance(node, (cst.If, cst.While))]

        return self._cached("branch_tests", region, compute, [])  # type: ignore[return-value]

    def value_bindings(self, scope: Scope) -> list[Binding]:
        """The bindings of ``scope`` that bind a value the model evaluates, in text order."""

        def compute() -> list[Binding]:
            found = [
                binding
                for bindings in scope.bindings.values()
                for binding in bindings
                if binding.value is not None
            ]
            return sorted(found, key=lambda binding: binding.order)

        return self._cached("value_bindings", scope, compute, [])  # type: ignore[return-value]

    def callee(self, site: Site) -> Scope | None:
        """:meth:`Program.callee`, and ``obj.name(...)`` where ``obj`` is bound to an
        instance of a local class that defines ``name`` (``model = PPO()`` then
        ``model.train()`` runs ``PPO.train``, which overrides ``nn.Module.train``)."""
        found = self.program.callee(site)
        if found is not None:
            return found
        func = site.node.func
        if type(func) is not cst.Attribute:
            return None
        if type(func.value) is cst.Attribute:
            return self._attribute_method(site, func.value, func.attr.value)
        if type(func.value) is not cst.Name:
            return None
        owner = func.value.value
        if owner in ("self", "cls") or func.attr.value not in self._method_names():
            return None
        class_name = self._instance_of(owner, site.scope)
        return self.program.method(class_name, func.attr.value) if class_name else None

    def _attribute_method(self, site: Site, owner: cst.Attribute, method: str) -> Scope | None:
        """``self.rec.initHidden()`` where every value the class gives ``self.rec`` is an
        instance of one local class that defines ``initHidden``."""
        if (
            type(owner.value) is not cst.Name
            or owner.value.value != "self"
            or not site.scope.class_name
            or method not in self._method_names()
        ):
            return None
        infos = self.program.classes.get(site.scope.class_name)
        values = infos[-1].attributes.get(owner.attr.value, []) if infos else []
        classes = {_constructed_class_of(value) for value in values}
        if len(classes) != 1:
            return None
        (class_name,) = classes
        if class_name is None or class_name not in self.program.classes:
            return None
        return self.program.method(class_name, method)

    def _instance_receiver(self, site: Site) -> str | None:
        """The local class of ``obj`` in ``obj.method(...)`` (``agent = Agent(...)``)."""
        owner = site.node.func.value  # type: ignore[attr-defined]
        return self._instance_of(owner.value, site.scope) if type(owner) is cst.Name else None

    def _method_names(self) -> frozenset[str]:
        def compute() -> frozenset[str]:
            return frozenset(
                name for infos in self.program.classes.values() for name in infos[-1].methods
            )

        return self._cached("method_names", self.program, compute, frozenset())  # type: ignore[return-value]

    def _instance_of(self, name: str, scope: Scope, depth: int = 0) -> str | None:
        """The local class ``name`` is an instance of: every binding of it (in the nearest
        scope that binds it) is a call of that class (also through methods that return
        the module itself, ``Net().to(device)``, and as one element of a tuple
        assignment, ``model, data = Net().to(device), data.to(device)``), or, for a
        parameter, what every caller passes is (``rollout(env, model)`` after ``model =
        DQN(env)``)."""
        current: Scope | None = scope
        while current is not None:
            bindings = current.bindings.get(name)
            if bindings:
                # (``agent.update(batch)`` is recorded as filling a container: it rebinds
                # nothing, so it says nothing about the class)
                classes = {_constructed_class(b) for b in bindings if not b.augmented}
                if len(classes) != 1:
                    return None
                (found,) = classes
                return found if found in self.program.classes else None
            if current.param(name) is not None:
                return self._passed_instance(current, name, depth)
            current = current.parent
        return None

    def _passed_instance(self, scope: Scope, name: str, depth: int) -> str | None:
        callers = self.program.callers(scope)
        if not callers or depth >= 3 or scope.class_name is not None:
            return None
        agreed: str | None = None
        for site in callers:
            passed = self.program.argument_for(site, scope, name)
            if type(passed) is not cst.Name:
                return None
            found = self._instance_of(passed.value, site.scope, depth + 1)
            if found is None or agreed not in (None, found):
                return None
            agreed = found
        return agreed

    def _first_chain(
        self,
        sites: Iterable[Site],
        per_call: Callable[[Scope], Chain | None],
        direct: Callable[[Site], bool] | None = None,
    ) -> Chain | None:
        """The first of ``sites`` that is ``direct`` (``(site,)``) or calls a local
        function for which ``per_call`` finds a chain (``(site, *chain)``)."""
        for site in sites:
            if direct is not None and direct(site):
                return (site,)
            callee = self.callee(site)
            if callee is not None:
                inner = per_call(callee)
                if inner is not None:
                    return (site, *inner)
        return None

    # -- training --------------------------------------------------------------------

    @staticmethod
    def is_backward(site: Site) -> bool:
        """``loss.backward()``, ``accelerator.backward(loss)``, ``torch.autograd.grad(...)``."""
        if site.method == "backward":
            return is_backward_call(site.node)
        return site.callee in _BACKWARD_FUNCTIONS

    def per_call_backward(self, scope: Scope) -> Chain | None:
        """The backward a call of ``scope`` runs once per call (not in a loop of its own)."""

        def compute() -> Chain | None:
            once = (site for site in scope.sites if site.loop is None)
            return self._first_chain(once, self.per_call_backward, self.is_backward)

        return self._cached("per_call_backward", scope, compute, None)  # type: ignore[return-value]

    def step_backward(self, loop: Loop) -> Chain | None:
        """Why ``loop`` is a training step loop: the backward at its own level (or the call
        that runs one), or None when it is not one."""

        def compute() -> Chain | None:
            for site in self.own_sites(loop):
                if self.is_backward(site):
                    return (site,)
            for site in self.own_sites(loop):
                callee = self.callee(site)
                inner = self.per_call_backward(callee) if callee is not None else None
                if inner is not None and self._chain_runs((site, *inner)):
                    return (site, *inner)
            return None

        return self._cached("step_backward", loop, compute, None)  # type: ignore[return-value]

    def _chain_runs(self, chain: Chain) -> bool:
        """The calls of ``chain`` reach its last site with the arguments they pass: not
        ``forward_pass(..., train=False)`` whose ``if train: loss.backward()`` is then
        skipped (a validation loop that shares the training step's helper)."""
        known: dict[str, object] = {}
        for link, following in zip(chain, chain[1:], strict=False):
            callee = following.scope
            passed: dict[str, object] = {}
            for param in callee.params:
                argument = self.program.argument_for(link, callee, param.name)
                value = argument if argument is not None else param.default
                found = (
                    _switch_value(value, known) if isinstance(value, cst.BaseExpression) else None
                )
                if found is not None:
                    passed[param.name] = found
            known = passed
            branch = following.branch
            while branch is not None:
                if branch.test is not None:
                    test = _switch_value(branch.test, known)
                    if test is not None and bool(test) != branch.taken:
                        return False
                branch = branch.parent
        return True

    def is_step_loop(self, loop: Loop) -> bool:
        return self.step_backward(loop) is not None

    def one_step_per_iteration(self, loop: Loop) -> bool:
        """Each iteration of ``loop`` is one training step: a backward at its own level, or
        an optimizer step after an inner loop that accumulates gradients."""
        if self.is_step_loop(loop):
            return True
        return self.steps_optimizer(loop) and any(
            self.is_step_loop(child) for child in self.child_loops(loop)
        )

    def steps_optimizer(self, loop: Loop) -> bool:
        """``optimizer.step()`` (or ``scaler.step(optimizer)``) at the loop's own level."""
        for site in self.own_sites(loop):
            if site.method != "step":
                continue
            func = site.node.func
            owners = [func.value] if type(func) is cst.Attribute else []
            owners += [arg.value for arg in site.node.args[:1]]
            if any("opt" in last_part(dotted_name(owner)).lower() for owner in owners):
                return True
        return False

    def inner_step_loop(self, loop: Loop) -> Chain | None:
        """A step loop nested in ``loop``, directly or in a function called from it: the
        calls that lead there (empty when the nested loop is in the same function)."""

        def compute() -> Chain | None:
            if self.steps_optimizer(loop):
                return None  # backward in an inner loop is gradient accumulation
            for child in self.child_loops(loop):
                if self.is_step_loop(child) or self.inner_step_loop(child) is not None:
                    return ()
            return self._first_chain(self.sites_within(loop), self.step_loop_in)

        return self._cached("inner_step_loop", loop, compute, None)  # type: ignore[return-value]

    def step_loop_in(self, scope: Scope) -> Chain | None:
        """``scope`` runs a step loop (its own, or through calls): the calls that lead there."""

        def compute() -> Chain | None:
            for loop in scope.loops:
                if self.is_step_loop(loop):
                    return ()
            return self._first_chain(scope.sites, self.step_loop_in)

        return self._cached("step_loop_in", scope, compute, None)  # type: ignore[return-value]

    def trains_anywhere(self) -> bool:
        """Some code in the module trains (a backward pass anywhere)."""
        return any(self.is_backward(site) for scope in self.program.scopes for site in scope.sites)

    def trains_when_run(self) -> bool:
        """Running the file trains something: the module level trains, or a function that
        trains is a method or has a caller (an uncalled function in a script does not)."""

        def compute() -> bool:
            if self.first_training(self.program.module) is not None:
                return True
            return any(
                scope.class_name is not None or self.program.callers(scope)
                for scope in self.program.scopes
                if not scope.is_module and self.trains(scope)
            )

        return self._cached("trains_when_run", self.program, compute, True)  # type: ignore[return-value]

    def first_save(self) -> Site | None:
        """The first checkpoint write anywhere in the module (for evidence)."""

        def compute() -> Site | None:
            return next(
                (
                    site
                    for scope in self.program.scopes
                    for site in scope.sites
                    if self.is_save(site)
                ),
                None,
            )

        return self._cached("first_save", self.program, compute, None)  # type: ignore[return-value]

    def left_out_by_default(self, site: Site) -> bool:
        """``site`` sits in a branch that a setting's default skips (``if opt.vgg_loss:``
        with ``--vgg_loss`` off): it does not run, so it wastes nothing. Not a device
        option (``if args.cuda:``): that code is meant to run on the accelerator."""
        skipped = self.defaults.skipped_because(site.branch, site.scope)
        return skipped is not None and not self.defaults.chosen_by_device_option(skipped)

    def cpu_code(self, code: str) -> bool:
        """CPU code as written, whatever else names CUDA (GA101, GA107): nothing calls
        ``.cuda()`` (``code``: the text without comments) and the module's device name is
        the CPU on the default path (``device = torch.device("cpu")``, the CUDA line
        commented out; ``DEVICE = 'cpu'``; ``cuda_available = False`` choosing the CPU
        branch), not through a command-line option."""
        return ".cuda(" not in code and self._module_device_is_cpu()

    def _module_device_is_cpu(self) -> bool:
        """Every ``device`` the code binds or takes, in the module or a function (``device
        = cfg.device`` with ``device: str = "cpu"`` in the config class; ``def learn(...,
        device="cpu")`` called with ``device="cpu"``), is the CPU."""
        named = [
            (name, scope)
            for scope in self.program.scopes
            for name in [*scope.bindings, *(param.name for param in scope.params)]
            if name.lower() == "device"
        ]
        return bool(named) and all(
            self.defaults.cpu_as_written(cst.Name(name), scope) for name, scope in named
        )

    def loads_weights(self, node: cst.BaseExpression) -> bool:
        """``net`` in ``net.load_state_dict(...)`` somewhere in the file: the model runs
        trained weights (inference), not a shape check on a fresh one."""

        def compute() -> frozenset[str]:
            return frozenset(
                dotted_name(site.node.func.value) or ""  # type: ignore[attr-defined]
                for scope in self.program.scopes
                for site in scope.sites
                if site.method == "load_state_dict"
            )

        loaded: frozenset[str] = self._cached("weights_loaded", self.program, compute, frozenset())  # type: ignore[assignment]
        name = dotted_name(node)
        return bool(name) and name in loaded

    def trains(self, scope: Scope) -> bool:
        return self.per_call_backward(scope) is not None or self.step_loop_in(scope) is not None

    def loop_trains(self, loop: Loop) -> bool:
        """The loop is a step loop or holds one (an epoch loop)."""
        return self.is_step_loop(loop) or self.inner_step_loop(loop) is not None

    def training_loop_around(self, site: Site) -> Loop | None:
        """The innermost loop around ``site`` (same function) that trains."""
        loop = site.loop
        while loop is not None:
            if self.loop_trains(loop):
                return loop
            loop = loop.parent
        return None

    def first_training(self, scope: Scope) -> int | None:
        """Text order of the first statement of ``scope`` that trains (a training loop, a
        call of a function that trains, a backward)."""

        def compute() -> int | None:
            orders: list[int] = [
                loop.order for loop in scope.loops if loop.parent is None and self.loop_trains(loop)
            ]
            for site in scope.sites:
                if site.loop is not None:
                    continue
                if self.is_backward(site):
                    orders.append(site.order)
                else:
                    callee = self.callee(site)
                    if callee is not None and self.trains(callee):
                        orders.append(site.order)
            return min(orders) if orders else None

        return self._cached("first_training", scope, compute, None)  # type: ignore[return-value]

    # -- host syncs ------------------------------------------------------------------

    @staticmethod
    def is_sync(site: Site) -> bool:
        return site.method in HOST_SYNC_METHODS and not site.node.args

    def syncs_per_call(self, scope: Scope, depth: int = 0) -> list[Chain]:
        """Host syncs that run every time ``scope`` is called, each with the calls leading
        to it (the last element is the sync itself)."""

        def compute() -> list[Chain]:
            found: list[Chain] = []
            covered: set[int] = set()
            for site in scope.sites:
                if id(site) in covered:
                    continue
                if not self.defaults.always(site.branch, None, scope)[0]:
                    continue
                if self.is_sync(site):
                    found.append((site,))
                    inner = site.node.func
                    while type(inner) is cst.Attribute and type(inner.value) is cst.Call:
                        nested = self.program.site_of.get(id(inner.value))
                        if nested is not None:
                            covered.add(id(nested))  # x.cpu().numpy(): one sync
                        inner = inner.value.func
                    continue
                callee = self.program.callee(site)
                if callee is not None and depth < _MAX_CALL_DEPTH:
                    for chain in self.syncs_per_call(callee, depth + 1)[:_MAX_SYNCS_SHOWN]:
                        found.append((site, *chain))
            return found

        return self._cached("syncs_per_call", scope, compute, [])  # type: ignore[return-value]

    # -- checkpoints -----------------------------------------------------------------

    def is_save(self, site: Site) -> bool:
        """A checkpoint write, or a call of callbacks other code registers (where trainers
        such as minGPT's leave checkpointing to the caller: it may save there), or an
        imported helper handed a checkpoint path (``validate(model, ..., model_sv_pth)``:
        it may save the best weights there; the file cannot show it), or the model and a
        folder (``log_epoch(..., self.experiment_dir, self.model)``)."""
        name = site.callee or ""
        last = last_part(name)
        if last == "save" and _MEDIA_OWNER.search(last_part(name.rsplit(".", 1)[0]).lower()):
            return False  # ``ani.save("diffusion.gif")``, ``img.save(path)``: not a checkpoint
        if last in CHECKPOINT_CALLS or last == "ModelCheckpoint" or "callback" in last.lower():
            return True
        if _SAVE_HELPER.search(last):
            return True  # a project's own ``save_checkpoint_model(...)``, ``save_ckpt(...)``
        root = name.split(".", 1)[0]
        if last == "dump" and (
            root in CHECKPOINT_DUMP_MODULES
            or self.program.imports.get(root) in CHECKPOINT_DUMP_MODULES
        ):
            return True  # also ``import pickle as pk``, ``pk.dump(...)``
        return self._hands_over_checkpoint_path(site)

    def _hands_over_checkpoint_path(self, site: Site) -> bool:
        """Only a helper imported from the project's own modules, by name or through a
        star import (a name nothing binds): not ``print``, ``os``, ``logging`` or a
        library, which write no checkpoint of ours."""
        name = site.callee or ""
        root = name.partition(".")[0]
        imported = root in self.program.imports or (
            root not in self.program.module.bindings and not hasattr(builtins, root)
        )
        if (
            not name
            or not imported
            or _READS_CHECKPOINT.search(name.lower())
            or self.program.imported_from_library(name)
            or self.program.callee(site) is not None
        ):
            return False
        values = [arg.value for arg in site.node.args]
        for value in values:
            if type(value) in (cst.SimpleString, cst.FormattedString):
                text = EMPTY_MODULE.code_for_node(value)
                if _CHECKPOINT_FILE.search(text):
                    return True
            elif _CHECKPOINT_NAME.search(dotted_name(value) or ""):
                return True
        # ``log_epoch(..., self.experiment_dir, self.model)``: the model and a folder (not an
        # evaluation or a plot that writes its results there: ``evaluate(model, output_dir)``)
        if _WRITES_RESULTS.search(last_part(name)):
            return False
        return any(_FOLDER_NAME.search(dotted_name(value) or "") for value in values) and any(
            self.is_model_expression(value, site.scope) for value in values
        )

    def saves_per_call(self, scope: Scope) -> Chain | None:
        """A checkpoint write that a call of ``scope`` may perform on the default path."""

        def compute() -> Chain | None:
            reached = (site for site in scope.sites if self.defaults.reachable(site.branch, scope))
            return self._first_chain(reached, self.saves_per_call, self.is_save)

        return self._cached("saves_per_call", scope, compute, None)  # type: ignore[return-value]

    def saves_within(self, loop: Loop) -> Chain | None:
        """A checkpoint written while ``loop`` runs (in it, or in a function it calls)."""
        reached = (
            site
            for site in self.sites_within(loop)
            if self.defaults.reachable(site.branch, site.scope)
        )
        return self._first_chain(reached, self.saves_per_call, self.is_save)

    # -- models ----------------------------------------------------------------------

    def model_class(self, name: str | None, depth: int = 0) -> bool:
        """A local class that is a ``torch.nn.Module`` (or Lightning/Hugging Face model)."""
        infos = self.program.classes.get(last_part(name)) if name else None
        if not infos or depth > 8:
            return False
        for base in infos[-1].bases:
            if last_part(base) in _MODEL_BASES or self.model_class(base, depth + 1):
                return True
        return False

    def is_model_expression(
        self, node: cst.BaseExpression | None, scope: Scope, depth: int = 0
    ) -> bool:
        if node is None or depth > 6:
            return False
        kind = type(node)
        if kind is cst.Name:
            return self.is_model_name(node.value, scope, depth + 1)  # type: ignore[attr-defined]
        if kind is cst.Attribute:
            if type(node.value) is cst.Call:  # type: ignore[attr-defined]
                # ``models.vgg19(weights=...).features`` as a value: a part of a model
                # built right there (a call ``X().to(device)`` is no forward pass: see
                # ``calls_model``, which does not come here for the called attribute)
                return self.is_model_expression(node.value, scope, depth + 1)  # type: ignore[attr-defined]
            return self._is_model_attribute(node, scope, depth + 1)  # type: ignore[arg-type]
        if kind is not cst.Call:
            return False
        func = node.func  # type: ignore[attr-defined]
        if type(func) is cst.Attribute and func.attr.value in _MODEL_METHODS:
            # ``Net().to(device)``, ``model.cuda()``: the module itself
            return self.is_model_expression(func.value, scope, depth + 1)
        callee = dotted_name(func)
        last = last_part(callee)
        args = node.args  # type: ignore[attr-defined]
        if callee is None:
            return False
        if self.model_class(callee):
            return True
        if (
            _IMPORTED_MODEL_CLASS.match(last)
            and last not in self.program.classes
            and not self.program.imported_from_library(callee)
        ):
            return True
        root = callee.split(".", 1)[0]
        if last in _NN_LAYERS and (root in ("nn", "torch") or callee == last):
            return True
        if _GRAPH_LAYER.match(last):
            return True  # torch_geometric.nn.GCNConv, dgl.nn.GraphConv, SAGEConv...
        if ".models." in f".{callee}" and last[:1].islower() and last != "load_state_dict":
            return True  # torchvision.models.resnet18(), models.vgg16()
        if callee in ("timm.create_model", "create_model"):
            return True
        if last == "from_pretrained" or last == "from_config":
            owner = last_part(callee.rsplit(".", 1)[0]) if "." in callee else ""
            return "Model" in owner or "For" in owner or self.model_class(owner)
        if last in _MODEL_WRAPPERS and args:
            return self.is_model_expression(args[0].value, scope, depth + 1)
        return False

    def _is_model_attribute(self, node: cst.Attribute, scope: Scope, depth: int) -> bool:
        if type(node.value) is cst.Name and node.value.value == "self" and scope.class_name:
            attr = node.attr.value
            infos = self.program.classes.get(scope.class_name)
            if attr in self._optimized():
                return True  # ``self.model = SimCLR(cfg)``, then ``AdamW(self.model.parameters())``
            if infos and attr in infos[-1].attributes:
                return any(
                    self.is_model_expression(value, scope, depth + 1)
                    for value in infos[-1].attributes[attr]
                )
            return attr in _MODEL_PARAMS
        return False

    def _optimized(self) -> frozenset[str]:
        """Names (and ``self.`` attributes) whose ``.parameters()`` go to an optimizer, that
        are put in eval/train mode, or that load weights (``tgt_net.load_state_dict(...)``;
        not an optimizer's, a scheduler's or a grad scaler's own state)."""

        def compute() -> frozenset[str]:
            found: set[str] = set()
            for scope in self.program.scopes:
                for site in scope.sites:
                    method = site.method
                    if method in ("parameters", "named_parameters") and site.enclosing:
                        outer = site.enclosing.callee or ""
                        if "optim" in outer or last_part(outer)[:1].isupper():
                            found.add(last_part(dotted_name(site.node.func.value)))  # type: ignore[attr-defined]
                    elif method in ("eval", "train", "load_state_dict") and not (
                        site.node.args and method == "eval"
                    ):
                        owner = last_part(dotted_name(site.node.func.value))  # type: ignore[attr-defined]
                        if not _TRAINING_STATE.search(owner):
                            found.add(owner)
            found.discard("")
            return frozenset(found)

        return self._cached("optimized", self.program, compute, frozenset())  # type: ignore[return-value]

    def is_model_name(self, name: str, scope: Scope, depth: int = 0) -> bool:
        if depth > 6:
            return False
        if name == "self" and scope.class_name and self.model_class(scope.class_name):
            # ``self(x)`` in a model's own method (``generate``), not its forward pass
            return not scope.name.endswith(".forward")
        if name in self._optimized():
            return True
        current: Scope | None = scope
        while current is not None:
            bindings = current.bindings.get(name)
            if bindings:
                return any(
                    not b.augmented
                    and (
                        self.is_model_expression(b.element_value(), current, depth + 1)
                        or self._holds_models(b.iterates, current, depth + 1)
                    )
                    for b in bindings
                )
            if current.param(name) is not None:
                return self._is_model_param(current, name, depth + 1)
            current = current.parent
        return False

    def _holds_models(
        self, collection: cst.BaseExpression | None, scope: Scope, depth: int
    ) -> bool:
        """``[Net(), Net()]``, ``nn.ModuleList(...)`` or a name bound to one: what
        ``for m in collection`` iterates over are models."""
        if collection is None or depth > 6:
            return False
        kind = type(collection)
        if kind is cst.List or kind is cst.Tuple:
            return any(
                type(e) is cst.Element and self.is_model_expression(e.value, scope, depth + 1)
                for e in collection.elements  # type: ignore[attr-defined]
            )
        if kind is cst.Call and last_part(dotted_name(collection)) == "ModuleList":
            return True
        if kind is cst.Name:
            current: Scope | None = scope
            while current is not None:
                bindings = current.bindings.get(collection.value)  # type: ignore[attr-defined]
                if bindings:
                    return any(
                        not b.augmented and self._holds_models(b.value, current, depth + 1)
                        for b in bindings
                    )
                current = current.parent
        return False

    def _is_model_param(self, scope: Scope, name: str, depth: int) -> bool:
        callers = self.program.callers(scope)
        if not callers:
            return name in _MODEL_PARAMS or "model" in name.lower()
        for site in callers:
            argument = self.program.argument_for(site, scope, name)
            if isinstance(argument, cst.BaseExpression) and self.is_model_expression(
                argument, site.scope, depth + 1
            ):
                return True
        return False

    def calls_model(self, site: Site) -> bool:
        """``site`` runs a model's forward pass (``model(x)``, ``model.forward(x)``)."""
        func = site.node.func
        if site.method == "forward":
            return self.is_model_expression(func.value, site.scope)  # type: ignore[attr-defined]
        if type(func) is cst.Name:
            return self.is_model_name(func.value, site.scope)
        if type(func) is cst.Attribute:
            return (
                self._is_model_attribute(func, site.scope, 0)
                or self._runs_model_method(site)
                or self._is_submodule_call(func, site.scope)
                or (
                    func.attr.value in INFERENCE_METHODS
                    and self.callee(site) is None  # a local method: its body decides
                    and self.is_model_expression(func.value, site.scope)
                )
            )
        return False

    def _is_submodule_call(self, func: cst.Attribute, scope: Scope) -> bool:
        """``model.encoder(x)``: ``model`` is a model and some local model class stores a
        model as ``self.encoder``."""
        owner = func.value
        return (
            type(owner) is cst.Name
            and owner.value not in ("self", "cls")
            and func.attr.value in self._submodules()
            and self.is_model_expression(owner, scope)
        )

    def _submodules(self) -> frozenset[str]:
        """Attributes that local model classes set to a model (``self.encoder = Encoder()``)."""

        def compute() -> frozenset[str]:
            found: set[str] = set()
            for name, infos in self.program.classes.items():
                info = infos[-1]
                if not info.attributes or not self.model_class(name):
                    continue
                scope = info.methods.get("__init__") or self.program.module
                for attribute, values in info.attributes.items():
                    if attribute not in info.methods and any(
                        self.is_model_expression(value, scope) for value in values
                    ):
                        found.add(attribute)
            return frozenset(found)

        return self._cached("submodules", self.program, compute, frozenset())  # type: ignore[return-value]

    def _runs_model_method(self, site: Site) -> bool:
        """``model.pi(x)``: a method of the model's local class that runs the model and
        that training also uses (so the method's body is not reported: this call is).
        Calls through ``self`` inside the class are left alone: they are the model's own
        computation, mostly part of training."""
        owner = site.node.func.value  # type: ignore[attr-defined]
        if type(owner) is not cst.Name or owner.value in ("self", "cls"):
            return False
        method = self.callee(site)
        if method is None or method.class_name is None or not self.model_class(method.class_name):
            return False

        def compute() -> bool:
            if self.trains(method):
                return False
            if not any(self.calls_model(inner) for inner in method.sites):
                return False
            return self.result_may_train(method)

        return self._cached("runs_model_method", site, compute, False)  # type: ignore[return-value]

    # -- autograd --------------------------------------------------------------------

    def grad_off(self, site: Site) -> bool:
        """Autograd is off where ``site`` runs (lexically, or at every caller)."""
        if site.grad_off:
            return True
        scope = site.scope
        if scope.grad_off_from is not None and site.order > scope.grad_off_from:
            return True
        return self.scope_grad_off(scope)

    def scope_grad_off(self, scope: Scope) -> bool:
        """Every call of ``scope`` in the module runs with autograd off."""

        def compute() -> bool:
            if scope.grad_off:
                return True
            callers = self.program.callers(scope)
            return bool(callers) and all(self.grad_off(site) for site in callers)

        return self._cached("scope_grad_off", scope, compute, False)  # type: ignore[return-value]

    def grad_bindings(self, scope: Scope) -> frozenset[int]:
        """Ids of the bindings whose values reach a backward pass in ``scope`` (or leave it:
        returns, arguments of functions that train).

        Flow-sensitive enough for GAN loops: ``fake = netG(noise)`` feeds the losses, while
        ``fake = netG(fixed_noise)`` under ``if i % 100 == 0:`` after them does not, because
        the next step's ``fake = netG(noise)`` replaces it before any backward reads it.
        """

        def compute() -> frozenset[int]:
            work: list[tuple[str, int, Loop | None, Branch | None]] = []
            for site in scope.sites:
                trains = self.is_backward(site)
                if not trains:
                    callee = self.callee(site)
                    trains = callee is not None and self.trains(callee)
                if trains:
                    for name in _graph_names(site.node):
                        work.append((name, site.order, site.loop, site.branch))
            for value, order in scope.returns:
                for name in _graph_names(value):
                    work.append((name, order, None, None))
            found: set[int] = set()
            seen: set[tuple[str, int]] = set()
            while work:
                name, order, loop, branch = work.pop()
                if (name, order) in seen:
                    continue
                seen.add((name, order))
                for binding in _reaching(scope.bindings.get(name, ()), order, loop, branch):
                    if id(binding) in found:
                        continue
                    found.add(id(binding))
                    # ``for feature in zip(features, targets):``: the loop variable carries
                    # what it iterates over.
                    bound = binding.value if binding.value is not None else binding.iterates
                    uses = _graph_names(bound) if bound is not None else set()
                    if binding.augmented or binding.mutates:
                        # ``loss += l`` reads the old loss too; ``value[done] = 0.0`` keeps it
                        uses.add(binding.name)
                    for used in uses:
                        work.append((used, binding.order, binding.loop, binding.branch))
            return frozenset(found)

        return self._cached("grad_bindings", scope, compute, frozenset())  # type: ignore[return-value]

    def model_callers(self, scope: Scope) -> list[Site]:
        """Calls that run ``scope``: by name, through ``self``, or as a method of a model
        (``m.generate(...)`` runs ``generate`` of the model's local class)."""

        def compute() -> list[Site]:
            through = [
                site
                for site in self.program.instance_callers(scope)
                if self.is_model_expression(site.node.func.value, site.scope)  # type: ignore[attr-defined]
                or self._instance_receiver(site) == scope.class_name
            ]
            return [*self.program.callers(scope), *through]

        return self._cached("model_callers", scope, compute, [])  # type: ignore[return-value]

    def result_may_train(self, scope: Scope) -> bool:
        """What ``scope`` returns may reach a backward pass: it trains, a caller uses its
        result for training, or its callers are unknown (another module may)."""

        def compute() -> bool:
            if scope.is_module or self.trains(scope) or self._is_model_forward(scope):
                return True
            callers = self.model_callers(scope)
            return not callers or any(self.feeds_training(site) for site in callers)

        # True while being computed: a cycle of calls is assumed to train (conservative).
        return self._cached("result_may_train", scope, compute, True)  # type: ignore[return-value]

    def _is_model_forward(self, scope: Scope) -> bool:
        """``forward`` of a local model class: every ``model(x)`` runs it, and those calls
        are not in the callers table, so a helper that calls ``self.forward(x)`` is not
        its only caller (the helper's call is the one to report)."""
        return (
            scope.class_name is not None
            and scope.name.endswith(".forward")
            and self.model_class(scope.class_name)
        )

    def feeds_training(self, site: Site) -> bool:
        """The call's result reaches a backward pass (or leaves its function for a caller
        that may train with it)."""
        if not self.result_may_train(site.scope):
            return False
        if site.returned:
            return True
        needed = self.grad_bindings(site.scope)
        outer: Site | None = site
        while outer is not None:
            if outer is not site and _cuts_graph(outer.node):
                return False  # ``target_net(s2).max(1)[0].detach()``: the graph ends here
            if outer is not site and (self.is_backward(outer) or outer.returned):
                return True
            if any(
                id(binding) in needed and _graph_reaches(binding.value, outer.node)
                for binding in outer.bindings
            ):
                return True
            callee = self.callee(outer) if outer is not site else None
            if callee is not None and self.trains(callee):
                return True
            outer = outer.enclosing
        return False


def _switch_value(node: cst.BaseExpression, known: dict[str, object]) -> bool | None:
    """``True``/``False``, a parameter whose value the caller gave, or ``not`` of one."""
    kind = type(node)
    if kind is cst.Name:
        name: str = node.value  # type: ignore[attr-defined]
        if name in ("True", "False"):
            return name == "True"
        found = known.get(name)
        return found if isinstance(found, bool) else None
    if kind is cst.UnaryOperation and type(node.operator) is cst.Not:  # type: ignore[attr-defined]
        inner = _switch_value(node.expression, known)  # type: ignore[attr-defined]
        return None if inner is None else not inner
    return None


def _graph_nodes(value: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The nodes of ``value`` whose autograd graph it may carry on: not the receivers of
    calls that cut the graph (``x.item()``, ``x.detach()``... see ``_cuts_graph``; their
    arguments are still read), not what ``x.data`` reads (the tensor without its graph;
    but ``layer(packed.data)`` passes a PackedSequence's tensor on, graph and all),
    not attribute names, not a comprehension's loop variable where it is bound, not nested
    functions or lambdas."""
    from .walker import children

    stack: list[cst.CSTNode] = [value]
    while stack:
        current = stack.pop()
        yield current
        kind = type(current)
        if kind is cst.Call and _cuts_graph(current):  # type: ignore[arg-type]
            stack.extend(arg.value for arg in current.args)  # type: ignore[attr-defined]
        elif kind is cst.Attribute:
            if current.attr.value != "data":  # type: ignore[attr-defined]
                stack.append(current.value)  # type: ignore[attr-defined]
        elif kind is cst.Arg:
            passed = current.value  # type: ignore[attr-defined]
            if type(passed) is cst.Attribute and passed.attr.value == "data":
                # ``fc(out.data)`` with ``out`` a PackedSequence: its ``.data`` is the
                # packed tensor, graph and all; only a value read out of ``.data`` is cut.
                passed = passed.value
            stack.append(passed)
        elif kind is cst.CompFor:  # ``for each in h``: ``each`` is bound here, not read
            stack.append(current.iter)  # type: ignore[attr-defined]
            stack.extend(test.test for test in current.ifs)  # type: ignore[attr-defined]
            if current.inner_for_in is not None:  # type: ignore[attr-defined]
                stack.append(current.inner_for_in)  # type: ignore[attr-defined]
        elif current is value or kind not in (cst.FunctionDef, cst.ClassDef, cst.Lambda):
            stack.extend(children(current))


def _graph_names(value: cst.CSTNode) -> set[str]:
    """Names read in ``value`` whose graph it may carry on (see ``_graph_nodes``)."""
    return {node.value for node in _graph_nodes(value) if isinstance(node, cst.Name)}


def _graph_reaches(value: cst.BaseExpression | None, node: cst.CSTNode) -> bool:
    """``node`` sits in ``value`` outside any call that cuts the graph:
    ``target = r + target_net(s2).max(1)[0].detach()`` binds no graph of that call."""
    if value is None:
        return True  # bound by something the model does not evaluate: assume it may
    return any(found is node for found in _graph_nodes(value))


def _cuts_graph(call: cst.Call) -> bool:
    """``x.item()``, ``x.detach()``, ``Categorical(p).sample()``...: the receiver's graph
    stops here (the call's own arguments are still read)."""
    func = call.func
    if type(func) is not cst.Attribute:
        return False
    method = func.attr.value
    if method in _GRAPHLESS:
        return True
    if method == "sample" and not any(arg.keyword is None for arg in call.args):
        # ``dist.sample()`` (a name: what it is bound to is not checked; other objects'
        # argument-free ``sample()`` rarely feed a loss) or ``Categorical(p).sample()``.
        owner = func.value
        return type(owner) is cst.Name or (
            type(owner) is cst.Call and last_part(dotted_name(owner.func)) in _DISTRIBUTIONS
        )
    return False


_GRAPHLESS = frozenset({"item", "tolist", "numpy", "detach", "argmax", "argmin"})
_DISTRIBUTIONS = frozenset(
    {
        "Categorical",
        "Bernoulli",
        "Normal",
        "MultivariateNormal",
        "Beta",
        "Dirichlet",
        "OneHotCategorical",
    }
)


def _within(inner: Loop | None, outer: Loop | None) -> bool:
    """``inner`` is ``outer`` or nested in it (None: the function's top level)."""
    return _nested(inner, outer)


def _on_path(branch: Branch | None, use: Branch | None) -> bool:
    """Code in ``branch`` always runs before code in ``use`` runs (same or enclosing branch)."""
    return _nested(use, branch)


def _nested(inner: Loop | Branch | None, outer: Loop | Branch | None) -> bool:
    """``inner`` is ``outer`` or inside it, following ``parent``; anything is inside None."""
    if outer is None:
        return True
    node = inner
    while node is not None:
        if node is outer:
            return True
        node = node.parent
    return False


def _reaching(
    bindings: Sequence[Binding], order: int, loop: Loop | None, branch: Branch | None
) -> list[Binding]:
    """The bindings of one name that may hold its value at a use (reaching definitions,
    approximated: the last binding before the use that always runs replaces the others;
    with none, bindings later in an enclosing loop reach it from the previous iteration)."""
    reaching: list[Binding] = []
    kill: Binding | None = None
    # Bindings are listed in text order: start at the use (a name bound in each of
    # thousands of loops costs a search per use, not a walk over all of them).
    before = bisect.bisect_left(bindings, order, key=_order)
    for binding in reversed(bindings[:before]):
        reaching.append(binding)
        if (
            not binding.augmented
            and _on_path(binding.branch, branch)
            and _within(loop, binding.loop)
        ):
            kill = binding
            break
    if loop is None or (kill is not None and _within(kill.loop, loop)):
        return reaching  # replaced earlier in the same iteration: nothing carries over
    for binding in bindings[bisect.bisect_right(bindings, order, key=_order) :]:
        # A binding outside every loop is never in the next iteration of one.
        if binding.loop is not None and _shares_loop(binding.loop, loop):
            reaching.append(binding)
    return reaching


def _order(binding: Binding) -> int:
    return binding.order


def _shares_loop(first: Loop | None, second: Loop | None) -> bool:
    """Some loop holds both (a value set late in one iteration is read in the next)."""
    outer = second
    while outer is not None:
        if _within(first, outer):
            return True
        outer = outer.parent
    return False


def effects_of(program: Program) -> Effects:
    """The program's query object (one per program, so memoised answers are shared)."""
    found = program.memo.get(("effects", 0))
    if found is None:
        found = program.memo[("effects", 0)] = Effects(program)
    return found  # type: ignore[return-value]


__all__ = ["Chain", "Effects", "Origin", "effects_of"]


def _constructed_class(binding: Binding) -> str | None:
    """``Net`` for a binding to ``Net(...)``, ``Net(...).to(device)``, or that element of
    a tuple of values."""
    return _constructed_class_of(binding.element_value())


def _constructed_class_of(value: cst.BaseExpression | None) -> str | None:
    """``Net`` for ``Net(...)`` or ``Net(...).to(device)``."""
    while (
        type(value) is cst.Call
        and type(value.func) is cst.Attribute
        and value.func.attr.value in _MODEL_METHODS
        and type(value.func.value) is cst.Call
    ):
        value = value.func.value
    if type(value) is not cst.Call:
        return None
    return dotted_name(value.func)
