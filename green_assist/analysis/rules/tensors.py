"""How tensors are created: their dtype (float64) and device (created on CPU, then moved)."""

from __future__ import annotations

import libcst as cst

from ..effects import Effects, effects_of
from ..findings import Severity
from ..helpers import (
    append_keyword,
    describe,
    dotted_name,
    int_value,
    iter_nodes,
    keyword,
    method_name,
    names_in,
    receiver,
    string_value,
)
from ..program import Binding, Scope, Site
from ..rule import ProposedFix, Rule, RuleDoc
from ..tables import (
    CPU_TENSOR_TYPES,
    CUDA_TENSOR_TYPES,
    DTYPE_CONVERSIONS,
    DTYPE_QUERIES,
    FLOAT64,
    FLOAT64_TENSOR_TYPES,
    HOST_SIDE_METHODS,
    HOST_VIEW_METHODS,
    NUMPY_FLOAT64,
    NUMPY_FLOAT64_FACTORIES,
    RANDOM_FACTORIES,
    TENSOR_FACTORIES,
    TENSOR_FROM_ARRAY,
    TENSOR_WRAPPERS,
)


class Float64Compute(Rule):
    code = "GA109"
    name = "float64-compute"
    summary = "float64 compute: `torch.float64`, `.double()`, float64 NumPy arrays fed to torch"
    severity = Severity.WARNING
    needs_qualified_names = True
    needs_program = True
    triggers = ("float64", "double", "Double", "numpy")
    fixable = True
    doc = RuleDoc(
        what=(
            "Finds `torch.float64`/`torch.double` passed to a call (`dtype=torch.float64`, "
            "`.to(torch.double)`, `torch.set_default_dtype(torch.float64)`), `.double()` calls, "
            "and NumPy arrays that are float64 by default (`np.random.rand`, `np.zeros`, "
            "`np.linspace`, `.astype(np.float64)`, `np.float64(values)`...; also sliced or "
            "through a name (`y = np.zeros(n)`, then `y = torch.from_numpy(y)`), or joined with "
            "one (`np.c_[Y, np.zeros(n) - mu]`, `np.concatenate`, arithmetic), and `np` used "
            "without an import, as after `from helpers "
            "import *`) turned into tensors with "
            "`torch.from_numpy`/`torch.tensor`/`torch.as_tensor` without a dtype or a later "
            "`.float()`, and the legacy `torch.DoubleTensor(...)` constructors. Modules that "
            "mention `gradcheck` (which needs float64) are skipped."
        ),
        why=(
            "Deep learning does not need 53-bit mantissas. GPUs run float64 at a small fraction "
            "of their float32 speed (1/2 on data-centre parts, 1/32-1/64 on consumer GPUs) and "
            "float64 tensors double memory and bandwidth, and float64 never reaches tensor "
            "cores. NumPy's default float64 silently propagates into torch through "
            "`from_numpy`."
        ),
        example=("features = torch.from_numpy(np.random.rand(1000, 16))\nmodel = model.double()\n"),
        fix=(
            "Use float32 (or lower, see GA101): `torch.from_numpy(a).float()`, "
            "`a.astype(np.float32)`, `.float()` instead of `.double()`, `torch.float32`. The "
            "automatic fixes are unsafe: results change in the last digits."
        ),
        fixed_example=(
            "features = torch.from_numpy(np.random.rand(1000, 16)).float()\nmodel = model.float()\n"
        ),
        sources=(
            "NVIDIA A100 Tensor Core GPU datasheet (FP64 9.7 TFLOPS vs TF32 156 TFLOPS): "
            "https://www.nvidia.com/en-us/data-center/a100/",
            "PyTorch documentation, torch.from_numpy (the tensor keeps the array's dtype): "
            "https://pytorch.org/docs/stable/generated/torch.from_numpy.html",
            "NumPy documentation, numpy.zeros (default dtype float64): "
            "https://numpy.org/doc/stable/reference/generated/numpy.zeros.html",
        ),
    )

    def setup(self) -> None:
        self._converted: set[int] = set()
        self._array_inputs: list[cst.Call] = []

    def visit_Call(self, node: cst.Call) -> None:
        method = method_name(node)
        if method in DTYPE_CONVERSIONS and isinstance(receiver(node), cst.Call):
            self._converted.add(id(receiver(node)))
        if method == "double" and not node.args:
            fix: tuple[tuple[cst.CSTNode, cst.CSTNode | str], ...] = ()
            if isinstance(node.func, cst.Attribute):
                fix = ((node.func.attr, cst.Name("float")),)
            self.report(
                node,
                f"`{describe(self.context.module, node)}` converts to float64",
                ProposedFix("use .float() (float32)", fix, safe=False),
            )
            return
        if (
            keyword(node, "dtype") is None
            and node.args
            and self.match(node.func, TENSOR_FROM_ARRAY)
        ):
            self._array_inputs.append(node)
        if self.match(node.func, DTYPE_QUERIES):
            return
        if self.match(node.func, FLOAT64_TENSOR_TYPES):
            self.report(
                node,
                f"`{describe(self.context.module, node)}` creates a float64 tensor",
                ProposedFix("use torch.tensor(..., dtype=torch.float32) (or torch.FloatTensor)"),
            )
            return
        for arg in node.args:
            if isinstance(arg.value, (cst.Name, cst.Attribute)) and self.match(arg.value, FLOAT64):
                self._report_dtype(node, arg.value)

    def _report_dtype(self, call: cst.Call, dtype: cst.BaseExpression) -> None:
        spelled = dotted_name(dtype)
        fix: tuple[tuple[cst.CSTNode, cst.CSTNode | str], ...] = ()
        if spelled in FLOAT64:
            fix = ((dtype, cst.parse_expression("torch.float32")),)
        self.report(
            call,
            f"`{describe(self.context.module, call)}` computes in float64 (`{spelled}`)",
            ProposedFix("use torch.float32", fix, safe=False),
        )

    def _value_read(self, name: str, call: cst.Call) -> cst.BaseExpression | None:
        """What ``name`` holds where ``call`` reads it: the binding the program model says
        it reads (``y = np.zeros(n)``, then ``y = torch.from_numpy(y)``)."""
        program = self.context.program
        site = program.site_of.get(id(call)) if program is not None else None
        if site is None:
            return None
        binding = _binding_at(name, call, site)
        if binding is None or binding.augmented:
            return None
        return binding.element_value()

    def _is_float64_array(self, node: cst.BaseExpression, call: cst.Call, depth: int = 0) -> bool:
        """``depth``: names followed so far (at most three)."""
        if depth > 3:
            return False
        if isinstance(node, cst.Subscript) and self.match(node.value, _NUMPY_JOINS_BY_INDEX):
            # ``np.c_[Y, ratings - mu]``: float64 when any part is (NumPy promotes)
            return any(
                isinstance(element.slice, cst.Index)
                and any(
                    self._is_float64_array(part, call, depth)
                    for part in _parts(element.slice.value)
                )
                for element in node.slice
            )
        while isinstance(node, cst.Subscript):  # ``np.linspace(...)[1:n]`` keeps the dtype
            node = node.value
        if isinstance(node, cst.Name):
            bound = self._value_read(node.value, call)
            return bound is not None and self._is_float64_array(bound, call, depth + 1)
        if isinstance(node, cst.BinaryOperation):  # ``ratings - mu``: float64 stays float64
            return self._is_float64_array(node.left, call, depth) or self._is_float64_array(
                node.right, call, depth
            )
        if not isinstance(node, cst.Call):
            return False
        if self.match(node.func, _NUMPY_JOINS) and node.args:
            return any(
                self._is_float64_array(part, call, depth + 1) for part in _parts(node.args[0].value)
            )
        if self.match(node.func, NUMPY_FLOAT64):
            return True  # ``np.float64(values)``: a cast to float64
        dtype = keyword(node, "dtype")
        if method_name(node) == "astype" and node.args:
            dtype_value: cst.BaseExpression | None = node.args[0].value
        else:
            dtype_value = dtype.value if dtype is not None else None
        if dtype_value is not None:
            return self.match(dtype_value, NUMPY_FLOAT64) is not None or string_value(
                dtype_value
            ) in ("float64", "double")
        return self.match(node.func, NUMPY_FLOAT64_FACTORIES) is not None

    def leave_Module(self, original_node: cst.Module) -> None:
        for call in self._array_inputs:
            if id(call) in self._converted or not self._is_float64_array(call.args[0].value, call):
                continue
            self.report(
                call,
                f"`{describe(self.context.module, call)}` makes a float64 tensor"
                " (NumPy's default dtype)",
                ProposedFix(
                    "convert with .float() or build the array as float32",
                    ((call, cst.Call(func=cst.Attribute(value=call, attr=cst.Name("float")))),),
                    safe=False,
                ),
            )

    @classmethod
    def may_apply(cls, text: str) -> bool:
        return super().may_apply(text) and "gradcheck" not in text


