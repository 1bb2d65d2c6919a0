"""Hypothesis strategies for ML programs that reach the refactors' transforms.

Random Python (hypothesmith) almost never holds a training loop, so every refactor
refuses it before doing anything. These strategies build programs the way people
write them: imports, a device, a model (a ``Sequential`` or a class, some with
written-out attention), data loaders, an optimizer, a training loop in many shapes
(plain, in a function, GAN-style with two models, gradient accumulation, clipping,
an existing autocast or scaler), evaluation under ``no_grad``, inference after
``eval()``, framework trainers. Each part varies in names, order and details.

Used by ``tests/refactor/test_fuzz.py`` (a few hundred programs per run) and
``bench/fuzz.py`` (thousands, with counts of what each refactor did).
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

MODEL_NAMES = ("model", "net", "classifier", "encoder", "policy")
OPTIMIZER_NAMES = ("optimizer", "opt", "optim_g", "sgd")
LOADER_NAMES = ("loader", "train_loader", "dl", "batches")
LOSS_NAMES = ("loss", "l", "train_loss")
DEVICE_LINES = (
    "",
    'device = "cuda"\n',
    'device = torch.device("cuda" if torch.cuda.is_available() else "cpu")\n',
    'device = "cuda" if torch.cuda.is_available() else "cpu"\n',
    'device = torch.device("cpu")\n',
    "device = args.device\n",
)
OPTIMIZERS = (
    "torch.optim.SGD({params}, lr=0.1)",
    "torch.optim.Adam({params}, lr=1e-3)",
    "torch.optim.AdamW({params}, lr=3e-4, weight_decay=0.01)",
)
LOSSES = (
    "criterion({out}, {y})",
    "F.cross_entropy({out}, {y})",
    "nn.functional.mse_loss({out}, {y})",
    "({out} - {y}).pow(2).mean()",
)


@dataclass(frozen=True)
class Program:
    """A generated program and what it contains (for the statistics of bench/fuzz.py)."""

    text: str
    parts: tuple[str, ...]


identifiers = st.sampled_from(("x", "inputs", "batch", "xb", "features"))
targets = st.sampled_from(("y", "labels", "target", "yb"))


@st.composite
def layers(draw: st.DrawFn, kind: str) -> str:
    """A Sequential's layers: linear, convolutional or recurrent, with activations."""
    count = draw(st.integers(1, 4))
    parts = []
    width = 3 if kind == "conv" else 8
    for _ in range(count):
        wider = draw(st.sampled_from((8, 16, 32, 64)))
        if kind == "conv":
            parts.append(f"nn.Conv2d({width}, {wider}, 3, padding=1)")
            if draw(st.booleans()):
                parts.append(f"nn.BatchNorm2d({wider})")
        elif kind == "recurrent":
            parts.append(f"nn.LSTM({width}, {wider})")
        else:
            parts.append(f"nn.Linear({width}, {wider})")
        parts.append(draw(st.sampled_from(("nn.ReLU()", "nn.GELU()", "nn.Tanh()"))))
        width = wider
    if kind == "conv" and draw(st.booleans()):
        parts += ["nn.Flatten()", "nn.LazyLinear(10)"]
    elif kind == "linear":
        parts.append(f"nn.Linear({width}, 10)")
    return ", ".join(parts)


@st.composite
def attention_class(draw: st.DrawFn, name: str) -> str:
    """A module with written-out attention (what efficient-attention rewrites)."""
    scale = draw(st.sampled_from(("self.head_dim ** -0.5", "1 / math.sqrt(self.head_dim)")))
    mask = draw(st.booleans())
    dropout = draw(st.booleans())
    lines = [
        f"class {name}(nn.Module):",
        "    def __init__(self, dim=64, heads=4):",
        "        super().__init__()",
        "        self.heads, self.head_dim = heads, dim // heads",
        "        self.qkv = nn.Linear(dim, 3 * dim)",
        "        self.out = nn.Linear(dim, dim)",
        *(["        self.drop = nn.Dropout(0.1)"] if dropout else []),
        "",
        "    def forward(self, x):",
        "        b, t, d = x.shape",
        "        q, k, v = self.qkv(x).view(b, t, 3, self.heads, self.head_dim).unbind(2)",
        "        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)",
        f"        scores = q @ k.transpose(-2, -1) * ({scale})",
        *(
            [
                "        causal = torch.tril(torch.ones(t, t, dtype=torch.bool, device=x.device))",
                '        scores = scores.masked_fill(~causal, float("-inf"))',
            ]
            if mask
            else []
        ),
        "        weights = scores.softmax(dim=-1)",
        *(["        weights = self.drop(weights)"] if dropout else []),
        "        y = (weights @ v).transpose(1, 2).reshape(b, t, d)",
        "        return self.out(y)",
        "",
        "",
    ]
    return "\n".join(lines)


