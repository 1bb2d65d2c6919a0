"""The FLOP counter on its own: what it counts, what it says it misses, what it restores."""

from __future__ import annotations

import threading

import pytest

from green_assist.profiler.flops import FlopCounter, _looks_heavy, fvcore_multiply_adds

from .conftest import HAS_TORCH, needs_torch

pytestmark = needs_torch
if HAS_TORCH:
    import torch
    from torch import nn


def count(fn):
    counter = FlopCounter()
    counter.start()
    try:
        fn()
    finally:
        result = counter.stop()
    return result


def mlp():
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 10)
    )


def test_forward_only_is_all_forward():
    model, x = mlp(), torch.randn(64, 784)
    result = count(lambda: model(x))
    assert result.total == result.forward == 238_288_896
    assert result.backward == 0 and result.complete
    assert result.by_device == {"cpu": 238_288_896}


def test_attention_backward_is_counted():
    q = torch.randn(16, 4, 64, 32, requires_grad=True)
    result = count(lambda: nn.functional.scaled_dot_product_attention(q, q, q).sum().backward())
    assert result.forward == 33_554_432
    assert result.backward == 2.5 * 33_554_432  # five products of the same size in backward
    assert result.by_operator["aten._scaled_dot_product_flash_attention_for_cpu_backward"]


def test_matrix_vector_and_dot_products_count():
    m, v = torch.randn(300, 200), torch.randn(200)
    result = count(lambda: (m @ v, v @ v))
    assert result.by_operator == {"aten.mv": 2 * 300 * 200, "aten.dot": 2 * 200}


def test_threads_started_by_the_cell_make_the_count_incomplete():
    model, x = mlp(), torch.randn(8, 784)

    def work():
        worker = threading.Thread(target=lambda: model(x), name="side-work")
        worker.start()
        worker.join()
        model(x)

    result = count(work)
    assert result.total == 238_288_896 // 8  # only the cell's own thread
    assert result.threads_started == ["side-work"] and not result.complete
    assert any("side-work" in note for note in result.notes)


def test_fast_path_and_thread_start_are_restored_after_an_error():
    start = threading.Thread.start
    assert torch.backends.mha.get_fastpath_enabled()
    with pytest.raises(RuntimeError):
        count(lambda: (_ for _ in ()).throw(RuntimeError("cell failed")))
    assert torch.backends.mha.get_fastpath_enabled()
    assert threading.Thread.start is start


def test_heavy_operator_names():
    assert _looks_heavy("aten.mkldnn_rnn_layer")
    assert _looks_heavy("aten._transformer_encoder_layer_fwd")
    assert not _looks_heavy("aten.convert_element_type")
    assert not _looks_heavy("aten.relu")


def test_fvcore_cross_check_is_labelled_in_multiply_adds():
    pytest.importorskip("fvcore")
    model, x = mlp(), torch.randn(64, 784)
    check = fvcore_multiply_adds(model, x)
    assert check["multiply_adds"] == 238_288_896 // 2
    assert check["flops_equivalent"] == count(lambda: model(x)).total
    assert "multiply-adds" in check["unit"]


def test_same_counts_as_torchs_own_counter_on_varied_models():
    # Our counter takes faster paths through torch's formulas; their numbers must not move.
    from torch.utils.flop_counter import FlopCounterMode

    torch.manual_seed(0)
    cnn = nn.Sequential(
        nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
        nn.Conv2d(8, 16, 3, dilation=2, groups=2), nn.Flatten(), nn.LazyLinear(10),
    )  # fmt: skip
    images = torch.randn(4, 3, 32, 32)
    cnn(images)
    layer = nn.TransformerEncoderLayer(64, 4, 128, batch_first=True)
    tokens = torch.randn(2, 16, 64)
    a, b = torch.randn(5, 7, 9), torch.randn(5, 9, 3)

    def workload():
        cnn(images).sum().backward()
        layer(tokens).sum().backward()
        torch.einsum("bij,bjk->bik", a, b)
        torch.baddbmm(torch.randn(5, 7, 3), a, b)

    with FlopCounterMode(display=False) as reference:
        workload()
    ours = count(workload)
    expected = {str(op): n for op, n in reference.get_flop_counts()["Global"].items()}
    # Except where torch is wrong: its grouped-convolution backward counts the weight
    # gradient `groups` times. Hand count of the two backward convolutions (N=4):
    # conv 1 (4,3,32,32) -> (4,8,16,16): weight gradient only, 4*256*8*3*9 = 221,184 MACs;
    # conv 2 (groups=2) -> (4,16,12,12): input and weight gradients, 2 * 4*144*16*4*9.
    assert ours.by_operator.pop("aten.convolution_backward") == 2 * (221_184 + 2 * 331_776)
    assert expected.pop("aten.convolution_backward") == 2 * (221_184 + 3 * 331_776)
    assert ours.by_operator == expected


def test_per_module_flops_match_torchs_module_tracker():
    # Our lighter module tracking must enter and leave the same modules, forward and backward.
    from torch.utils.flop_counter import FlopCounterMode

    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(16, 32), nn.ReLU(),
        nn.Sequential(nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 8)),
    )  # fmt: skip
    bilinear = nn.Bilinear(8, 8, 4)  # two tensor inputs: the multi-tensor hook
    x = torch.randn(5, 16, requires_grad=True)

    def workload():
        out = model(x)
        bilinear(out, out).sum().backward()

    with FlopCounterMode(display=False) as reference:
        workload()
    ours = count(workload)
    theirs = {
        name: sum(ops.values())
        for name, ops in reference.get_flop_counts().items()
        if name != "Global"
    }
    assert {m["module"]: m["flops"] for m in ours.by_module} == theirs