def _device_argument(call: cst.Call) -> cst.BaseExpression | None:
    """The device a ``.to(...)``/``.cuda(...)`` call moves to, if it is clearly a device."""
    method = method_name(call)
    if method == "cuda":
        return cst.SimpleString('"cuda"') if not call.args else None
    device = keyword(call, "device")
    positional = [arg for arg in call.args if arg.keyword is None]
    value = device.value if device is not None else (positional[0].value if positional else None)
    if value is None:
        return None
    text = string_value(value)
    if text is not None:
        return value if not text.startswith("cpu") else None
    if isinstance(value, cst.Call) and (dotted_name(value.func) or "").endswith("device"):
        first = value.args[0].value if value.args else None
        return value if not (string_value(first) or "").startswith("cpu") else None
    name = dotted_name(value) if isinstance(value, (cst.Name, cst.Attribute)) else None
    last = (name or "").rsplit(".", 1)[-1].lower()
    if "device" in last or last in ("dev", "gpu"):
        return value
    return None


class CpuTensorThenMoved(Rule):
    code = "GA112"
    name = "cpu-tensor-then-moved"
    summary = "tensors created on the CPU and then moved: `torch.randn(...).to(device)`"
    severity = Severity.WARNING
    needs_qualified_names = True
    needs_program = True
    triggers = (".to", ".cuda")
    fixable = True
    # Without an accelerator the move is a no-op.
    accelerator_only = True
    hardware = "accelerators only (silent for `--target cpu`)"
    doc = RuleDoc(
        what=(
            "Finds tensor factories (`torch.randn`, `zeros`, `ones`, `full`, `arange`, `eye`, "
            "`tensor`...) whose result is moved with `.to(device)` or `.cuda()`, where the "
            'argument is clearly a device (a string such as "cuda", `torch.device(...)`, or a '
            "name like `device`/`self.device`), not a dtype or another tensor: right away "
            "(`torch.randn(n).to(device)`), through a name bound once (`z = torch.randn(n)` "
            "then `z.to(device)`, also inside a helper), or through a local function that "
            "returns a new CPU tensor (`sample_noise(n).to(device)`, also a method of a local "
            "class: `schedule.draw_timesteps(n).to(device)`, `self.rnn.init_hidden().to(device)`; "
            "also a view of one, "
            "through a name bound once: `t = torch.tensor(ids).unsqueeze(0)`, `return t`). "
            "The legacy CPU constructors count too (`torch.FloatTensor(batch).to(device)`, "
            "`torch.Tensor(1, 3, 32, 32).cuda()`, also through `Variable(...)`), as do a "
            "name rebound by its own move (`a = torch.zeros(n)`, `a = a.to(device)`; also "
            "after a view of itself, `g = g.reshape(1, n).repeat(b, 1, 1)`) and a "
            "factory passed through a host cast, a view or arithmetic with a number "
            "(`(torch.ones(n) * i).long().to(device)`, `torch.randn(n, 100).view(-1, 100, 1, "
            "1)`, `torch.arange(n).view(n, 1).expand(n, q).cuda()`, "
            "`torch.unsqueeze(torch.FloatTensor(x), 0).to(device)`, "
            "`torch.tensor(ids)[None, ...].to(device)`, `targets.long().to(device)`), also "
            "when the move is wrapped (`z = Variable(z.cuda())`) or the tensor is changed in "
            "place first (`targets[::2] += 1`); not a buffer filled entry by entry in a loop "
            "(`M[i, j] = 1`), then moved once. "
            "Also a NumPy array "
            "turned into a CUDA tensor with the legacy constructors "
            "(`torch.cuda.FloatTensor(np.random.normal(...))`, also through "
            "`FloatTensor = torch.cuda.FloatTensor if cuda else torch.FloatTensor`). "
            "A move that does not run as written (behind a constant that is off) or whose "
            'device is the CPU there (`device = torch.device("cpu")`) copies nothing and is '
            "not reported; one that a device option turns off by default (`--cuda`, `--gpu`, "
            "`--device`) is, since the code is meant to run on the accelerator. Code that "
            "another option leaves out by default (`if args.l1:` with `--l1` off, `if "
            "args.flow == 'glow':` with `--flow maf`) does not run and is not reported."
        ),
        why=(
            "The tensor is first allocated and filled in host memory, then copied over the "
            "PCIe/NVLink bus, and the host copy is thrown away: two allocations, a transfer and "
            "a synchronisation point instead of one kernel on the device. Inside a training "
            "loop that cost repeats every step."
        ),
        example="noise = torch.randn(batch, 128).to(device)\n",
        fix=(
            "Create the tensor where it is used: `torch.randn(batch, 128, device=device)`. The "
            "automatic fix does this; it is marked unsafe for random factories because the "
            "device's generator draws different numbers than the CPU's."
        ),
        fixed_example="noise = torch.randn(batch, 128, device=device)\n",
        sources=(
            "PyTorch Performance Tuning Guide, 'Create tensors directly on the target device': "
            "https://pytorch.org/tutorials/recipes/recipes/tuning_guide.html",
            "PyTorch documentation, Tensor creation ops (device argument): "
            "https://pytorch.org/docs/stable/torch.html#creation-ops",
        ),
    )

    def setup(self) -> None:
        self._factories: dict[int, str] = {}
        self._moves: list[tuple[cst.Call, cst.BaseExpression]] = []
        # ``FloatTensor(np.random.normal(...))`` with ``FloatTensor = torch.cuda.FloatTensor``
        self._legacy: list[cst.Call] = []
        # (move, device, message, fix) of ``torch.randn(n).to(device)``, reported at the end
        # unless the device is the CPU on the default path.
        self._direct: list[tuple[cst.Call, cst.BaseExpression, str, ProposedFix]] = []

    def visit_Call(self, node: cst.Call) -> None:
        single = len(node.args) == 1 and not node.args[0].keyword and not node.args[0].star
        if single and isinstance(node.func, (cst.Name, cst.Attribute)):
            self._legacy.append(node)
        if method_name(node) not in ("to", "cuda"):
            kind = self._made_by(node)
            if kind is not None:
                self._factories[id(node)] = kind
            return
        factory = receiver(node)
        device = _device_argument(node)
        if device is None:
            return
        if isinstance(factory, cst.Name) or (
            isinstance(factory, cst.Call)
            and (
                isinstance(factory.func, cst.Name)
                or (  # ``obj.method(...)``, ``self.rnn.init_hidden()``: a method of a
                    # local class (see _check_helper)
                    isinstance(factory.func, cst.Attribute)
                    and isinstance(factory.func.value, (cst.Name, cst.Attribute))
                )
            )
        ):
            self._moves.append((node, device))
        if factory is None:
            return
        made = self._unwrap(factory)
        found = self._made_by(made) if isinstance(made, cst.Call) else None
        if found is None or not isinstance(made, cst.Call):
            return
        module = self.context.module
        self._direct.append(
            (
                node,
                device,
                f"`{describe(module, node)}` creates the tensor on the CPU and then copies it;"
                f" {_remedy(found, made)}",
                self._fix(node, made, found, device, made is factory),
            )
        )

    def _made_by(self, call: cst.Call) -> str | None:
        """The factory or legacy CPU constructor ``call`` is, when it makes a new CPU tensor."""
        # ``torch.randn(n, *shape)`` is a factory too; ``**options`` may hold a device.
        if keyword(call, "device") is not None or any(arg.star == "**" for arg in call.args):
            return None
        found = self.match(call.func, TENSOR_FACTORIES)
        if found is None and call.args:
            found = self.match(call.func, CPU_TENSOR_TYPES)
        return found

    def _unwrap(self, node: cst.BaseExpression) -> cst.BaseExpression:
        """The tensor ``node`` passes on: through a host-side cast (``.long()``), a view
        (``.view(n, 1).expand(n, q)``, ``torch.unsqueeze(t, 0)``, ``t[None, ...]``),
        ``Variable(...)``, or
        arithmetic with a plain number or name (``torch.ones(n) * i``)."""
        while True:
            if isinstance(node, cst.Call):
                if (
                    node.args
                    and not node.args[0].keyword
                    and self.match(node.func, _VIEW_FUNCTIONS)
                ):
                    node = node.args[0].value  # ``torch.unsqueeze(t, 0)``, not ``t.unsqueeze``
                    continue
                if (
                    isinstance(node.func, cst.Attribute)
                    and node.func.attr.value in HOST_SIDE_METHODS
                ):
                    node = node.func.value  # ``.long()``, or a view: ``.view(-1, 100, 1, 1)``
                    continue
                if len(node.args) == 1 and self.match(node.func, TENSOR_WRAPPERS):
                    node = node.args[0].value
                    continue
            if (
                isinstance(node, cst.Attribute)
                and node.attr.value in ("T", "mT")
                and isinstance(node.value, cst.Call)
            ):
                node = node.value  # ``torch.Tensor(values).T``: a transposed view
                continue
            if isinstance(node, cst.Subscript) and isinstance(node.value, cst.Call):
                # ``torch.tensor(ids)[None, ...]``: a fresh tensor indexed on the CPU (not
                # ``X[idx]``, a batch of a dataset tensor: that buffer is not made here)
                node = node.value
                continue
            if isinstance(node, cst.BinaryOperation):
                sides = [node.left, node.right]
                calls = [side for side in sides if isinstance(side, cst.Call)]
                if len(calls) == 1 and all(
                    isinstance(side, _PLAIN_OPERANDS) for side in sides if side is not calls[0]
                ):
                    node = calls[0]
                    continue
            return node

    def _fix(
        self,
        move: cst.Call,
        factory: cst.Call,
        found: str,
        device: cst.BaseExpression,
        editable: bool,
    ) -> ProposedFix:
        module = self.context.module
        if found in CPU_TENSOR_TYPES:
            return ProposedFix(_remedy(found, factory))
        return ProposedFix(
            f"pass device={module.code_for_node(device)} to {found}",
            self._edit(move, factory, device) if editable else (),
            safe=found not in RANDOM_FACTORIES,
        )

    def leave_Module(self, original_node: cst.Module) -> None:
        program = self.context.program
        effects = effects_of(program) if program is not None else None
        for move, device, message, fix in self._direct:
            if effects is None or not _to_cpu(move, device, effects):
                self.report(move, message, fix)
        if program is None or effects is None:
            return
        for move, device in self._moves:
            site = program.site_of.get(id(move))
            if site is not None and not _to_cpu(move, device, effects):
                self._check_move(move, device, site, effects)
        for call in self._legacy:
            site = program.site_of.get(id(call))
            if site is not None:
                self._check_legacy(call, site)

    def _check_legacy(self, call: cst.Call, site: Site) -> None:
        """``torch.cuda.FloatTensor(array)`` (often through ``FloatTensor = torch.cuda.
        FloatTensor if cuda else torch.FloatTensor``) of a NumPy array built on the host."""
        kind = self._cuda_tensor_type(call.func, site.scope)
        if kind is None:
            return
        source = _numpy_source(call.args[0].value, site)
        if source is None:
            return
        module = self.context.module
        self.report(
            call,
            f"`{describe(module, call)}` builds the values with NumPy on the host"
            f" (`{describe(module, source, limit=40)}`) and copies them to the GPU; create"
            " them there with a torch factory and device= (`torch.randn(..., device=...)`)",
            ProposedFix("create the tensor on the device with a torch factory and device="),
        )

    def _cuda_tensor_type(self, func: cst.BaseExpression, scope: Scope) -> str | None:
        """``torch.cuda.FloatTensor``, or a name bound once to it (one branch of a
        ``cuda_type if cuda else cpu_type`` choice is enough: the choice is for the GPU)."""
        found = self.match(func, CUDA_TENSOR_TYPES)
        if found is not None or not isinstance(func, cst.Name):
            return found
        current: Scope | None = scope
        while current is not None:
            bindings = current.bindings.get(func.value)
            if bindings:
                if len(bindings) != 1 or bindings[0].value is None:
                    return None
                value = bindings[0].value
                branches = [value.body, value.orelse] if isinstance(value, cst.IfExp) else [value]
                return next((t for b in branches if (t := self.match(b, CUDA_TENSOR_TYPES))), None)
            current = current.parent
        return None

    def _check_move(
        self, move: cst.Call, device: cst.BaseExpression, site: Site, effects: Effects
    ) -> None:
        module = self.context.module
        target = receiver(move)
        if isinstance(target, cst.Call):
            unwrapped = self._unwrap(target)
            if isinstance(unwrapped, cst.Name):
                target = unwrapped  # ``targets.long().to(device)``
        if isinstance(target, cst.Name):
            binding = _binding_at(target.value, move, site)
            if binding is None or binding.augmented or binding.element is not None:
                return
            bound = binding.value
            made = self._unwrap(bound) if bound is not None else None
            for _ in range(3):  # ``g = torch.tensor(a)``, ``g = g.reshape(1, n).repeat(b, 1)``
                if not (isinstance(made, cst.Name) and made.value == target.value):
                    break
                earlier = _binding_before(binding)
                if earlier is None:
                    return
                binding, bound = earlier, earlier.value
                made = self._unwrap(bound) if bound is not None else None
            if not isinstance(made, cst.Call):
                return
            found = self._factories.get(id(made))
            if found is not None:
                ready = made is bound and _defined_before(device, binding.order, site)
                self.report(
                    made,
                    f"`{describe(module, made)}` creates `{target.value}` on the CPU and"
                    f" `{describe(module, move)}` then copies it; {_remedy(found, made)}",
                    self._fix(made, made, found, device, ready),
                    ((move, f"`{describe(module, move)}` moves it", _function(site)),),
                )
                return
            inner = effects.program.site_of.get(id(made))
            if inner is not None:
                self._check_helper(move, inner, effects)
            return
        if isinstance(target, cst.Call):
            inner = effects.program.site_of.get(id(target))
            if inner is not None:
                self._check_helper(move, inner, effects)

    def _check_helper(self, move: cst.Call, call: Site, effects: Effects) -> None:
        """``sample_noise(n).to(device)`` where ``sample_noise`` returns a new CPU tensor
        (also a method of a local class, ``schedule.draw_timesteps(n).to(device)``)."""
        callee = effects.callee(call)
        if callee is None or not callee.returns:
            return
        made: list[tuple[cst.Call, str]] = []
        for value, order in callee.returns:
            found = self._factory_of(value, callee, order)
            if found is None:
                return
            made.append(found)
        module = self.context.module
        factory, name = made[0]
        self.report(
            move,
            f"`{describe(module, call.node)}` returns a tensor `{callee.name}` creates on the CPU"
            f" (`{describe(module, factory, limit=40)}`), and `{describe(module, move)}` copies"
            f" it; create it on the device inside `{callee.name}` ({_remedy(name, factory)})",
            ProposedFix(f"give `{callee.name}` a device and pass device= to {name}"),
            ((factory, f"`{describe(module, factory)}` allocates on the CPU", callee.name),),
        )

    def _factory_of(
        self, value: cst.BaseExpression, scope: Scope, order: int
    ) -> tuple[cst.Call, str] | None:
        """The factory call that makes the returned ``value``: the value itself, a shape
        view of it (``torch.tensor(ids).unsqueeze(0)``), or a name bound once to such a
        value before the ``return``."""
        if isinstance(value, cst.Name):
            bindings = [b for b in scope.bindings.get(value.value, ()) if b.order < order]
            if len(bindings) != 1 or bindings[0].augmented or bindings[0].element is not None:
                return None
            value = bindings[0].value  # type: ignore[assignment]
        while (
            isinstance(value, cst.Call)
            and isinstance(value.func, cst.Attribute)
            and value.func.attr.value in HOST_VIEW_METHODS
        ):
            value = value.func.value
        if not isinstance(value, cst.Call):
            return None
        found = self._factories.get(id(value))
        return (value, found) if found is not None else None

    @staticmethod
    def _edit(
        move: cst.Call, factory: cst.Call, device: cst.BaseExpression
    ) -> tuple[tuple[cst.CSTNode, cst.CSTNode | str], ...]:
        simple_move = move is factory or (
            len(move.args) <= 1
            and all(arg.keyword is None or arg.keyword.value == "device" for arg in move.args)
        )
        if not simple_move or keyword(factory, "device") or any(arg.star for arg in factory.args):
            return ()
        if int_value(device) is not None:
            return ()
        return ((move, append_keyword(factory, "device", device)),)


