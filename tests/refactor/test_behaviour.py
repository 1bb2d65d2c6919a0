"""What the refactors promise beyond the fixtures: findings answered, imports, devices, cells."""

from collections import Counter

import pytest

from green_assist.analysis import Config, analyze_path
from green_assist.refactor import REFACTORS, OptionError, refactor_cells, refactor_text
from green_assist.target import AUTOCAST_HELPER

from .conftest import FIXTURES, companion

# Findings a refactor deliberately leaves: (fixture, code) -> how many remain.
LEFT_ALONE = {
    ("pretrained/hugging_face_config", "GA105"): 1,  # BertModel(BertConfig(hidden_size=128))
    ("efficient-attention/local_mask", "GA116"): 1,  # a boolean and an additive mask together
}


def _answered_pairs():
    # grad-accumulation keeps the effective batch, so GA113 may stay: it is not listed.
    for name in ("mixed-precision", "pretrained", "quantize", "efficient-attention"):
        for path in sorted((FIXTURES / name).glob("*.in.*")):
            out = companion(path, "out")
            if out.exists() and "quantize_dynamic" not in path.read_text():
                yield pytest.param(name, path, out, id=f"{name}/{path.name}")


@pytest.mark.parametrize(("name", "before", "after"), list(_answered_pairs()))
def test_refactor_answers_its_findings(name, before, after):
    codes = REFACTORS[name].answers
    config = Config().with_overrides(select=list(codes))
    found_before = Counter(f.code for f in analyze_path(before, config).findings)
    found_after = Counter(f.code for f in analyze_path(after, config).findings)
    stem = f"{name}/{before.name.split('.in.')[0]}"
    for code in codes:
        assert found_after[code] == LEFT_ALONE.get((stem, code), 0), (code, found_before)


def test_ga101_is_gone_after_mixed_precision_on_every_training_fixture():
    for path in (FIXTURES / "mixed-precision").glob("*.in.*"):
        out = companion(path, "out")
        if out.exists():
            result = analyze_path(out, Config().with_overrides(select=["GA101"]))
            assert result.findings == [], out.name


LOOP = """\
for x, y in loader:
    out = net(x.to(device))
    loss = crit(out, y.to(device))
    loss.backward()
    opt.step()
"""


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ('import torch\ndevice = torch.device("cuda:1")\n', "autocast(device.type, "),
        ('import torch\ndevice = "cuda:1"\n', 'autocast("cuda", '),
        ('import torch\ndevice = "mps" if ok else "cpu"\n', "autocast(device, "),
        ("import torch\ndevice = args.device\n", "autocast(torch.device(device).type, "),
    ],
)
def test_device_type_comes_from_the_code(setup, expected):
    result = refactor_text("mixed-precision", setup + LOOP)
    assert expected in result.text


def test_cuda_calls_mean_cuda():
    code = "import torch\nnet = Net().cuda()\n" + LOOP.replace(".to(device)", ".cuda()")
    assert 'autocast("cuda", ' in refactor_text("mixed-precision", code).text


def test_device_option_wins_and_no_device_means_cpu():
    code = "import torch\n" + LOOP.replace(".to(device)", "")
    assert 'torch.autocast("cpu", ' in refactor_text("mixed-precision", code).text
    forced = refactor_text("mixed-precision", code, options={"device": "xpu"})
    assert 'torch.autocast("xpu", ' in forced.text


@pytest.mark.parametrize(
    ("setup", "spelled"),
    [
        (
            'import torch as th\ndevice = th.device("cuda")\n',
            "with th.autocast(device.type, dtype=amp_dtype, enabled=amp_dtype is not None):",
        ),
        (
            'import torch\nfrom torch import autocast\ndevice = torch.device("cuda")\n',
            "with autocast(device.type, dtype=amp_dtype, enabled=amp_dtype is not None):",
        ),
    ],
)
def test_names_are_spelled_through_existing_aliases(setup, spelled):
    text = refactor_text("mixed-precision", setup + LOOP).text
    assert spelled in text
    assert text.count("import") == setup.count("import")  # no import added


def test_missing_import_goes_after_the_docstring_and_imports():
    code = '"""Doc."""\nfrom torch import nn, optim\n\nx = 1\n' + LOOP
    text = refactor_text("mixed-precision", code).text
    assert text.startswith(
        '"""Doc."""\nfrom torch import nn, optim\nimport torch\n\n\ndef autocast_dtype('
    )
    assert "\n\nx = 1\n" in text


def test_notebook_import_goes_into_the_cell_that_needs_it():
    cells = ["%load_ext autoreload\nfrom torch import nn", "model = nn.Linear(2, 2)\nmodel.eval()"]
    result = refactor_cells("quantize", cells, options={"backend": "quantize_dynamic"})
    assert [c.index for c in result.cells] == [1]
    assert result.cells[0].new.startswith("import torch\nmodel = nn.Linear(2, 2)\nmodel.eval()\n")


