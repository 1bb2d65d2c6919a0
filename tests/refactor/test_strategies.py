"""The green strategies through the CLI and the server, options included."""

import json

import pytest

from green_assist.cli import main
from green_assist.refactor import refactor_text
from green_assist.target import Target, parse_target

from .conftest import FIXTURES

BIG_BATCH = (FIXTURES / "grad-accumulation" / "plain_loop.in.py").read_text()
ATTENTION = (FIXTURES / "efficient-attention" / "nanogpt.in.py").read_text()
TRAINED_CNN = (FIXTURES / "prune" / "after_training.in.py").read_text()


@pytest.mark.parametrize(
    ("name", "text", "options", "expected"),
    [
        ("efficient-attention", ATTENTION, [], "is_causal=True"),
        ("grad-accumulation", BIG_BATCH, [], "accumulation_steps = 4"),
        ("grad-accumulation", BIG_BATCH, ["-o", "steps=8"], "accumulation_steps = 8"),
        ("prune", TRAINED_CNN, [], "print(prune_weights(model, amount=0.3))"),
        (
            "prune",
            TRAINED_CNN,
            ["-o", "amount=0.5", "-o", "structured=true", "-o", "keep_ends=false"],
            "ln_structured(module",
        ),
    ],
)
def test_cli_writes_the_strategy_with_its_options(tmp_path, capsys, name, text, options, expected):
    path = tmp_path / "train.py"
    path.write_text(text)
    assert main(["refactor", name, str(path), "--write", *options]) == 0
    assert expected in path.read_text()
    assert "note: " in capsys.readouterr().err


def test_cli_rejects_a_bad_option_value(tmp_path, capsys):
    path = tmp_path / "train.py"
    path.write_text(BIG_BATCH)
    assert main(["refactor", "grad-accumulation", str(path), "-o", "steps=1"]) == 2
    assert "at least 2" in capsys.readouterr().err
    assert path.read_text() == BIG_BATCH


async def test_server_passes_the_options_on(jp_fetch):
    body = json.dumps(
        {"refactor": "grad-accumulation", "text": BIG_BATCH, "options": {"steps": 16}}
    )
    response = await jp_fetch("green-assist", "refactor", method="POST", body=body)
    payload = json.loads(response.body)
    assert payload["status"] == "changed"
    assert "accumulation_steps = 16" in payload["text"]
    assert any("effective batch" in note for note in payload["notes"])


async def test_server_passes_prune_options_on(jp_fetch):
    body = json.dumps(
        {"refactor": "prune", "text": TRAINED_CNN, "options": {"amount": 0.5, "global": True}}
    )
    response = await jp_fetch("green-assist", "refactor", method="POST", body=body)
    payload = json.loads(response.body)
    assert payload["status"] == "changed"
    assert "prune.global_unstructured(" in payload["text"]
    assert "amount=0.5" in payload["text"]
    assert any("re-check" in note or "accuracy" in note for note in payload["notes"])


def test_semi_structured_sparsity_is_offered_only_where_it_pays_off():
    """2:4 sparsity needs torchao and an NVIDIA GPU of compute capability 8.0+."""
    pytest.importorskip("torchao")
    cpu = Target(device="cpu", known=True, cpu_model="a CPU", origin="the kernel's machine")
    on_cpu = refactor_text("prune", TRAINED_CNN, target=cpu)
    (note,) = [n for n in on_cpu.notes if "2:4" in n]
    assert note.startswith("2:4 semi-structured sparsity is not offered") and "a CPU" in note
    on_gpu = refactor_text("prune", TRAINED_CNN, target=parse_target("cuda"))
    assert any("pass semi_structured=true" in n for n in on_gpu.notes)
    # Code that runs on the CPU is refused, whatever the target.
    refused = refactor_text(
        "prune", "model = Net().to('cpu')\nmodel.eval()\n", options={"semi_structured": "true"}
    )
    assert refused.status == "refused" and "runs on the CPU" in refused.reason


def test_accumulation_on_a_cpu_target_says_it_buys_memory_only():
    cpu = Target(device="cpu", known=True, cpu_model="a CPU", origin="the kernel's machine")
    result = refactor_text("grad-accumulation", BIG_BATCH, target=cpu)
    assert any("lower peak memory and nothing else" in note for note in result.notes)
    assert any("does not lower the compute per epoch" in note for note in result.notes)