# The same views spelled as torch functions: ``torch.unsqueeze(torch.FloatTensor(x), 0)``.
_VIEW_FUNCTIONS = frozenset(
    f"torch.{name}" for name in ("unsqueeze", "squeeze", "reshape", "flatten")
)


# Operands that leave a CPU tensor on the CPU: a number, or a plain name (a loop counter).
_PLAIN_OPERANDS = (cst.Integer, cst.Float, cst.Name, cst.Attribute)


def _to_cpu(move: cst.Call, device: cst.BaseExpression, effects: Effects) -> bool:
    """As written, the move does not run (``if GPU_available:`` with ``GPU_available =
    False``) or its device is the CPU (``device = torch.device("cpu")``, the accelerator
    line commented out): it copies nothing. Not when a command-line option about the
    device decides (``--cuda`` off by default): run as intended, the copy happens. Code
    that another option's default leaves out (``if args.l1:``, ``if args.flow ==
    'glow':``) does not run."""
    site = effects.program.site_of.get(id(move))
    if site is None:
        return False
    defaults = effects.defaults
    if defaults.skipped_because(site.branch, site.scope) is not None:
        return effects.left_out_by_default(site)  # a device option that is off: it runs
    if isinstance(device, cst.Name) and site.scope.param(device.value) is not None:
        return False  # ``device="cpu"`` as a parameter's default: callers may pass a GPU
    return defaults.cpu_as_written(device, site.scope, site.order)


