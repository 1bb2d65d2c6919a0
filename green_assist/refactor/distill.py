"""``distill``: train a smaller student from the frozen large model (knowledge distillation).

Starting from a training loop of a large model ``model`` (optimizer built on
``model.parameters()``, a cross-entropy loss, ``loss.backward()``):

* the large model becomes ``teacher`` (same construction, weights loaded into it),
  put in ``eval()`` mode with its parameters frozen;
* ``model`` becomes the student (``students.py``): a known smaller sibling, or the
  same model with narrower widths. It keeps the name, so the optimizer, the
  checkpointing and the evaluation code now work on the student;
* before the student's forward pass, ``with torch.no_grad(): teacher_logits =
  teacher(...)`` with the same inputs;
* the loss becomes ``distillation_loss(student_logits, teacher_logits, <the
  cross-entropy>)``: ``alpha * T*T * KL(log_softmax(s/T) || softmax(t/T))`` (batch
  mean) ``+ (1 - alpha) * cross-entropy``, with ``T`` and ``alpha`` named constants.
"""

from __future__ import annotations

import libcst as cst

from ..analysis.helpers import argument, iter_calls, method_name, names_in, receiver
from ..analysis.sources import PythonSource
from .base import Option, Refactor
from .chains import base_call, replace_base
from .context import RefactorContext, iter_all
from .edits import Statement, statement, statements, with_block
from .loops import TrainingStep, assigned_names, find_training_steps
from .students import Student, student_call

CROSS_ENTROPY_FUNCTIONS = frozenset(
    {"torch.nn.functional.cross_entropy", "torch.nn.functional.nll_loss"}
)
CROSS_ENTROPY_CLASSES = frozenset(
    {"torch.nn.CrossEntropyLoss", "torch.nn.modules.loss.CrossEntropyLoss", "torch.nn.NLLLoss"}
)
# Methods on the model between its construction and the optimizer: which model they go to.
TEACHER_SETUP = frozenset({"load_state_dict"})
BOTH_SETUP = frozenset({"to", "cuda", "cpu", "float", "half", "bfloat16"})
LOSS_FUNCTION = "distillation_loss"

_DEFINITIONS = """
# Knowledge distillation (Hinton et al., 2015): the student learns from the teacher's
# softened outputs (weight alpha) and from the labels (weight 1 - alpha).
DISTILLATION_TEMPERATURE = {temperature}  # T > 1 softens both distributions
DISTILLATION_ALPHA = {alpha}


def distillation_loss(
    student_logits,
    teacher_logits,
    hard_loss,
    T=DISTILLATION_TEMPERATURE,
    alpha=DISTILLATION_ALPHA,
):
    soft_loss = {functional}.kl_div(
        {functional}.log_softmax(student_logits / T, dim=-1),
        {functional}.softmax(teacher_logits / T, dim=-1),
        reduction="batchmean",
    )
    return alpha * T * T * soft_loss + (1 - alpha) * hard_loss
"""


