"""Refactored training scripts still run (CPU, a few steps) and do what the refactor promises.

Scripts in ``scripts/`` are written as a user would. Each is refactored, then the
originals and the results all run in one fresh interpreter (``scripts/harness.py``,
which records the output dtype of every Linear layer and whether autocast was on):
mixed precision must compute in bfloat16 under autocast (backward and optimizer step
outside it) on a CPU with bf16 units, and keep FP32 with autocast off on a CPU without
them - the CPU's capability is faked at torch's own probe to run both branches;
quantized outputs must stay close with a smaller state dict, and a distilled student
must be smaller and learn, and fused attention must give the
outputs and gradients of the attention it replaces.
"""

import contextlib
import importlib.util
import json
import re
import shutil

import pytest

from green_assist.analysis import Config, analyze_path
from green_assist.refactor import refactor_path

from .conftest import SCRIPTS, run_script

pytest.importorskip("torch")
pytestmark = [pytest.mark.torch, pytest.mark.slow]

HAS_TORCHAO = importlib.util.find_spec("torchao") is not None
# CPUs to run the mixed-precision results on: without bf16 units, with AVX-512 BF16, with AMX.
CPU_KINDS = ("none", "avx512_bf16", "amx_bf16")
# (script, refactor, options) to refactor and run.
CASES = [
    ("train_classifier.py", "mixed-precision", {}),
    ("train_classifier.py", "mixed-precision", {"dtype": "fp16"}),
    ("predict.py", "quantize", {"backend": "quantize_dynamic"}),
    *([("predict.py", "quantize", {"backend": "torchao"})] if HAS_TORCHAO else []),
    ("distill_mlp.py", "distill", {}),
    ("distill_class.py", "distill", {}),
    ("attention_modules.py", "efficient-attention", {}),
    ("train_large_batch.py", "grad-accumulation", {}),
    ("prune_cnn.py", "prune", {"amount": "0.5"}),
]