def _remedy(found: str, factory: cst.Call) -> str:
    """What to write instead of ``factory`` so that the tensor is made on the device."""
    if found not in CPU_TENSOR_TYPES:
        return f"pass device= to `{found}`"
    dtype = CPU_TENSOR_TYPES[found]
    extra = f"dtype={dtype}, " if dtype else ""
    positional = [arg for arg in factory.args if arg.keyword is None]
    if len(positional) > 1 or (positional and int_value(positional[0].value) is not None):
        return f"allocate it there with `torch.empty(sizes, {extra}device=...)`, not `{found}`"
    return f"build it there with `torch.tensor(data, {extra}device=...)`, not `{found}`"


def _binding_at(name: str, move: cst.Call, site: Site) -> Binding | None:
    """The binding of ``name`` that ``move`` reads: the only one before it (not counting
    ``name = name.to(device)`` itself), or the last one, when it sits in the same loop and
    branch, so that nothing rebinds the name in between."""
    bindings = [b for b in site.scope.bindings.get(name, ()) if b.order < site.order]
    if any(b.mutates and b.loop is not None and b.loop is not site.loop for b in bindings):
        return None  # ``M[i, j] = 1`` in a loop: a buffer filled on the host, then moved
    # (``targets[::2] += 1`` changes the tensor in place: still the one made)
    before = [b for b in bindings if not _holds(b.value, move) and not b.mutates]
    if len(before) == 1:
        return before[0]
    if before and before[-1].loop is site.loop and before[-1].branch is site.branch:
        return before[-1]
    return None