@st.composite
def model_definition(draw: st.DrawFn, model: str) -> tuple[str, str, str]:
    """(definitions, construction line, kind) for one model."""
    kind = draw(st.sampled_from(("linear", "linear", "conv", "recurrent", "attention", "library")))
    if kind == "attention":
        cls = draw(st.sampled_from(("SelfAttention", "Attention", "Block")))
        return draw(attention_class(cls)), f"{model} = {cls}()", kind
    if kind == "library":
        line = draw(
            st.sampled_from(
                (
                    f"{model} = torchvision.models.resnet18()",
                    f"{model} = torchvision.models.resnet50(num_classes=10)",
                    f"{model} = timm.create_model('resnet18')",
                    f"{model} = AutoModelForSequenceClassification.from_config(config)",
                )
            )
        )
        return "", line, kind
    body = draw(layers("recurrent" if kind == "recurrent" else kind))
    if kind != "recurrent" and draw(st.booleans()):
        cls = draw(st.sampled_from(("Net", "Classifier", "MLP")))
        definition = (
            f"class {cls}(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            f"        self.body = nn.Sequential({body})\n\n"
            "    def forward(self, x):\n"
            "        return self.body(x)\n\n\n"
        )
        return definition, f"{model} = {cls}()", kind
    return "", f"{model} = nn.Sequential({body})", kind


@st.composite
def device_move(draw: st.DrawFn, device_line: str) -> str:
    if device_line:
        return draw(st.sampled_from((".to(device)", "")))
    return draw(st.sampled_from(("", "", ".cuda()")))


@st.composite
def training_step(
    draw: st.DrawFn, model: str, optimizer: str, x: str, y: str, move: str, indent: str
) -> list[str]:
    """The body of one training iteration."""
    out = draw(st.sampled_from(("out", "logits", "pred", "outputs")))
    loss = draw(st.sampled_from(LOSS_NAMES))
    formula = draw(st.sampled_from(LOSSES)).format(out=out, y=y)
    lines = []
    if move:
        lines.append(f"{x}, {y} = {x}{move}, {y}{move}")
    zero_first = draw(st.booleans())
    if zero_first:
        lines.append(f"{optimizer}.zero_grad()")
    if draw(st.booleans()):
        lines += [f"{out} = {model}({x})", f"{loss} = {formula}"]
    else:
        lines.append(f"{loss} = {formula.replace(out, f'{model}({x})')}")
    lines.append(f"{loss}.backward()")
    if draw(st.booleans()):
        clip = draw(st.sampled_from(("nn.utils.clip_grad_norm_", "torch.nn.utils.clip_grad_norm_")))
        lines.append(f"{clip}({model}.parameters(), 1.0)")
    lines.append(f"{optimizer}.step()")
    if not zero_first:
        lines.append(f"{optimizer}.zero_grad()")
    if draw(st.booleans()):
        lines.append(f'print(f"{{{loss}.item():.3f}}")')
    return [indent + line for line in lines]


@st.composite
def gan_step(draw: st.DrawFn, x: str, move: str, indent: str) -> list[str]:
    """Two models, two optimizers, two or three backward passes per iteration."""
    lines = [
        *([f"{x} = {x}{move}"] if move else []),
        "noise = torch.randn(x.size(0), 16)".replace("x.size", f"{x}.size"),
        "fake = generator(noise)",
        "d_opt.zero_grad()",
        f"real_loss = bce(discriminator({x}), torch.ones({x}.size(0), 1))",
        f"fake_loss = bce(discriminator(fake.detach()), torch.zeros({x}.size(0), 1))",
    ]
    if draw(st.booleans()):
        lines += ["d_loss = real_loss + fake_loss", "d_loss.backward()"]
    else:
        lines += ["real_loss.backward()", "fake_loss.backward()"]
    lines += [
        "d_opt.step()",
        "g_opt.zero_grad()",
        f"g_loss = bce(discriminator(fake), torch.ones({x}.size(0), 1))",
        "g_loss.backward()",
        "g_opt.step()",
    ]
    return [indent + line for line in lines]


GAN_SETUP = """\
generator = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 32))
discriminator = nn.Sequential(nn.Linear(32, 64), nn.LeakyReLU(0.2), nn.Linear(64, 1))
bce = nn.BCEWithLogitsLoss()
g_opt = torch.optim.Adam(generator.parameters(), lr=2e-4)
d_opt = torch.optim.Adam(discriminator.parameters(), lr=2e-4)
"""


@st.composite
def evaluation(draw: st.DrawFn, model: str, x: str, y: str, move: str, indent: str) -> list[str]:
    lines = [f"{model}.eval()", "with torch.no_grad():"]
    loop = f"    for {x}, {y} in val_loader:"
    pred = draw(st.sampled_from(("pred", "scores", "out")))
    lines += [loop, f"        {pred} = {model}({x}{move})"]
    if draw(st.booleans()):
        lines.append(f"        correct += ({pred}.argmax(1) == {y}{move}).sum().item()")
    return [indent + line for line in lines]