class Distill(Refactor):
    name = "distill"
    title = "Distill into a smaller student"
    summary = "train a smaller student from the frozen model (knowledge distillation)"
    options = {
        "temperature": Option.number(2.0, "softmax temperature T"),
        "alpha": Option.weight(0.5, "weight of the teacher's soft targets (1 - alpha: labels)"),
        "width": Option.fraction(0.5, "width factor of a narrower student"),
        "model": Option.name("the model variable to distil, when there are several"),
    }

    def apply(self, context: RefactorContext) -> None:
        if any(
            isinstance(node, cst.FunctionDef) and node.name.value == LOSS_FUNCTION
            for node in context.nodes
        ):
            context.note(f"the code defines `{LOSS_FUNCTION}` already: it distils; nothing to do")
            return
        step, model = self._training_step(context)
        optimizer = self._optimizer(context, model)
        construction = self._construction(context, model, optimizer)
        forward, forward_line = self._student_forward(context, step, model)
        loss_node, student_logits = self._loss(context, step, forward, construction)
        teacher = context.fresh_name("teacher", "teacher_model")
        student = self._build_student(context, construction, optimizer, model, teacher)
        teacher_logits = self._teacher_forward(
            context, forward, forward_line, teacher, construction
        )
        if student_logits is forward:  # criterion(model(x), y): run the student once
            student_logits = self._hoist_forward(context, forward, forward_line)
        self._replace_loss(context, loss_node, student_logits, teacher_logits)
        self._definitions(context, step)
        self._notes(context, student, construction, teacher)

    # -- where things are ------------------------------------------------------------
    def _training_step(self, context: RefactorContext) -> tuple[TrainingStep, str]:
        wanted = context.options["model"]
        found: list[tuple[TrainingStep, str]] = []
        for step in find_training_steps(context):
            if step.region is None:
                continue
            start, end = step.region
            called = {
                call.func.value
                for s in step.body[start : end + 1]
                for call in iter_calls(s)
                if isinstance(call.func, cst.Name)
            }
            models = {m for m in called if m in _optimized_models(context)}
            for model in sorted(models):
                if wanted in (None, model):
                    found.append((step, model))
        if not found:
            context.refuse(
                "found no training step to distil: a loop that computes `loss = ...(model(x),"
                " y)` and calls `loss.backward()`, with an optimizer built on"
                " `model.parameters()`" + (f" (for `{wanted}`)" if wanted else "")
            )
        if len(found) > 1:
            names = ", ".join(sorted({m for _, m in found}))
            context.refuse(
                f"several training steps or models ({names}); pick one with --option model=NAME"
                " (and --cell N in a notebook)"
            )
        return found[0]

    def _optimizer(self, context: RefactorContext, model: str) -> cst.SimpleStatementLine:
        for node in context.nodes:
            if _optimized_model(context, node) == model:
                line = context.statement_of(node)
                assert isinstance(line, cst.SimpleStatementLine)
                return line
        context.refuse(f"no optimizer is built on `{model}.parameters()`")

    def _construction(
        self, context: RefactorContext, model: str, optimizer: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        _, body, index = context.block_of(optimizer)
        for line in reversed(body[:index]):
            if model in assigned_names(line):
                assert isinstance(line, cst.SimpleStatementLine)
                small = line.body[0]
                if (
                    len(line.body) == 1
                    and isinstance(small, cst.Assign)
                    and len(small.targets) == 1
                    and isinstance(small.targets[0].target, cst.Name)
                    and isinstance(small.value, cst.Call)
                ):
                    return line
                context.refuse(
                    f"`{context.short(line)}`: build the model in its own `{model} = ...`"
                )
        context.refuse(
            f"`{model}` is not built just before its optimizer, in the same block;"
            " build the model and its optimizer next to each other to distil it"
        )

    def _student_forward(
        self, context: RefactorContext, step: TrainingStep, model: str
    ) -> tuple[cst.Call, Statement]:
        """The student's forward call, and the statement of the step's block that holds it."""
        assert step.region is not None
        start, end = step.region
        for line in step.body[start : end + 1]:
            for call in iter_calls(line):
                if isinstance(call.func, cst.Name) and call.func.value == model:
                    self._check_inputs(context, line, call)
                    return call, line
        context.refuse(f"found no call of `{model}(...)` in the forward pass")

    def _check_inputs(self, context: RefactorContext, line: Statement, call: cst.Call) -> None:
        """The teacher runs just before ``line``: the inputs must exist by then."""
        if not isinstance(line, cst.With) or not isinstance(line.body, cst.IndentedBlock):
            return
        inner = line.body.body
        holder = next(s for s in inner if any(c is call for c in iter_calls(s)))
        earlier = set().union(*(assigned_names(s) for s in inner[: inner.index(holder)]))
        if names_in(call) & earlier:
            context.refuse(
                f"the inputs of `{context.short(call)}` are computed inside"
                f" `{context.short(line)}`; compute them before it"
            )

    def _loss(
        self,
        context: RefactorContext,
        step: TrainingStep,
        forward: cst.Call,
        construction: cst.SimpleStatementLine,
    ) -> tuple[cst.BaseExpression, cst.BaseExpression]:
        """(the cross-entropy node to wrap, the student's logits expression)."""
        assert step.region is not None
        start, end = step.region
        forward_line = context.statement_of(forward)
        outputs = assigned_names(forward_line) if forward_line is not None else set()
        hugging_face = _is_hugging_face(context, construction)
        for line in [*step.body[start : end + 1], step.statement]:
            for node in iter_all(line):
                if hugging_face and isinstance(node, cst.Attribute) and node.attr.value == "loss":
                    owner = node.value
                    if isinstance(owner, cst.Name) and owner.value in outputs:
                        context.note(
                            "for token-level outputs (language models) the soft loss also"
                            " covers padded positions: mask them if your batches are padded"
                        )
                        return node, cst.parse_expression(f"{owner.value}.logits")
                if isinstance(node, cst.Call) and self._is_cross_entropy(context, node):
                    first = argument(node, "input", 0)
                    if first is None:
                        continue
                    if first.value is forward or (
                        isinstance(first.value, cst.Name) and first.value.value in outputs
                    ):
                        return node, first.value
        losses = [
            context.short(c)
            for line in step.body[start : end + 1]
            for c in iter_calls(line)
            if c is not forward
        ]
        context.refuse(
            "distillation matches softened class probabilities, so it needs a classification"
            " loss: found no cross-entropy (`F.cross_entropy`, `nn.CrossEntropyLoss`) of the"
            f" model's output in `{'`, `'.join(losses) or 'the loss'}`"
        )

    def _is_cross_entropy(self, context: RefactorContext, call: cst.Call) -> bool:
        if context.match(call.func, CROSS_ENTROPY_FUNCTIONS):
            return True
        if not isinstance(call.func, cst.Name):
            return False
        for node in context.nodes:
            if (
                isinstance(node, cst.Assign)
                and isinstance(node.value, cst.Call)
                and any(
                    isinstance(t.target, cst.Name) and t.target.value == call.func.value
                    for t in node.targets
                )
            ):
                return context.match(node.value.func, CROSS_ENTROPY_CLASSES) is not None
        return False

    # -- edits ---------------------------------------------------------------------
    def _build_student(
        self,
        context: RefactorContext,
        construction: cst.SimpleStatementLine,
        optimizer: cst.SimpleStatementLine,
        model: str,
        teacher: str,
    ) -> Student:
        assign = construction.body[0]
        assert isinstance(assign, cst.Assign) and isinstance(assign.value, cst.Call)
        base = base_call(assign.value)
        student = student_call(context, base, context.options["width"])
        target = assign.targets[0].target
        context.edits.replace(target, cst.Name(teacher))
        student_value = replace_base(assign.value, base, student.call)
        module = context.module
        new = statements(
            f"{teacher}.eval()  # the teacher is frozen: inference mode, no gradients\n"
            f"{teacher}.requires_grad_(False)\n",
            module,
        )
        comment = cst.Comment(f"# the student: {student.description}")
        student_line = cst.SimpleStatementLine(
            [cst.Assign([cst.AssignTarget(cst.Name(model))], student_value)],
            leading_lines=[cst.EmptyLine(comment=comment)],
        )
        context.edits.insert_after(construction, [*new, student_line])
        self._setup_statements(context, construction, optimizer, model, teacher)
        return student

    def _setup_statements(
        self,
        context: RefactorContext,
        construction: cst.SimpleStatementLine,
        optimizer: cst.SimpleStatementLine,
        model: str,
        teacher: str,
    ) -> None:
        """Between construction and optimizer, ``model.load_state_dict(...)`` now loads the
        teacher and ``model.to(...)`` moves both (later ones concern the student)."""
        _, body, index = context.block_of(construction)
        for line in body[index + 1 : list(body).index(optimizer)]:
            if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
                continue
            small = line.body[0]
            value = small.value if isinstance(small, (cst.Expr, cst.Assign)) else None
            if not isinstance(value, cst.Call):
                continue
            owner = receiver(value)
            if not (isinstance(owner, cst.Name) and owner.value == model):
                continue
            method = method_name(value)
            renamed = _rename(line, model, teacher)
            if method in TEACHER_SETUP:
                context.edits.replace(line, renamed)
                context.note(f"`{context.short(line)}` now loads the teacher's weights")
            elif method in BOTH_SETUP:
                context.edits.insert_before(line, [renamed])

    def _teacher_forward(
        self,
        context: RefactorContext,
        forward: cst.Call,
        forward_line: Statement,
        teacher: str,
        construction: cst.SimpleStatementLine,
    ) -> str:
        logits = context.fresh_name("teacher_logits")
        call = forward.with_changes(func=cst.Name(teacher))
        suffix = ".logits" if _is_hugging_face(context, construction) else ""
        no_grad = context.reference("torch.no_grad", forward)
        line = statement(
            f"{logits} = {context.module.code_for_node(call)}{suffix}\n", context.module
        )
        block = with_block(f"{no_grad}()", [line], context.module)
        context.edits.insert_before(forward_line, [block])
        return logits

    def _hoist_forward(
        self, context: RefactorContext, forward: cst.Call, forward_line: Statement
    ) -> cst.Name:
        """``logits = model(x)`` before ``forward_line``; the call's place takes ``logits``."""
        if not isinstance(forward_line, cst.SimpleStatementLine):
            context.refuse(
                f"`{context.short(forward)}` is used inside the loss within a block; give its"
                " output a name first (`logits = ...`)"
            )
        name = context.fresh_name("student_logits")
        code = f"{name} = {context.module.code_for_node(forward)}\n"
        context.edits.insert_before(forward_line, [statement(code, context.module)])
        context.edits.replace(forward, cst.Name(name))
        return cst.Name(name)

    def _replace_loss(
        self,
        context: RefactorContext,
        loss: cst.BaseExpression,
        student_logits: cst.BaseExpression,
        teacher_logits: str,
    ) -> None:
        student_code = context.module.code_for_node(student_logits)

        def wrap(updated: cst.CSTNode) -> cst.CSTNode:
            assert isinstance(updated, cst.BaseExpression)
            new = cst.parse_expression(f"{LOSS_FUNCTION}({student_code}, {teacher_logits}, hard)")
            assert isinstance(new, cst.Call)
            last = new.args[-1].with_changes(value=updated.with_changes(lpar=[], rpar=[]))
            return new.with_changes(args=[*new.args[:-1], last])

        context.edits.replace(loss, wrap)

    def _definitions(self, context: RefactorContext, step: TrainingStep) -> None:
        functional = context.reference("torch.nn.functional", step.statement)
        code = _DEFINITIONS.format(
            temperature=context.options["temperature"],
            alpha=context.options["alpha"],
            functional=functional,
        )
        new = statements(code, context.module)
        if isinstance(context.source, PythonSource):  # a blank line after the imports
            lines = getattr(new[0], "leading_lines", ())
            new[0] = new[0].with_changes(leading_lines=[cst.EmptyLine(), *lines])
        context.add_definitions(new, step.statement)

    def _notes(
        self,
        context: RefactorContext,
        student: Student,
        construction: cst.SimpleStatementLine,
        teacher: str,
    ) -> None:
        context.note(f"student: {student.description}")
        if student.parameters:
            before, after = student.parameters
            context.note(f"Linear parameters: {before:,} (teacher) -> {after:,} (student)")
        context.note(_training_cost(student.parameters))
        loads = any(
            isinstance(c, cst.Call)
            and (
                method_name(c) in ("load_state_dict", "from_pretrained")
                or argument(c, "weights") is not None
            )
            for c in context.nodes
        )
        if not loads:
            context.note(
                f"the teacher must be trained for the student to learn from it: load its weights"
                f" (`{teacher}.load_state_dict(torch.load(...))`) right after it is built;"
                " a random teacher only adds noise"
            )
        context.note(
            f"T={context.options['temperature']} and alpha={context.options['alpha']} are"
            " DISTILLATION_TEMPERATURE and DISTILLATION_ALPHA; T in 2-4 and alpha in 0.5-0.9"
            " are usual. The optimizer now trains the student only."
        )


def _training_cost(parameters: tuple[int, int] | None) -> str:
    """What a distillation step costs against the teacher's own training step: the
    teacher's forward pass (about 1/3 of a training step: backward is about twice the
    forward) plus the student's training step, scaled by parameter count (FLOPs per
    sample of Linear layers are about twice the weights)."""
    cost = (
        "each training step now also runs the teacher's forward pass (no gradients), so"
        " training can be slower than before when the student is not much smaller; the"
        " saving is the student's cost at inference"
    )
    if not parameters or parameters[0] <= 0:
        return cost
    teacher, student = parameters
    ratio = 1 / 3 + student / teacher
    verdict = "slower" if ratio > 1 else "faster"
    return (
        f"{cost}. Estimate from the Linear parameters: a training step costs about"
        f" {ratio:.2f}x the teacher's (1/3 for its forward pass + {student / teacher:.2f} for"
        f" the student), so training is {verdict}; re-run the cell to measure it"
    )


def _optimized_model(context: RefactorContext, node: cst.CSTNode) -> str | None:
    """``model`` when ``node`` is ``torch.optim.X(model.parameters(), ...)``."""
    if not isinstance(node, cst.Call) or not node.args:
        return None
    first = node.args[0].value
    owner = receiver(first) if isinstance(first, cst.Call) else None
    if (
        isinstance(first, cst.Call)
        and method_name(first) == "parameters"
        and isinstance(owner, cst.Name)
        and any(n.startswith("torch.optim.") for n in context.qualified_names(node.func))
    ):
        return owner.value
    return None


def _optimized_models(context: RefactorContext) -> set[str]:
    return {name for node in context.nodes if (name := _optimized_model(context, node))}


def _rename(line: Statement, old: str, new: str) -> Statement:
    class Rename(cst.CSTTransformer):
        def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
            return (
                updated_node.with_changes(value=new) if updated_node.value == old else updated_node
            )

    result = line.visit(Rename())
    assert isinstance(result, cst.BaseStatement)
    return result.with_changes(leading_lines=())


def _is_hugging_face(context: RefactorContext, construction: cst.SimpleStatementLine) -> bool:
    assign = construction.body[0]
    if not isinstance(assign, cst.Assign) or not isinstance(assign.value, cst.Call):
        return False
    base = base_call(assign.value)
    return any(n.startswith("transformers.") for n in context.qualified_names(base.func))