def _label(script, name, options):
    return "_".join([script.removesuffix(".py"), name, *options.values()])


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Refactor every case, run originals and results once; records by label."""
    folder = tmp_path_factory.mktemp("execution")
    specs, paths = [], {}
    for script in sorted({case[0] for case in CASES}):
        shutil.copy(SCRIPTS / script, folder / script)
        paths[script.removesuffix(".py")] = folder / script
    for script, name, options in CASES:
        result = refactor_path(name, folder / script, options)
        assert result.status == "changed", result.reason
        label = _label(script, name, options)
        paths[label] = folder / f"{label}.py"
        paths[label].write_text(result.text, encoding="utf-8")
    for label, path in paths.items():
        output = folder / label
        output.mkdir()
        specs.append(f"{path}::{output}")
    # Mixed precision once more on each kind of CPU (faked at torch's capability probe).
    runs_on = {}
    for label in [label for label in paths if "mixed-precision" in label]:
        for bf16 in CPU_KINDS:
            output = folder / f"{label}-{bf16}"
            output.mkdir()
            specs.append(f"{paths[label]}::{output}::{bf16}")
            runs_on[f"{label}@{bf16}"] = (f"{paths[label]}::{bf16}", output)
    result = folder / "records.json"
    run_script(SCRIPTS / "harness.py", str(result), *specs)
    records = json.loads(result.read_text())
    found = {
        label: {**records[str(path)], "out": folder / label, "path": path}
        for label, path in paths.items()
    }
    for label, (key, output) in runs_on.items():
        found[label] = {**records[key], "out": output}
    return found


def ran(runs, label):
    record = runs[label]
    assert "error" not in record, record["error"]
    return record


def test_original_script_trains_in_float32(runs):
    record = ran(runs, "train_classifier")
    assert {dtype for _, dtype, _ in record["forward"]} == {"torch.float32"}


@pytest.mark.parametrize("cpu", ["avx512_bf16", "amx_bf16"])
def test_mixed_precision_on_a_bf16_cpu_forward_under_autocast_backward_outside(runs, cpu):
    record = ran(runs, f"train_classifier_mixed-precision@{cpu}")
    dtype = "torch.bfloat16"
    training = [f for f in record["forward"] if f[0]]
    evaluation = [f for f in record["forward"] if not f[0]]
    assert training and evaluation
    # Every Linear layer, in training and in the evaluation loop, ran under autocast.
    assert all(autocast and out == dtype for _, out, autocast in record["forward"])
    # The backward pass and the optimizer step ran outside autocast.
    assert record["backward_autocast"] and not any(record["backward_autocast"])
    assert record["step_autocast"] and not any(record["step_autocast"])


@pytest.mark.parametrize(
    "label",
    [
        "train_classifier_mixed-precision@none",  # no bf16 units: bf16 would be slower
        "train_classifier_mixed-precision_fp16@avx512_bf16",  # CPUs have no fast float16
        "train_classifier_mixed-precision_fp16@amx_bf16",
    ],
)
def test_mixed_precision_keeps_fp32_where_low_precision_is_slower(runs, label):
    record = ran(runs, label)
    assert record["forward"]
    assert all(not autocast and out == "torch.float32" for _, out, autocast in record["forward"])
    assert "accuracy" in record["stdout"]  # it trained and evaluated as before


def test_mixed_precision_helper_picks_the_gpu_precision_by_compute_capability(runs):
    """The CUDA branch of the written code, with the GPU faked at torch.cuda's probes."""
    import torch

    source = (
        runs["train_classifier_mixed-precision"]["out"].parent
        / ("train_classifier_mixed-precision.py")
    ).read_text()
    assert (
        "with torch.autocast(device.type, dtype=amp_dtype, enabled=amp_dtype is not None)" in source
    )
    helper = source[source.index("def autocast_dtype") :].split("\n\n\n", 1)[0]
    namespace: dict = {"torch": torch}
    exec(helper, namespace)
    autocast_dtype = namespace["autocast_dtype"]
    picks = {}
    for capability in [(9, 0), (8, 0), (7, 5), (7, 0), (6, 1)]:
        with (
            mock_attr(torch.cuda, "is_available", lambda: True),
            mock_attr(torch.cuda, "get_device_capability", lambda c=capability: c),
        ):
            picks[capability] = autocast_dtype("cuda")
    assert picks == {
        (9, 0): torch.bfloat16,
        (8, 0): torch.bfloat16,
        (7, 5): torch.float16,  # tensor cores without bf16: float16 + GradScaler
        (7, 0): torch.float16,
        (6, 1): None,  # no tensor cores: FP32
    }
    assert autocast_dtype("mps") is torch.float16
    assert autocast_dtype("cuda", allowed=(torch.bfloat16,)) is None  # no GPU here


@pytest.mark.parametrize("backend", ["quantize_dynamic", "torchao"])
def test_quantized_outputs_stay_close_and_state_dict_shrinks(runs, backend):
    if backend == "torchao" and not HAS_TORCHAO:
        pytest.skip("torchao is not installed (pip install --no-deps 'torchao==0.18.*')")
    import torch

    reference_folder = ran(runs, "predict")["out"]
    quantized_folder = ran(runs, f"predict_quantize_{backend}")["out"]
    reference = torch.load(reference_folder / "scores.pt")
    scores = torch.load(quantized_folder / "scores.pt")
    error = float((reference - scores).norm() / reference.norm())
    assert 0 < error < 0.05  # changed (it is quantized), but close
    float_size = (reference_folder / "model.pt").stat().st_size
    int8_size = (quantized_folder / "model.pt").stat().st_size
    assert int8_size < 0.5 * float_size


def _losses_and_parameters(output):
    losses = [float(v) for v in re.findall(r"step \d+ loss ([\d.]+)", output)]
    parameters = int(re.search(r"parameters (\d+)", output).group(1))
    return losses, parameters