def test_cell_limits_the_refactor_to_one_cell():
    cells = ["import torch\nmodel = Net().cuda()", LOOP.replace("net", "model"), LOOP]
    only_third = refactor_cells("mixed-precision", cells, cell=2)
    assert [c.index for c in only_third.cells] == [2]
    both = refactor_cells("mixed-precision", cells)
    assert [c.index for c in both.cells] == [1, 2]


def test_comments_and_formatting_outside_the_change_are_kept():
    code = (
        "import torch  # the framework\n\n\n"
        "# Training\n"
        "for x, y in loader:  # one epoch\n"
        "    out = model( x )   # odd spacing stays\n"
        "    loss = crit(out,y)\n"
        "    loss.backward()\n"
        "    opt.step()\n"
    )
    text = refactor_text("mixed-precision", code, options={"dtype": "bf16"}).text
    assert text == (
        "import torch  # the framework\n\n\n" + AUTOCAST_HELPER + "\n\n# Training\n"
        'amp_dtype = autocast_dtype("cpu", allowed=(torch.bfloat16,))\n'
        "for x, y in loader:  # one epoch\n"
        '    with torch.autocast("cpu", dtype=amp_dtype, enabled=amp_dtype is not None):\n'
        "        out = model( x )   # odd spacing stays\n"
        "        loss = crit(out,y)\n"
        "    loss.backward()\n"
        "    opt.step()\n"
    )


def test_unknown_refactor_and_bad_options_raise_clear_errors():
    with pytest.raises(KeyError, match="refactors: mixed-precision, quantize, distill"):
        refactor_text("faster", "x = 1\n")
    with pytest.raises(OptionError, match="between 0 and 1"):
        refactor_text("distill", "x = 1\n", options={"width": "2"})


def test_syntax_errors_are_reported_not_raised():
    result = refactor_text("pretrained", "model = (\n")
    assert result.status == "error"
    assert result.errors[0].line == 1
    assert "fix it first" in result.reason


def test_quantize_notes_state_coverage_and_trade_off():
    code = "import torch\nmodel = build()\nmodel.eval()\nnn = torch.nn.Conv2d(1, 1, 1)\n"
    dynamic = refactor_text("quantize", code, options={"backend": "quantize_dynamic"})
    assert any("Conv2d stay in float" in note for note in dynamic.notes)
    torchao = refactor_text("quantize", code, options={"backend": "torchao"})
    assert any("unless the model is compiled" in note for note in torchao.notes)
    assert "quantize_(model, Int8DynamicActivationInt8WeightConfig())" in torchao.text


def test_distill_sends_weights_loaded_before_training_to_the_teacher_only():
    code = (
        "import torch\n"
        "model = torch.nn.Sequential(torch.nn.Linear(4, 64), torch.nn.Linear(64, 2))\n"
        'model.load_state_dict(torch.load("big.pt"))\n'
        "opt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
        "for x, y in data:\n"
        "    loss = torch.nn.functional.cross_entropy(model(x), y)\n"
        "    loss.backward()\n"
        "    opt.step()\n"
        'model.load_state_dict(torch.load("best_student.pt"))\n'
    )
    text = refactor_text("distill", code).text
    assert 'teacher.load_state_dict(torch.load("big.pt"))' in text
    assert text.endswith('model.load_state_dict(torch.load("best_student.pt"))\n')


def test_distill_says_what_a_training_step_costs_before_it_is_applied():
    """The teacher's forward pass runs every step: the note estimates the step's cost
    from the Linear parameters (1/3 + student/teacher: 0.59x here; bench/distill_cost.py
    measured 0.59-0.67x on a CPU) and says when training gets slower."""
    small = refactor_text("distill", (FIXTURES / "distill" / "sequential_mlp.in.py").read_text())
    (cost,) = [note for note in small.notes if "teacher's forward pass" in note]
    student_share = 71_682 / 274_434  # the note's own parameter counts
    assert f"{1 / 3 + student_share:.2f}x the teacher's" in cost
    assert "training is faster" in cost
    wide = refactor_text(
        "distill",
        (FIXTURES / "distill" / "sequential_mlp.in.py").read_text(),
        options={"width": 0.9},
    )
    (cost,) = [note for note in wide.notes if "teacher's forward pass" in note]
    assert "training is slower" in cost


def test_quantize_on_a_cpu_uses_the_int8_kernels_that_pay_off_there():
    from green_assist.target import Target, parse_target

    code = (
        'import torch\ndevice = "cuda" if torch.cuda.is_available() else "cpu"\n'
        "model = Net().to(device)\nmodel.eval()\n"
        "with torch.no_grad():\n    out = model(x.to(device))\n"
    )
    cpu = Target.from_hardware({"cpu_model": "AMD EPYC", "cpu_fast_bf16": None})
    result = refactor_text("quantize", code, target=cpu)
    assert "quantize_dynamic(" in result.text and "quantize_(" not in result.text
    assert any("torchao's int8 runs slower than FP32" in note for note in result.notes)
    cuda = refactor_text("quantize", code, target=parse_target("cuda"))
    if "torchao" in cuda.notes[0]:  # torchao installed: the GPU target gets it
        assert "quantize_(" in cuda.text
