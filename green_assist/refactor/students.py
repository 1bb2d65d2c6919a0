"""Smaller students for distillation: known siblings (data) and narrower versions of a model.

:func:`student_call` turns the call that builds the teacher into the call that
builds the student, trying in order:

1. a known smaller sibling of a known architecture (tables below);
2. an ``nn.Sequential`` of Linear/Conv layers with literal sizes: hidden widths
   scaled by ``width`` (input and output sizes kept);
3. a class with a width argument (``hidden``, ``width``, ``hidden_size``...): the
   argument scaled, from the call or from the constructor's default.

Anything else raises :class:`~green_assist.refactor.base.RefactorRefused`.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from ..analysis.helpers import append_keyword, argument, string_value
from .context import RefactorContext
from .layers import NO_PARAMETERS

# torchvision builder -> smaller builder of the same family (ImageNet accuracy drops a few
# points; parameters and FLOPs drop 2-10x).
TORCHVISION_STUDENTS: dict[str, str] = {
    "resnet34": "resnet18",
    "resnet50": "resnet18",
    "resnet101": "resnet34",
    "resnet152": "resnet50",
    "resnext50_32x4d": "resnet18",
    "resnext101_32x8d": "resnet50",
    "wide_resnet50_2": "resnet18",
    "wide_resnet101_2": "resnet50",
    "vgg16": "vgg11",
    "vgg19": "vgg11",
    "vgg16_bn": "vgg11_bn",
    "vgg19_bn": "vgg11_bn",
    "densenet161": "densenet121",
    "densenet169": "densenet121",
    "densenet201": "densenet121",
    "efficientnet_b4": "efficientnet_b0",
    "efficientnet_b5": "efficientnet_b0",
    "efficientnet_b6": "efficientnet_b0",
    "efficientnet_b7": "efficientnet_b0",
    "efficientnet_v2_m": "efficientnet_v2_s",
    "efficientnet_v2_l": "efficientnet_v2_s",
    "convnext_small": "convnext_tiny",
    "convnext_base": "convnext_tiny",
    "convnext_large": "convnext_tiny",
    "mobilenet_v3_large": "mobilenet_v3_small",
    "vit_l_16": "vit_b_16",
    "vit_l_32": "vit_b_32",
    "vit_h_14": "vit_b_16",
    "swin_s": "swin_t",
    "swin_b": "swin_t",
    "swin_v2_s": "swin_v2_t",
    "swin_v2_b": "swin_v2_t",
}
# Hugging Face checkpoint -> its distilled sibling.
HF_CHECKPOINT_STUDENTS: dict[str, str] = {
    "bert-base-uncased": "distilbert-base-uncased",
    "google-bert/bert-base-uncased": "distilbert/distilbert-base-uncased",
    "bert-base-cased": "distilbert-base-cased",
    "google-bert/bert-base-cased": "distilbert/distilbert-base-cased",
    "bert-base-multilingual-cased": "distilbert-base-multilingual-cased",
    "google-bert/bert-base-multilingual-cased": "distilbert/distilbert-base-multilingual-cased",
    "roberta-base": "distilroberta-base",
    "FacebookAI/roberta-base": "distilbert/distilroberta-base",
    "gpt2": "distilgpt2",
    "openai-community/gpt2": "distilbert/distilgpt2",
}
# BERT classes -> DistilBERT classes (the checkpoint's family changes; Auto classes need no change).
HF_CLASS_STUDENTS: dict[str, str] = {
    "BertModel": "DistilBertModel",
    "BertForSequenceClassification": "DistilBertForSequenceClassification",
    "BertForTokenClassification": "DistilBertForTokenClassification",
    "BertForQuestionAnswering": "DistilBertForQuestionAnswering",
    "BertForMaskedLM": "DistilBertForMaskedLM",
    "BertForMultipleChoice": "DistilBertForMultipleChoice",
}
# Constructor arguments that set a layer width, and those a width must stay divisible by.
WIDTH_PARAMETERS = frozenset(
    {
        "hidden",
        "hidden_size",
        "hidden_dim",
        "hidden_units",
        "hidden_sizes",
        "hidden_dims",
        "hidden_channels",
        "n_hidden",
        "num_hidden",
        "d_hidden",
        "width",
        "widths",
        "d_model",
        "embed_dim",
        "n_embd",
        "dim",
        "channels",
        "base_channels",
        "num_channels",
        "filters",
        "num_filters",
        "base_width",
    }
)
HEAD_PARAMETERS = ("nhead", "num_heads", "n_head", "n_heads", "heads", "num_attention_heads")
# torch.nn layers in a Sequential: (input size, output size) parameter names.
WIDTH_LAYERS: dict[str, tuple[str, str]] = {
    "Linear": ("in_features", "out_features"),
    "Conv1d": ("in_channels", "out_channels"),
    "Conv2d": ("in_channels", "out_channels"),
    "Conv3d": ("in_channels", "out_channels"),
}
NORM_LAYERS: dict[str, str] = {
    "BatchNorm1d": "num_features",
    "BatchNorm2d": "num_features",
    "BatchNorm3d": "num_features",
    "LayerNorm": "normalized_shape",
}
# Layers that keep the feature width: those without parameters, except reshapes.
SHAPE_KEEPING_LAYERS = NO_PARAMETERS - {"Flatten", "Unflatten"}


@dataclass
class Student:
    call: cst.Call  # builds the student
    description: str  # "resnet18 (the smaller sibling of resnet50)"
    parameters: tuple[int, int] | None = None  # (teacher, student) when countable
    pretrained: bool = False  # the student starts from pretrained weights


def student_call(context: RefactorContext, call: cst.Call, width: float) -> Student:
    """The student for the teacher built by ``call`` (see the module docstring)."""
    names = context.qualified_names(call.func)
    shown = context.short(call)
    for name in names:
        if name.startswith("torchvision.models."):
            return _torchvision(context, call, name.rsplit(".", 1)[-1])
        if name.startswith("transformers.") and name.endswith(".from_pretrained"):
            return _hugging_face(context, call, name)
    if context.match(call.func, {"torch.nn.Sequential", "torch.nn.modules.container.Sequential"}):
        return _narrow_sequential(context, call, width)
    local = _class_definition(context, call)
    if local is not None:
        return _narrow_class(context, call, local, width)
    given = [a for a in call.args if a.keyword is not None and a.keyword.value in WIDTH_PARAMETERS]
    if given:
        return _narrow_arguments(
            context, call, {a.keyword.value: a for a in given if a.keyword}, width
        )
    context.refuse(
        f"no smaller student is known for `{shown}`: it is not a known architecture"
        " (torchvision resnet50, bert-base, gpt2...), not an nn.Sequential of Linear/Conv"
        " layers, and it is not built with a width argument (hidden, width, hidden_size...);"
        " write the student model yourself"
    )


# -- known siblings ----------------------------------------------------------------------
def _torchvision(context: RefactorContext, call: cst.Call, builder: str) -> Student:
    student = TORCHVISION_STUDENTS.get(builder)
    if student is None:
        context.refuse(
            f"no smaller torchvision sibling is known for `{builder}`"
            f" (known: {', '.join(sorted(TORCHVISION_STUDENTS))})"
        )
    if isinstance(call.func, cst.Attribute):
        func: cst.BaseExpression = call.func.with_changes(attr=cst.Name(student))
    else:
        func = cst.parse_expression(
            context.reference(f"torchvision.models.{student}", call, from_import=True)
        )
    args = list(call.args)
    weights = argument(call, "weights")
    pretrained = weights is not None and not (
        isinstance(weights.value, cst.Name) and weights.value.value == "None"
    )
    if pretrained and weights is not None:
        # ResNet50_Weights.X does not fit resnet18: its own default weights do.
        args[args.index(weights)] = weights.with_changes(value=cst.SimpleString('"DEFAULT"'))
    return Student(
        call.with_changes(func=func, args=args),
        f"torchvision {student} (a smaller sibling of {builder})",
        pretrained=pretrained,
    )


def _hugging_face(context: RefactorContext, call: cst.Call, name: str) -> Student:
    first = argument(call, "pretrained_model_name_or_path", 0)
    checkpoint = string_value(first.value) if first is not None else None
    student = HF_CHECKPOINT_STUDENTS.get(checkpoint or "")
    if first is None or checkpoint is None or student is None:
        context.refuse(
            "no distilled sibling is known for the checkpoint"
            f" {checkpoint or context.short(call)!r}"
            f" (known: {', '.join(sorted(HF_CHECKPOINT_STUDENTS))})"
        )
    args = list(call.args)
    args[args.index(first)] = first.with_changes(value=cst.SimpleString(f'"{student}"'))
    new = call.with_changes(args=args)
    model_class = name.rsplit(".", 2)[-2]
    if model_class in HF_CLASS_STUDENTS and "distilbert" in student:
        replacement = HF_CLASS_STUDENTS[model_class]
        spelled = context.reference(f"transformers.{replacement}", call, from_import=True)
        assert isinstance(call.func, cst.Attribute)
        new = new.with_changes(func=call.func.with_changes(value=cst.parse_expression(spelled)))
        context.note(
            f"{replacement} takes no `token_type_ids`: drop them from the student's inputs"
            " if your batches carry them"
        )
    return Student(new, f"{student} (the distilled sibling of {checkpoint})", pretrained=True)


# -- narrower versions -------------------------------------------------------------------
def _scaled(value: int, width: float) -> int:
    return max(1, round(value * width))


def _with_value(arg: cst.Arg, value: int) -> cst.Arg:
    return arg.with_changes(value=cst.Integer(str(value)))


def _layer_name(context: RefactorContext, node: cst.BaseExpression) -> str | None:
    if not isinstance(node, cst.Call):
        return None
    for name in context.qualified_names(node.func):
        if name.startswith("torch.nn."):
            return name.rsplit(".", 1)[-1]
    return None


def _narrow_sequential(context: RefactorContext, call: cst.Call, width: float) -> Student:
    if any(arg.keyword is not None or arg.star for arg in call.args):
        context.refuse(f"`{context.short(call)}`: only Sequential(layer, layer, ...) is narrowed")
    layers = [arg.value for arg in call.args]
    kinds = [_layer_name(context, layer) for layer in layers]
    width_positions = [i for i, kind in enumerate(kinds) if kind in WIDTH_LAYERS]
    if len(width_positions) < 2:
        context.refuse(
            f"`{context.short(call)}` has a single Linear/Conv layer: no hidden width to narrow"
        )
    new_args = list(call.args)
    old_width: int | None = None
    new_width: int | None = None
    flattened = False
    teacher_count = student_count = 0
    for index, (layer, kind) in enumerate(zip(layers, kinds, strict=True)):
        assert isinstance(layer, cst.Call) or kind is None
        shown = context.short(layer)
        if kind in WIDTH_LAYERS:
            assert isinstance(layer, cst.Call)
            in_name, out_name = WIDTH_LAYERS[kind]
            in_arg, out_arg = argument(layer, in_name, 0), argument(layer, out_name, 1)
            in_value = context.int_constant(in_arg.value) if in_arg else None
            out_value = context.int_constant(out_arg.value) if out_arg else None
            if in_arg is None or out_arg is None or in_value is None or out_value is None:
                context.refuse(f"`{shown}`: layer sizes must be whole numbers to narrow them")
            new_in = in_value
            if old_width is not None and new_width is not None:
                if flattened and in_value % old_width == 0:
                    new_in = in_value // old_width * new_width
                elif in_value == old_width:
                    new_in = new_width
                else:
                    context.refuse(
                        f"`{shown}`: its input size {in_value} does not follow from the layer"
                        f" before ({old_width}), so the narrower sizes cannot be worked out"
                    )
            is_last = index == width_positions[-1]
            new_out = out_value if is_last else _scaled(out_value, width)
            replaced = [
                _with_value(a, new_in)
                if a is in_arg
                else _with_value(a, new_out)
                if a is out_arg
                else a
                for a in layer.args
            ]
            new_args[index] = new_args[index].with_changes(value=layer.with_changes(args=replaced))
            if kind == "Linear":
                teacher_count += in_value * out_value + out_value
                student_count += new_in * new_out + new_out
            old_width, new_width, flattened = out_value, new_out, False
        elif kind in NORM_LAYERS:
            assert isinstance(layer, cst.Call)
            size_arg = argument(layer, NORM_LAYERS[kind], 0)
            size = context.int_constant(size_arg.value) if size_arg else None
            if size_arg is None or size != old_width or new_width is None:
                context.refuse(f"`{shown}`: its size does not match the layer before it")
            replaced = [_with_value(a, new_width) if a is size_arg else a for a in layer.args]
            new_args[index] = new_args[index].with_changes(value=layer.with_changes(args=replaced))
        elif kind == "Flatten":
            flattened = True
        elif kind not in SHAPE_KEEPING_LAYERS:
            context.refuse(f"`{shown}`: cannot tell how this layer changes the width")
    only_linear = all(kinds[i] == "Linear" for i in width_positions)
    counts = (teacher_count, student_count) if only_linear else None
    return Student(
        call.with_changes(args=new_args),
        f"the same Sequential with hidden widths x{width:g}",
        counts,
    )


def _class_definition(context: RefactorContext, call: cst.Call) -> cst.FunctionDef | None:
    """The ``__init__`` of the class ``call`` builds, when the class is defined in this code."""
    if not isinstance(call.func, cst.Name):
        return None
    for node in context.nodes:
        if isinstance(node, cst.ClassDef) and node.name.value == call.func.value:
            body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
            for statement in body:
                if isinstance(statement, cst.FunctionDef) and statement.name.value == "__init__":
                    return statement
    return None


def _narrow_class(
    context: RefactorContext, call: cst.Call, init: cst.FunctionDef, width: float
) -> Student:
    positional = list(init.params.params)[1:]  # without self
    params = positional + list(init.params.kwonly_params)
    found: dict[str, cst.Arg] = {}
    defaults: dict[str, cst.BaseExpression] = {}
    for position, param in enumerate(params):
        name = param.name.value
        if name not in WIDTH_PARAMETERS and name not in HEAD_PARAMETERS:
            continue
        given = argument(call, name, position if param in positional else None)
        if given is not None:
            found[name] = given
        elif param.default is not None:
            defaults[name] = param.default
    if not any(name in WIDTH_PARAMETERS for name in [*found, *defaults]):
        context.refuse(
            f"`{call.func.value if isinstance(call.func, cst.Name) else context.short(call)}"
            f".__init__` takes no width argument ({', '.join(sorted(WIDTH_PARAMETERS)[:6])}...);"
            " add one, or write the student model yourself"
        )
    return _narrow_arguments(context, call, found, width, defaults)


def _scaled_value(
    context: RefactorContext, node: cst.BaseExpression, width: float, heads: int | None
) -> cst.BaseExpression | None:
    single = context.int_constant(node)
    if single is not None:
        new = _scaled(single, width)
        if heads:
            new = max(heads, new // heads * heads)
        return cst.Integer(str(new))
    if isinstance(node, (cst.List, cst.Tuple)):
        values = [context.int_constant(element.value) for element in node.elements]
        if values and all(v is not None for v in values):
            elements = [
                element.with_changes(value=cst.Integer(str(_scaled(v, width))))
                for element, v in zip(node.elements, values, strict=True)
                if v is not None
            ]
            return node.with_changes(elements=elements)
    return None


def _narrow_arguments(
    context: RefactorContext,
    call: cst.Call,
    given: dict[str, cst.Arg],
    width: float,
    defaults: dict[str, cst.BaseExpression] | None = None,
) -> Student:
    defaults = defaults or {}
    heads_node = next(
        (given[n].value for n in HEAD_PARAMETERS if n in given),
        next((defaults[n] for n in HEAD_PARAMETERS if n in defaults), None),
    )
    heads = context.int_constant(heads_node) if heads_node is not None else None
    args: list[cst.Arg] = list(call.args)
    appended: list[tuple[str, cst.BaseExpression]] = []
    changes: list[str] = []
    for name in sorted(WIDTH_PARAMETERS & (set(given) | set(defaults))):
        source = given[name].value if name in given else defaults[name]
        new = _scaled_value(context, source, width, heads)
        if new is None:
            context.refuse(f"`{name}={context.short(source)}` is not a number that can be scaled")
        changes.append(f"{name} {context.short(source)} -> {context.code(new)}")
        if name in given:
            args[args.index(given[name])] = given[name].with_changes(value=new)
        else:
            appended.append((name, new))
    student = call.with_changes(args=args)
    for name, value in appended:
        student = append_keyword(student, name, value)
    return Student(student, f"the same model, narrower ({', '.join(changes)})")
