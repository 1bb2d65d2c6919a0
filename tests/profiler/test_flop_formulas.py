"""FLOP formulas torch lacks or gets wrong, pinned to hand counts (never to torch's own
numbers, whose grouped-convolution backward is the bug these tests guard against).

Convention: 2 FLOPs per multiply-add; element-wise work (BN, ReLU, gate non-linearities,
bias adds) is not counted.
"""

from __future__ import annotations

import pytest

from green_assist.profiler.flops import FlopCounter

from .conftest import HAS_TORCH, needs_torch

pytestmark = [*needs_torch, pytest.mark.filterwarnings("ignore:TF32 acceleration")]
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


# -- convolutions ---------------------------------------------------------------------------
def test_depthwise_separable_block_training_step_is_337_million():
    """Conv2d(32, 32, 3, padding=1, groups=32), BN, ReLU, Conv2d(32, 64, 1) on (8, 32, 56, 56);
    ``out.sum().backward()`` with an input that needs no grad. Output planes stay 56 x 56.

    Multiply-adds (N=8, 56*56 = 3136 positions):
      depthwise forward  8 * 3136 * 32 out channels * 1 input channel each * 9 = 7,225,344
      pointwise forward  8 * 3136 * 64 * 32 * 1                               = 51,380,224
    Backward: every forward product x*w appears once in dL/dx and once in dL/dw.
      pointwise: input gradient (its input comes from the ReLU) + weight gradient = 2 x 51,380,224
      depthwise: weight gradient only (the block's input needs no grad)          = 7,225,344
    FLOPs = 2 x (7,225,344 + 51,380,224 + 2 x 51,380,224 + 7,225,344) = 337,182,720
    (torch 2.13's own formula says 785,154,048: the depthwise weight gradient x32.)
    """
    torch.manual_seed(0)
    block = nn.Sequential(
        nn.Conv2d(32, 32, 3, padding=1, groups=32), nn.BatchNorm2d(32), nn.ReLU(),
        nn.Conv2d(32, 64, 1),
    )  # fmt: skip
    x = torch.randn(8, 32, 56, 56)
    result = count(lambda: block(x).sum().backward())
    assert result.forward == 2 * (7_225_344 + 51_380_224) == 117_211_136
    assert result.backward == 2 * (2 * 51_380_224 + 7_225_344) == 219_971_584
    assert result.total == 337_182_720


def test_grouped_and_transposed_grouped_convolutions():
    """Conv1d(8, 12, 3, groups=4) on (2, 8, 10) -> (2, 12, 8): each output sees 8/4 = 2
    input channels x 3 taps: 2 * 8 * 12 * 2 * 3 = 1,152 multiply-adds forward.
    ConvTranspose1d(12, 6, 3, groups=3) on that (2, 12, 8) -> (2, 6, 10): each input
    element meets 6/3 = 2 output channels x 3 taps: 2 * 8 * 12 * 2 * 3 = 1,152.
    Both need input and weight gradients (the transposed layer's input comes from the
    first); the first layer's input needs none: its weight gradient only.
    FLOPs = 2 x (1,152 + 1,152 [forward] + 1,152 [conv dW] + 2 x 1,152 [transposed dX, dW])
    """
    torch.manual_seed(0)
    conv = nn.Conv1d(8, 12, 3, groups=4, bias=False)
    up = nn.ConvTranspose1d(12, 6, 3, groups=3, bias=False)
    x = torch.randn(2, 8, 10)
    result = count(lambda: up(conv(x)).sum().backward())
    assert result.forward == 2 * (1_152 + 1_152)
    assert result.backward == 2 * (1_152 + 2 * 1_152)


def test_counting_leaves_torchs_registry_as_it_was():
    from torch.utils import flop_counter
    from torch.utils.flop_counter import FlopCounterMode

    before = dict(flop_counter.flop_registry)
    conv = nn.Conv2d(4, 4, 3, groups=4)
    x = torch.randn(1, 4, 8, 8)
    count(lambda: conv(x).sum().backward())
    count(lambda: nn.LSTM(4, 4)(torch.randn(3, 1, 4)))
    assert flop_counter.flop_registry == before
    # The user's own counter afterwards: torch's numbers, ours not mixed in.
    with FlopCounterMode(display=False) as theirs:
        nn.LSTM(4, 4)(torch.randn(3, 1, 4))
    assert theirs.get_total_flops() == 0


