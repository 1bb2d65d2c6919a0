"""The program model: default-path values, effects across calls, evidence in every output."""

from __future__ import annotations

import json
from pathlib import Path

import libcst as cst
import pytest

from green_assist.analysis import Config, analyze_cells, analyze_path, analyze_source
from green_assist.analysis.context import RuleContext
from green_assist.analysis.defaults import defaults_of
from green_assist.analysis.effects import effects_of
from green_assist.analysis.formats import render_sarif
from green_assist.analysis.names import ImportTable, NameResolver
from green_assist.analysis.program import Program, ProgramBuilder
from green_assist.analysis.rows import rows_of
from green_assist.analysis.walker import walk

CORPUS = Path(__file__).resolve().parents[2] / "bench" / "data" / "corpus"


def build(text: str) -> tuple[Program, cst.Module]:
    module = cst.parse_module(text)
    context = RuleContext(module, text, "<test>", NameResolver(ImportTable.build(module)))
    builder = ProgramBuilder(context.names)
    walk(module, [builder], context)
    return builder.program, module


def value_at_end(text: str, expression: str) -> object:
    program, _ = build(text)
    found = defaults_of(program).value(cst.parse_expression(expression), program.module)
    return None if found is None else found.value


@pytest.mark.parametrize(
    ("text", "expression", "expected"),
    [
        ('p.add_argument("--log-interval", type=int, default=1)\n', "args.log_interval", 1),
        ('p.add_argument("--amp", action="store_true")\n', "opts.amp", False),
        ('p.add_argument("-b", "--batch-size", dest="bs", default=8)\n', "a.bs", 8),
        ("STEPS = 2_000\nTOTAL = STEPS * 3\n", "TOTAL", 6000),
        ('cfg = {"print_every": 1}\n', 'cfg["print_every"]', 1),
        ("cfg = dict(every=5)\n", 'cfg.get("every", 1)', 5),
        ('cfg = {"a": 1}\n', 'cfg.get("missing", 7)', 7),
        ("@dataclass\nclass C:\n    every: int = field(default=3)\nc = C()\n", "c.every", 3),
        ("class C:\n    every = 4\nc = C(every=9)\n", "c.every", 9),
        ('rank = int(os.environ.get("RANK", -1))\nddp = rank != -1\n', "ddp", False),
        # The branch that runs decides: the environment is empty on the default path.
        (
            'ddp = os.getenv("WORLD") is not None\nif ddp:\n    main = x\nelse:\n    main = True\n',
            "main",
            True,
        ),
        ("n = 10\nfor i in range(3):\n    n += 1\n", "n", None),  # rebound in a loop
        ("def f(every=1):\n    return every\n", "step % 1 == 0", True),
        ('mode = "scratch"\n', 'mode == "scratch" and 5 > 2', True),
    ],
)
def test_default_path_values(text: str, expression: str, expected: object) -> None:
    assert value_at_end(text, expression) == expected


def test_parameters_take_the_value_every_caller_passes() -> None:
    program, _ = build(
        "def train_iters(n_iters, print_every=1000):\n"
        "    for it in range(n_iters):\n"
        "        pass\n"
        "train_iters(75000, print_every=5000)\n"
        "train_iters(75000, print_every=5000)\n"
    )
    scope = program.functions_named("train_iters")[0]
    defaults = defaults_of(program)
    assert defaults.value(cst.Name("n_iters"), scope).value == 75000  # type: ignore[union-attr]
    assert defaults.value(cst.Name("print_every"), scope).value == 5000  # type: ignore[union-attr]
    other, _ = build("def f(n=3):\n    return n\nf(1)\nf(2)\n")
    assert defaults_of(other).value(cst.Name("n"), other.functions_named("f")[0]) is None


def test_step_loops_and_syncs_across_calls() -> None:
    program, module = build(
        "def accuracy_fn(y, p):\n"
        "    return (y == p).sum().item()\n"
        "def step(x, y):\n"
        "    loss = model(x).sum()\n"
        "    loss.backward()\n"
        "    return loss\n"
        "def train():\n"
        "    for x, y in loader:\n"
        "        step(x, y)\n"
        "        acc = accuracy_fn(y, x)\n"
        "for epoch in range(3):\n"
        "    train()\n"
    )
    effects = effects_of(program)
    train = program.functions_named("train")[0]
    (inner,) = train.loops
    (outer,) = program.module.loops
    assert effects.is_step_loop(inner) and not effects.is_step_loop(outer)
    assert effects.inner_step_loop(outer) is not None  # an epoch loop around train()'s steps
    (chain,) = effects.syncs_per_call(program.functions_named("accuracy_fn")[0])
    assert module.code_for_node(chain[-1].node) == "(y == p).sum().item()"