@pytest.mark.parametrize("script", ["distill_mlp", "distill_class"])
def test_distilled_student_is_smaller_and_learns(runs, script):
    _, teacher_parameters = _losses_and_parameters(ran(runs, script)["stdout"])
    losses, student_parameters = _losses_and_parameters(ran(runs, f"{script}_distill")["stdout"])
    # Half the hidden width: about half the parameters with one hidden layer, a quarter
    # with two.
    assert student_parameters < 0.6 * teacher_parameters
    assert len(losses) == 40
    assert sum(losses[-5:]) / 5 < 0.8 * sum(losses[:5]) / 5


def test_fused_attention_matches_the_written_out_attention(runs):
    import torch

    reference = torch.load(ran(runs, "attention_modules")["out"] / "attention.pt")
    fused = torch.load(ran(runs, "attention_modules_efficient-attention")["out"] / "attention.pt")
    assert set(fused) == set(reference)
    for name, expected in reference.items():
        torch.testing.assert_close(fused[name], expected, rtol=1e-4, atol=1e-5, msg=name)
    # Dropout still acts in training mode (inside the fused kernel).
    assert fused["causal_dropout_differs"].item() == 1.0
    # All six written-out attentions were found and replaced by the fused call.
    only_ga116 = Config().with_overrides(select=["GA116"])
    assert len(analyze_path(runs["attention_modules"]["path"], only_ga116).findings) == 6
    assert (
        analyze_path(runs["attention_modules_efficient-attention"]["path"], only_ga116).findings
        == []
    )
    text = runs["attention_modules_efficient-attention"]["path"].read_text()
    assert text.count("F.scaled_dot_product_attention(") == 6


def test_accumulated_micro_batches_give_the_large_batch_weights(runs):
    import torch

    original, accumulated = (
        ran(runs, "train_large_batch"),
        ran(runs, "train_large_batch_grad-accumulation"),
    )
    reference = torch.load(original["out"] / "weights.pt")
    weights = torch.load(accumulated["out"] / "weights.pt")
    for optimizer in ("sgd", "adam"):
        for name, expected in reference[optimizer].items():
            torch.testing.assert_close(weights[optimizer][name], expected, msg=name)
    # The same optimizer steps (3 epochs x 4 batches x 2 models), each after 4 backward passes.
    assert len(accumulated["step_autocast"]) == len(original["step_autocast"]) == 24
    assert len(accumulated["backward_autocast"]) == 4 * len(original["backward_autocast"])
    assert "4096 // accumulation_steps" in accumulated["path"].read_text()


def test_pruned_cnn_runs_with_half_of_its_weights_zero(runs):
    import torch

    original, pruned = ran(runs, "prune_cnn"), ran(runs, "prune_cnn_prune_0.5")
    before = json.loads((original["out"] / "stats.json").read_text())
    after = json.loads((pruned["out"] / "stats.json").read_text())
    assert before["nonzero"] == 1.0
    assert after["nonzero"] <= 0.55  # the first convolution and the classifier stay dense
    assert 0 < after["accuracy"] <= 1  # it ran, pruned, through the evaluation
    # Permanent: the state dict has the original keys, no masks.
    keys = set(torch.load(pruned["out"] / "model.pt"))
    assert keys == set(torch.load(original["out"] / "model.pt"))
    # The counts printed at run time are the ones the refactor's notes gave from the code.
    result = refactor_path("prune", runs["prune_cnn"]["path"], {"amount": "0.5"})
    (counted,) = [n for n in result.notes if n.startswith("counts from the layer sizes")]
    printed = re.search(r"non-zero weights ([\d,]+) -> ([\d,]+)", pruned["stdout"])
    assert f"weights {printed.group(1)} non-zero before, {printed.group(2)} after" in counted


@contextlib.contextmanager
def mock_attr(owner, name, value):
    """Replace ``owner.name`` for a moment (the hardware probe is the lowest boundary)."""
    original = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, original)