# -- recurrent layers -------------------------------------------------------------------------
LSTM_NO_GRAD = 2_936_012_800
LSTM_TRAINING_STEP = 8_336_179_200


def lstm():
    torch.manual_seed(0)
    return nn.LSTM(128, 256, 2), torch.randn(32, 50, 128)


def test_lstm_under_no_grad_is_2_9_billion():
    """nn.LSTM(128, 256, 2) on (32 steps, 50 batch, 128): per step and batch element a
    layer multiplies its input by W_ih (4*256 x in) and its previous state by W_hh
    (4*256 x 256), the state included at step 0 (zeros, but the product runs).
      layer 1: 1024 * (128 + 256) = 393,216 multiply-adds
      layer 2: 1024 * (256 + 256) = 524,288
    FLOPs = 2 x 32 x 50 x (393,216 + 524,288) = 2,936,012,800
    """
    model, x = lstm()

    def run():
        with torch.no_grad():
            model(x)

    result = count(run)
    assert result.total == result.forward == LSTM_NO_GRAD
    assert result.complete
    assert "aten.mkldnn_rnn_layer" in result.by_operator  # oneDNN: torch's default CPU path


def test_lstm_training_step_is_8_3_billion():
    """The same LSTM, ``out.sum().backward()``, input and (h0, c0) without grad.
    Backward, rows = 32 x 50 = 1600:
      weight gradients, as the forward:                               2,936,012,800
      input gradient: layer 2 only (layer 1's input needs none):
        2 x 1600 x 1024 x 256                                         =   838,860,800
      state gradient through W_hh for steps 1..31 (step 0's product would reach h0,
      which needs none): 2 layers x 2 x (1600 - 50) x 1024 x 256      = 1,625,292,800
    FLOPs = 2,936,012,800 + 2,936,012,800 + 838,860,800 + 1,625,292,800 = 8,336,179,200
    """
    model, x = lstm()
    result = count(lambda: model(x)[0].sum().backward())
    assert result.forward == LSTM_NO_GRAD
    assert result.backward == 2_936_012_800 + 838_860_800 + 1_625_292_800
    assert result.total == LSTM_TRAINING_STEP
    assert "aten.mkldnn_rnn_layer_backward" in result.by_operator


def test_lstm_counts_the_same_without_onednn():
    # The unfused path (addmm per step, mm in backward) is counted by torch's own
    # matrix formulas: both paths must agree with the hand counts above.
    model, x = lstm()
    with torch.backends.mkldnn.flags(enabled=False):
        result = count(lambda: model(x)[0].sum().backward())
    assert "aten.mkldnn_rnn_layer" not in result.by_operator
    assert result.total == LSTM_TRAINING_STEP


def test_initial_state_and_input_that_need_grad_add_their_products():
    """Input and h0 with requires_grad: layer 1's input gradient (2 x 1600 x 1024 x 128 =
    419,430,400) and step 0's state gradient in both layers (2 x 2 x 50 x 1024 x 256 =
    52,428,800) join the training step's count, on both paths."""
    model, x = lstm()
    x.requires_grad_(True)
    h0 = torch.zeros(2, 50, 256, requires_grad=True)
    c0 = torch.zeros(2, 50, 256)
    expected = LSTM_TRAINING_STEP + 419_430_400 + 52_428_800
    fused = count(lambda: model(x, (h0, c0))[0].sum().backward())
    with torch.backends.mkldnn.flags(enabled=False):
        unfused = count(lambda: model(x, (h0, c0))[0].sum().backward())
    assert fused.total == unfused.total == expected


def test_bidirectional_batch_first_lstm():
    """nn.LSTM(16, 32, bidirectional=True, batch_first=True) on (4 batch, 10 steps, 16):
    two directions, each 2 x 40 rows x 128 x (16 + 32) = 491,520 forward."""
    torch.manual_seed(0)
    model = nn.LSTM(16, 32, bidirectional=True, batch_first=True)
    x = torch.randn(4, 10, 16)
    with torch.no_grad():
        result = count(lambda: model(x))
    assert result.total == 2 * 491_520


def test_gru_training_step_on_cpu():
    """nn.GRU(128, 256, 2) runs unfused on CPU (addmm/mm, torch's formulas); hand count
    with 3 gates instead of 4: forward 2 x 1600 x 768 x (384 + 512) = 2,202,009,600;
    backward: weights 2,202,009,600 + layer 2 input 2 x 1600 x 768 x 256 = 629,145,600
    + states 2 x 2 x 1550 x 768 x 256 = 1,218,969,600."""
    torch.manual_seed(0)
    model, x = nn.GRU(128, 256, 2), torch.randn(32, 50, 128)
    result = count(lambda: model(x)[0].sum().backward())
    assert result.forward == 2_202_009_600
    assert result.backward == 2_202_009_600 + 629_145_600 + 1_218_969_600