# NumPy calls and index expressions that join arrays (the result has the widest dtype).
_NUMPY_JOINS = frozenset(
    f"numpy.{name}"
    for name in ("concatenate", "hstack", "vstack", "stack", "column_stack", "append")
)
_NUMPY_JOINS_BY_INDEX = frozenset({"numpy.c_", "numpy.r_"})


def _parts(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The arrays of ``[a, b]``, ``(a, b)`` or ``a, b``; a single one otherwise."""
    if isinstance(node, (cst.List, cst.Tuple)):
        return [element.value for element in node.elements]
    return [node]


def _binding_before(binding: Binding) -> Binding | None:
    """The binding a view of a name's own value reads (``g = g.reshape(...)``): the one
    just before it, in the same loop and branch, when it is a plain assignment."""
    earlier = [b for b in binding.scope.bindings.get(binding.name, ()) if b.order < binding.order]
    if not earlier:
        return None
    last = earlier[-1]
    if (
        last.loop is not binding.loop
        or last.branch is not binding.branch
        or last.augmented
        or last.mutates
        or last.element is not None
    ):
        return None
    return last


def _holds(value: cst.BaseExpression | None, move: cst.Call) -> bool:
    """``value`` is the move or wraps it: ``z = z.cuda()``, ``z = Variable(z.cuda())``."""
    return value is not None and any(node is move for node in iter_nodes(value))


def _numpy_source(node: cst.BaseExpression, site: Site) -> cst.Call | None:
    """The NumPy call that builds ``node`` (``np.random.normal(...)``, ``np.array(...)``),
    directly or through the name's last binding before ``site`` in the same branch."""
    if isinstance(node, cst.Name):
        outer: set[int] = set()  # ``labels = Variable(LongTensor(labels))`` binds after reading
        current: Site | None = site
        while current is not None:
            outer.add(id(current.node))
            current = current.enclosing
        before = [
            b
            for b in site.scope.bindings.get(node.value, ())
            if b.order < site.order and id(b.value) not in outer
        ]
        if not before or before[-1].value is None or before[-1].branch is not site.branch:
            return None
        node = before[-1].value
    if isinstance(node, cst.Call) and (dotted_name(node.func) or "").split(".", 1)[0] in (
        "np",
        "numpy",
    ):
        return node
    return None


def _defined_before(device: cst.BaseExpression, order: int, site: Site) -> bool:
    """Every name in ``device`` is bound before ``order`` (so the factory can use it there)."""
    for name in names_in(device):
        scope: Scope | None = site.scope
        bound = False
        while scope is not None and not bound:
            if scope.param(name) is not None:
                bound = True
            bindings = scope.bindings.get(name, ())
            bound = bound or any(b.order < order or not scope.is_module for b in bindings)
            if bindings and not bound and scope is site.scope:
                return False
            scope = scope.parent
        if not bound:
            return False
    return True


def _function(site: Site) -> str | None:
    return None if site.scope.is_module else site.scope.name