def test_autograd_off_at_every_caller_and_flow_into_backward() -> None:
    program, module = build(
        "def evaluate(net, data):\n"
        "    net.eval()\n"
        "    return [net(x) for x in data]\n"
        "with torch.no_grad():\n"
        "    evaluate(model, val)\n"
        "for i, x in enumerate(loader):\n"
        "    fake = G(z)\n"
        "    loss = D(fake).mean()\n"
        "    loss.backward()\n"
        "    if i % 100 == 0:\n"
        "        fake = G(fixed)\n"
        "        save(fake)\n"
    )
    effects = effects_of(program)
    assert effects.scope_grad_off(program.functions_named("evaluate")[0])
    calls = {module.code_for_node(s.node): s for s in program.module.sites}
    assert effects.feeds_training(calls["G(z)"])
    assert not effects.feeds_training(calls["G(fixed)"])  # replaced before the next backward


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("X, y = make_blobs(n_samples=3000)\nX = torch.from_numpy(X).float()\n", 3000),
        ("X = torch.randn(5000, 2)\nX_train = X[: int(0.8 * len(X))]\n", 4000),
        ("X, y = make_moons()\n", 100),
        (
            "X = torch.rand(1000, 3)\n"
            "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)\n"
            "X_train = X_train.to(device)\n",
            800,
        ),
    ],
)
def test_rows_of_training_tensors(text: str, rows: int) -> None:
    program, _ = build(text)
    name = "X_train" if "X_train" in text else "X"
    found = rows_of(cst.Name(name), program.module, program)
    assert found is not None and found.value == rows


def test_a_helper_in_another_cell_is_related_in_json_and_sarif() -> None:
    cells = [
        {"cell_type": "markdown", "source": "# metrics"},
        "def accuracy_fn(y_true, y_pred):\n    return torch.eq(y_true, y_pred).sum().item()\n",
        "for x, y in loader:\n"
        "    out = model(x)\n"
        "    criterion(out, y).backward()\n"
        "    optimizer.step()\n"
        "    acc = accuracy_fn(y, out.argmax(1))\n",
    ]
    result = analyze_cells(cells, "nb.ipynb", Config().with_overrides(select=["GA108"]))
    (finding,) = result.findings
    assert (finding.cell, finding.line) == (2, 5)
    (related,) = finding.to_dict()["related"]
    assert related["cell"] == 1 and related["line"] == 2 and related["column"] == 12
    assert related["function"] == "accuracy_fn"
    sarif = json.loads(render_sarif([result]))
    (location,) = sarif["runs"][0]["results"][0]["relatedLocations"]
    assert location["physicalLocation"]["region"]["startLine"] == 2
    assert "notebook cell 2" in location["message"]["text"]


def test_a_guard_that_holds_every_step_points_at_the_default() -> None:
    text = (
        "import argparse\n"
        "def train(args):\n"
        "    for step, (x, y) in enumerate(loader):\n"
        "        loss = criterion(model(x), y)\n"
        "        loss.backward()\n"
        "        optimizer.step()\n"
        "        if step % args.log_interval == 0:\n"
        "            print(loss.item())\n"
        "parser = argparse.ArgumentParser()\n"
        'parser.add_argument("--log-interval", type=int, default=1)\n'
        "train(parser.parse_args())\n"
    )
    (finding,) = analyze_source(text, config=Config().with_overrides(select=["GA108"])).findings
    assert finding.line == 8 and "`--log-interval` defaults to 1" in finding.message
    assert [(r.line, r.column) for r in finding.related] == [(10, 49)]
    quiet = text.replace("default=1", "default=50")
    assert analyze_source(quiet, config=Config().with_overrides(select=["GA108"])).findings == []


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".py", ".ipynb"))


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus_programs_get_exactly_their_labels(path: Path) -> None:
    """The labelled corpus (bench/recall.py) doubles as whole-program fixtures."""
    import re

    marker = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text())["cells"]
        sources = [(i, "".join(c["source"])) for i, c in enumerate(cells)]
    else:
        sources = [(None, path.read_text())]
    wanted = {
        (cell, number, code.strip())
        for cell, text in sources
        for number, line in enumerate(text.splitlines(), start=1)
        for match in [marker.search(line)]
        if match
        for code in match.group(1).split(",")
        if code.strip()
    }
    result = analyze_path(path, Config())
    assert [e for e in result.errors if e.blocking] == []
    found = {(f.cell, f.line, f.code) for f in result.findings}
    assert found == wanted


def test_one_finding_per_helper_call_lists_every_sync_it_reaches() -> None:
    # Fixing the first sync alone would leave the others: the evidence names them all.
    source = (
        "import torch\n"
        "def losses(batch):\n"
        "    q1, q2 = critic(batch)\n"
        "    info = dict(Q1=q1.detach().cpu().numpy(), Q2=q2.detach().cpu().numpy())\n"
        "    return (q1 - q2).pow(2).mean(), info\n"
        "def update(batch):\n"
        "    loss, info = losses(batch)\n"
        "    optimizer.zero_grad()\n"
        "    loss.backward()\n"
        "    optimizer.step()\n"
        "    log.store(loss=loss.item(), **info)\n"
        "for step in range(10000):\n"
        "    update(buffer.sample(256).to('cuda'))\n"
    )
    (finding,) = [f for f in analyze_source(source).findings if f.code == "GA108"]
    assert finding.line == 13
    synced = sorted(
        (r.line, r.message.split("`")[1]) for r in finding.related if "host" in r.message
    )
    assert synced == [
        (4, "q1.detach().cpu().numpy()"),
        (4, "q2.detach().cpu().numpy()"),
        (11, "loss.item()"),
    ]