@st.composite
def programs(draw: st.DrawFn) -> Program:
    """One whole training (and maybe evaluation or inference) script."""
    parts: list[str] = []
    model = draw(st.sampled_from(MODEL_NAMES))
    optimizer = draw(st.sampled_from(OPTIMIZER_NAMES))
    loader = draw(st.sampled_from(LOADER_NAMES))
    x, y = draw(identifiers), draw(targets)
    device_line = draw(st.sampled_from(DEVICE_LINES))
    move = draw(device_move(device_line))
    definitions, construction, kind = draw(model_definition(model))
    parts.append(kind)
    header = [
        "import math",
        "import torch",
        "import torch.nn as nn",
        "import torch.nn.functional as F",
        "from torch.utils.data import DataLoader",
    ]
    if kind == "library":
        header += ["import timm", "import torchvision"]
        header.append("from transformers import AutoModelForSequenceClassification")
    text = "\n".join(header) + "\n\n" + device_line + "\n" + definitions
    model_move = move if move != ".to(device)" else draw(st.sampled_from((".to(device)", "")))
    text += f"{construction}{model_move}\n"
    make_optimizer = draw(st.sampled_from(OPTIMIZERS)).format(params=f"{model}.parameters()")
    text += f"{optimizer} = {make_optimizer}\n"
    text += "criterion = nn.CrossEntropyLoss()\n"
    workers = draw(st.sampled_from(("", ", num_workers=4", ", num_workers=0, pin_memory=True")))
    batch = draw(st.sampled_from((32, 64, 256)))
    text += f"{loader} = DataLoader(dataset, batch_size={batch}, shuffle=True{workers})\n"
    text += "val_loader = DataLoader(val_set, batch_size=256)\n"
    gan = draw(st.integers(0, 4)) == 0
    if gan:
        parts.append("gan")
        text += GAN_SETUP
    shape = draw(st.sampled_from(("loop", "loop", "function", "accumulate")))
    parts.append(shape)
    epochs = draw(st.sampled_from(("range(3)", "range(epochs)", "range(args.epochs)")))
    if shape == "function":
        body_indent = " " * 12
        step = (
            draw(gan_step(x, move, body_indent))
            if gan
            else draw(training_step(model, optimizer, x, y, move, body_indent))
        )
        text += f"\n\ndef train({model}, {loader}, {optimizer}, epochs):\n"
        if draw(st.booleans()):
            text += f"    {model}.train()\n"
        text += f"    for epoch in {epochs}:\n        for {x}, {y} in {loader}:\n"
        text += "\n".join(step) + "\n"
        text += f"\n\ntrain({model}, {loader}, {optimizer}, 3)\n"
    elif shape == "accumulate":
        steps = draw(st.sampled_from((2, 4, 8)))
        text += f"for epoch in {epochs}:\n    for i, ({x}, {y}) in enumerate({loader}):\n"
        if move:
            text += f"        {x}, {y} = {x}{move}, {y}{move}\n"
        text += (
            f"        loss = criterion({model}({x}), {y}) / {steps}\n"
            "        loss.backward()\n"
            f"        if (i + 1) % {steps} == 0:\n"
            f"            {optimizer}.step()\n"
            f"            {optimizer}.zero_grad()\n"
        )
    else:
        step = (
            draw(gan_step(x, move, " " * 8))
            if gan
            else draw(training_step(model, optimizer, x, y, move, " " * 8))
        )
        text += f"for epoch in {epochs}:\n"
        if draw(st.booleans()):
            text += f"    {model}.train()\n"
        text += f"    for {x}, {y} in {loader}:\n" + "\n".join(step) + "\n"
    after = draw(st.sampled_from(("", "eval", "eval", "inference", "checkpoint")))
    parts.append(after or "nothing-after")
    if after == "eval":
        text += "\ncorrect = 0\n" + "\n".join(draw(evaluation(model, x, y, move, ""))) + "\n"
    elif after == "inference":
        text += (
            f"\n{model}.eval()\nwith torch.no_grad():\n"
            f"    predictions = {model}(test_batch{move})\n"
        )
    elif after == "checkpoint":
        text += f'\ntorch.save({model}.state_dict(), "model.pt")\n'
    if draw(st.integers(0, 5)) == 0:
        parts.append("framework")
        text += draw(
            st.sampled_from(
                (
                    "\nfrom transformers import Trainer, TrainingArguments\n"
                    'arguments = TrainingArguments(output_dir="out", num_train_epochs=1)\n'
                    "Trainer(model=hf_model, args=arguments).train()\n",
                    '\nimport lightning as L\nfabric = L.Fabric(accelerator="cuda", devices=1)\n',
                    "\nfrom accelerate import Accelerator\naccelerator = Accelerator()\n",
                )
            )
        )
    return Program(text, tuple(parts))
