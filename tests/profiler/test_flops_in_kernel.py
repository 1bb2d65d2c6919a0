"""FLOP counts of ``%%greenprofile --flops`` in a real kernel, to the exact number."""

from __future__ import annotations

import pytest

from .conftest import needs_torch, shown_text

pytestmark = [pytest.mark.slow, *needs_torch]

MLP_STEP = """\
%%greenprofile --flops --label mlp-step
optimizer.zero_grad()
loss = F.cross_entropy(model(x), y)
loss.backward()
optimizer.step()
"""


def test_mlp_training_step_counts_612_million_flops(torch_kernel):
    torch_kernel.run_ok(
        "model = nn.Sequential(nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 1024), "
        "nn.ReLU(), nn.Linear(1024, 10))\n"
        "optimizer = torch.optim.SGD(model.parameters(), lr=0.01)\n"
        "x, y = torch.randn(64, 784), torch.randint(0, 10, (64,))"
    )
    shown = torch_kernel.run_ok(MLP_STEP)
    record = torch_kernel.last_record()
    assert record.label == "mlp-step" and record.mode == "magic"
    assert record.flops == 612_106_240
    assert record.flops_forward == 238_288_896
    assert record.flops_backward == 612_106_240 - 238_288_896
    assert record.flops_complete is True
    assert record.flops_by_dtype == {"float32": 612_106_240}
    assert record.flops_by_module[0] == {"module": "Sequential", "flops": 612_106_240}
    assert record.flops_per_s and record.flops_per_s > 0
    text = shown_text(shown)
    assert "612 MFLOP" in text and "2 FLOPs per multiply-add" in text


def test_cpu_attention_counts_its_two_products(torch_kernel):
    torch_kernel.run_ok(
        "%%greenprofile --flops\n"
        "q = torch.randn(16, 4, 64, 32)\n"
        "out = F.scaled_dot_product_attention(q, q, q)"
    )
    record = torch_kernel.last_record()
    assert record.flops == 33_554_432
    assert record.flops_by_operator == {
        "aten._scaled_dot_product_flash_attention_for_cpu": 33_554_432
    }


@pytest.mark.parametrize("mode", ["train", "eval", "no_grad"])
def test_transformer_layer_counts_the_same_in_every_mode(torch_kernel, mode):
    torch_kernel.run_ok(
        "layer = nn.TransformerEncoderLayer(128, 4, 512, batch_first=True)\n"
        "src = torch.randn(16, 64, 128)"
    )
    setup = {"train": "layer.train()", "eval": "layer.eval()", "no_grad": "layer.eval()"}[mode]
    call = "with torch.no_grad():\n    layer(src)" if mode == "no_grad" else "layer(src)"
    torch_kernel.run_ok(f"%%greenprofile --flops\n{setup}\n{call}")
    record = torch_kernel.last_record()
    # in_proj 3x, out_proj, two feed-forward layers and attention's two products:
    # 2 * 16 * 64 * (4 * 128 * 128 + 2 * 128 * 512) + 2 * 2 * 16 * 64 * 64 * 128
    assert record.flops == 436_207_616
    assert record.flops_complete is True
    modules = {m["module"]: m["flops"] for m in record.flops_by_module}
    assert modules["TransformerEncoderLayer.self_attn"] == 167_772_160
    fastpath = torch_kernel.run_ok("print(torch.backends.mha.get_fastpath_enabled())")
    assert fastpath.stdout.strip() == "True"  # restored after counting


def test_an_lstm_is_counted_exactly_with_the_overhead_said(torch_kernel):
    # nn.LSTM(32, 64) on (10, 4, 32) under no_grad: 2 x 40 rows x 256 x (32 + 64) FLOPs
    shown = torch_kernel.run_ok(
        "%%greenprofile --flops\nwith torch.no_grad():\n    nn.LSTM(32, 64)(torch.randn(10, 4, 32))"
    )
    record = torch_kernel.last_record()
    assert record.flops == 2 * 40 * 256 * 96 == 1_966_080
    assert record.flops_complete is True
    assert 0 < record.flops_counter_s < record.duration_s
    assert "include FLOP counting" in shown_text(shown)