def test_cudnn_and_mps_formulas_on_shapes():
    """The GPU kernels cannot run here; their formulas get the tensors the kernels would
    (meta tensors carry shapes and requires_grad). A 2-layer LSTM 128 -> 256 on 32 x 50,
    proj_size 64: W_ih (1024 x 128), W_hh (1024 x 64), W_hr (64 x 256); layer 2's
    W_ih is 1024 x 64. Forward 2 x 1600 x (131,072 + 65,536 + 16,384 + 65,536 + 65,536 +
    16,384) = 1,153,433,600."""
    from green_assist.profiler.flop_formulas import (
        cudnn_rnn_backward_flop,
        cudnn_rnn_flop,
        lstm_mps_flop,
    )

    meta = {"device": "meta", "requires_grad": True}
    weights = [
        torch.empty(1024, 128, **meta), torch.empty(1024, 64, **meta),
        torch.empty(1024, **meta), torch.empty(1024, **meta), torch.empty(64, 256, **meta),
        torch.empty(1024, 64, **meta), torch.empty(1024, 64, **meta),
        torch.empty(1024, **meta), torch.empty(1024, **meta), torch.empty(64, 256, **meta),
    ]  # fmt: skip
    x = torch.empty(32, 50, 128, device="meta")
    hx = torch.empty(2, 50, 64, device="meta")
    assert cudnn_rnn_flop(x, weights, 5, None, hx, None, 2, 256, 64, 2) == 1_153_433_600
    assert lstm_mps_flop(x, [hx], weights) == 1_153_433_600
    # Backward with output_mask (input, hx, cx, weight) = (F, F, F, T): weights as the
    # forward; layer 2's input 2 x 1600 x 65,536; W_hh for 1550 rows in both layers
    # (2 x 2 x 1550 x 65,536); both projections 2 x 2 x 1600 x 16,384.
    args = [x, weights, 5, None, hx, None, None, None, None, None, 2, 256, 64, 2, False]
    args += [0.0, True, False, [], None, None, [False, False, False, True]]
    expected = 1_153_433_600 + 209_715_200 + 406_323_200 + 104_857_600
    assert cudnn_rnn_backward_flop(*args) == expected
    args[-1] = [True, True, False, True]  # + layer 1's input, + step 0 in both layers
    assert cudnn_rnn_backward_flop(*args) == expected + 2 * 1600 * 131_072 + 2 * 2 * 50 * 65_536


# -- what the counter says about itself ----------------------------------------------------
def test_fast_path_note_only_where_the_fast_path_applies():
    q = torch.randn(2, 4, 16, 8)
    bare = count(lambda: nn.functional.scaled_dot_product_attention(q, q, q))
    assert bare.total > 0 and not bare.fastpath_bypassed
    assert not any("fast path" in note for note in bare.notes)

    layer = nn.TransformerEncoderLayer(32, 4, 64, batch_first=True)
    src = torch.randn(2, 8, 32)
    training = count(lambda: layer(src).sum().backward())  # train mode: no fast path
    assert not training.fastpath_bypassed

    layer.eval()

    def inference():
        with torch.no_grad():
            layer(src)

    assert count(inference).fastpath_bypassed
    assert any("fast path" in note for note in count(inference).notes)


def test_counter_time_is_measured_and_within_the_cells_time():
    import time

    model = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 8))
    x = torch.randn(2, 8)
    t0 = time.perf_counter()
    result = count(lambda: [model(x).sum().backward() for _ in range(50)])
    elapsed = time.perf_counter() - t0
    assert 0 < result.counter_s < elapsed
    assert result.record_fields()["flops_counter_s"] == result.counter_s


@pytest.mark.parametrize("enabled", [True, False])
def test_recurrent_layers_never_read_zero(enabled):
    for cls in (nn.LSTM, nn.GRU, nn.RNN):
        torch.manual_seed(0)
        model = cls(8, 8)
        with torch.backends.mkldnn.flags(enabled=enabled):
            result = count(lambda model=model: model(torch.randn(5, 3, 8))[0].sum().backward())
        assert result.total > 0 and result.complete, cls.__name__
