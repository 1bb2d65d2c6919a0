"""FLOP formulas our counter adds to or corrects in torch's (checked with torch 2.13).

They go to the counter as its own mapping (``FlopCounterMode(custom_mapping=...)``):
torch's global ``flop_registry`` is left as we found it, so a ``FlopCounterMode`` the
user makes afterwards counts exactly what it counted before.

- **Convolution backward, grouped and depthwise.** torch's ``conv_backward_flop``
  counts the weight gradient as ``N x C_in x C_out x kernel x output`` products, the
  count of an ungrouped convolution, so a depthwise layer's backward reads ``groups``
  times too high (32x for ``Conv2d(32, 32, 3, groups=32)``). Each gradient (input,
  weight) of a convolution takes exactly the multiply-adds of its forward pass:
  every forward product ``x * w`` appears once in ``dL/dx`` and once in ``dL/dw``.
  The note we would file upstream is in ``docs/flop_counting.md``.
- **Recurrent layers** (LSTM, GRU, vanilla RNN) in fused kernels: oneDNN's
  ``mkldnn_rnn_layer`` (the default CPU path of ``nn.LSTM``) and its backward, cuDNN's
  ``_cudnn_rnn``, MIOpen's ``miopen_rnn`` and MPS's ``_lstm_mps``, which torch leaves at
  0. We count the matrix products autograd needs, the same count the unfused path
  (``addmm``/``mm`` per step, e.g. ``nn.GRU`` on CPU) gets, so a layer counts the same
  on every path. Element-wise gate arithmetic is not counted (as everywhere).
- **CPU attention**: ``aten._scaled_dot_product_flash_attention_for_cpu`` (and its
  backward, and the ``..._fused_attention_overrideable`` kernels other back ends use)
  computes the products of the CUDA flash kernel; torch's SDPA formulas apply as is.
- **Matrix-vector and dot products** (``mv``, ``addmv``, ``dot``, ``vdot``).

Recurrent layers, forward, for every layer and direction the kernel runs (``rows`` =
time steps x batch, summed over the sequence for packed input)::

    2 x rows x (|W_ih| + |W_hh| + |W_hr|)

(``W_ih`` is ``gates*hidden x input``, ``W_hh`` is ``gates*hidden x hidden``, ``W_hr``
the LSTM projection). Backward: the weight gradients take the same count again (when
the weights need them); the input gradient ``2 x rows x |W_ih|`` is needed for every
layer but the first, and for the first only when its input requires grad; the
hidden-state gradient ``2 x (rows - batch) x |W_hh|`` runs through all steps but the
first, whose product reaches the initial state and is needed only when ``h0``
requires grad; the projection's gradient ``2 x rows x |W_hr|`` is always needed.
Fused kernels may compute a gradient nobody asked for (cuDNN computes the first
layer's input gradient regardless); we count what autograd needs.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Any


# -- convolution backward -------------------------------------------------------------
def conv_backward_flop(
    grad_out_shape: Sequence[int],
    x_shape: Sequence[int],
    w_shape: Sequence[int],
    _bias: Any,
    _stride: Any,
    _padding: Any,
    _dilation: Any,
    transposed: bool,
    _output_padding: Any,
    _groups: int,
    output_mask: Sequence[bool],
    out_shape: Any = None,
    **kwargs: Any,
) -> int:
    """FLOPs of ``aten.convolution_backward``: the forward's multiply-adds once for the
    input gradient and once for the weight gradient (each when asked for), x2.

    The weight is ``(C_out, C_in/groups, *kernel)`` (``(C_in, C_out/groups, *kernel)``
    when transposed), so ``prod(w_shape)`` already holds the division by ``groups``.
    Each weight element meets one input element per position of the larger spatial
    side: the output for a convolution, the input for a transposed one."""
    batch = grad_out_shape[0]
    spatial = (x_shape if transposed else grad_out_shape)[2:]
    multiply_adds = batch * math.prod(spatial) * math.prod(w_shape)
    return 2 * multiply_adds * (int(bool(output_mask[0])) + int(bool(output_mask[1])))


# -- recurrent layers --------------------------------------------------------------------
def _rows(input_: Any) -> int:
    """Time steps x batch: every row of the input that goes through the layer."""
    return int(math.prod(input_.shape) // input_.shape[-1])


def _matrices(weights: Sequence[Any]) -> list[Any]:
    return [w for w in weights if w is not None and w.dim() == 2]


def _layer_forward(rows: int, matrices: Sequence[Any]) -> int:
    return int(2 * rows * sum(w.numel() for w in matrices))


def _layer_backward(
    rows: int,
    batch: int,
    w_ih: Any,
    w_hh: Any,
    w_hr: Any | None,
    *,
    weights_grad: bool,
    input_grad: bool,
    initial_state_grad: bool,
) -> int:
    """One layer and direction; see the module docstring for each term."""
    matrices = [w for w in (w_ih, w_hh, w_hr) if w is not None]
    flops = _layer_forward(rows, matrices) if weights_grad else 0
    if input_grad:
        flops += 2 * rows * w_ih.numel()
    hidden_rows = rows if initial_state_grad else rows - batch
    flops += 2 * hidden_rows * w_hh.numel()
    if w_hr is not None:
        flops += 2 * rows * w_hr.numel()
    return int(flops)


def mkldnn_rnn_layer_flop(
    input_: Any, w_ih: Any, w_hh: Any, *args: Any, out_val: Any = None, **kwargs: Any
) -> int:
    """oneDNN, one layer and one direction per call."""
    return _layer_forward(_rows(input_), [w_ih, w_hh])


def mkldnn_rnn_layer_backward_flop(
    input_: Any, w_ih: Any, w_hh: Any, _b_ih: Any, _b_hh: Any, hx: Any, *args: Any, **kwargs: Any
) -> int:
    """oneDNN backward, one layer and direction. Its arguments are the tensors autograd
    saved, which keep their ``requires_grad``: that tells which gradients are needed."""
    return _layer_backward(
        _rows(input_),
        hx.shape[-2] if hx.dim() > 1 else 1,
        w_ih,
        w_hh,
        None,
        weights_grad=w_ih.requires_grad or w_hh.requires_grad,
        input_grad=input_.requires_grad,
        initial_state_grad=hx.requires_grad,
    )


def _per_layer(weights: Sequence[Any], layers: int, bidirectional: bool) -> list[list[Any]]:
    """The flat weight list of a whole stack, split per layer and direction, matrices only:
    ``[w_ih, w_hh]`` or ``[w_ih, w_hh, w_hr]`` each."""
    matrices = _matrices(weights)
    groups = layers * (2 if bidirectional else 1)
    if groups == 0 or len(matrices) % groups:
        raise ValueError(f"{len(matrices)} weight matrices for {groups} layer-directions")
    size = len(matrices) // groups
    return [matrices[i * size : (i + 1) * size] for i in range(groups)]


def _stack_forward(input_: Any, weights: Sequence[Any]) -> int:
    return _layer_forward(_rows(input_), _matrices(weights))


def _stack_backward(
    input_: Any,
    weights: Sequence[Any],
    hx: Any,
    layers: int,
    bidirectional: bool,
    *,
    weights_grad: bool,
    input_grad: bool,
    initial_state_grad: bool,
) -> int:
    rows = _rows(input_)
    batch = hx.shape[-2] if hx.dim() > 1 else 1
    directions = 2 if bidirectional else 1
    flops = 0
    for index, matrices in enumerate(_per_layer(weights, layers, bidirectional)):
        w_ih, w_hh, *rest = matrices
        flops += _layer_backward(
            rows,
            batch,
            w_ih,
            w_hh,
            rest[0] if rest else None,
            weights_grad=weights_grad,
            input_grad=input_grad or index >= directions,
            initial_state_grad=initial_state_grad,
        )
    return flops


def cudnn_rnn_flop(input_: Any, weight: Sequence[Any], *args: Any, **kwargs: Any) -> int:
    """cuDNN (and MIOpen): the whole stack in one call."""
    return _stack_forward(input_, weight)


def cudnn_rnn_backward_flop(
    input_: Any,
    weight: Sequence[Any],
    _stride0: Any,
    _weight_buf: Any,
    hx: Any,
    *args: Any,
    **kwargs: Any,
) -> int:
    """cuDNN backward: ``output_mask`` = (input, hx, cx, weight) says what is needed;
    ``num_layers`` and ``bidirectional`` are found by name or position."""
    # _cudnn_rnn_backward(input, weight, stride0, weight_buf, hx, cx, output, grad_output,
    #   grad_hy, grad_cy, mode, hidden_size, proj_size, num_layers, batch_first, dropout,
    #   train, bidirectional, batch_sizes, dropout_state, reserve, output_mask)
    return _masked_backward((input_, weight, _stride0, _weight_buf, hx, *args), layers_at=13)


def miopen_rnn_backward_flop(
    input_: Any,
    weight: Sequence[Any],
    _stride0: Any,
    _weight_buf: Any,
    hx: Any,
    *args: Any,
    **kwargs: Any,
) -> int:
    # miopen_rnn_backward: as cuDNN's without proj_size (num_layers at 12,
    # bidirectional at 16, output_mask at 20).
    return _masked_backward((input_, weight, _stride0, _weight_buf, hx, *args), layers_at=12)


def _masked_backward(arguments: tuple[Any, ...], layers_at: int) -> int:
    """cuDNN's and MIOpen's RNN backward: ``num_layers`` at ``layers_at``,
    ``bidirectional`` 4 places later and ``output_mask`` (input, hx, cx, weight) 8
    places later; input, weight and hx at 0, 1 and 4."""
    input_, weight, hx = arguments[0], arguments[1], arguments[4]
    mask = arguments[layers_at + 8]
    return _stack_backward(
        input_,
        weight,
        hx,
        arguments[layers_at],
        arguments[layers_at + 4],
        weights_grad=bool(mask[3]),
        input_grad=bool(mask[0]),
        initial_state_grad=bool(mask[1]),
    )


def lstm_mps_flop(input_: Any, _hx: Any, params: Sequence[Any], *args: Any, **kwargs: Any) -> int:
    return _stack_forward(input_, params)


def lstm_mps_backward_flop(
    _grad_y: Any,
    _grad_hy: Any,
    _grad_cy: Any,
    _z_state: Any,
    _cell_state: Any,
    input_: Any,
    _outputs: Any,
    hx: Sequence[Any],
    params: Sequence[Any],
    _has_biases: bool,
    layers: int,
    _dropout: float,
    _train: bool,
    bidirectional: bool,
    *args: Any,
    **kwargs: Any,
) -> int:
    return _stack_backward(
        input_,
        params,
        hx[0],
        layers,
        bidirectional,
        weights_grad=any(p.requires_grad for p in params),
        input_grad=input_.requires_grad,
        initial_state_grad=hx[0].requires_grad,
    )


# -- small products ------------------------------------------------------------------------
def _mv_flop(mat_shape: Any, vec_shape: Any, *args: Any, **kwargs: Any) -> int:
    rows, cols = mat_shape
    return int(2 * rows * cols)


def _addmv_flop(self_shape: Any, mat_shape: Any, vec_shape: Any, *args: Any, **kwargs: Any) -> int:
    return _mv_flop(mat_shape, vec_shape)


def _dot_flop(a_shape: Any, b_shape: Any, *args: Any, **kwargs: Any) -> int:
    return int(2 * a_shape[0])


def _raw(function: Any) -> Any:
    """Mark one of our formulas as taking tensors (not shapes), as
    ``register_flop_formula(get_raw=True)`` does, so ``FlopCounterMode`` does not wrap it."""
    function._get_raw = True
    return function


@functools.cache
def counter_formulas() -> dict[Any, Any]:
    """``{operator: formula}`` for ``FlopCounterMode(custom_mapping=...)``: ours where
    torch has none or a wrong one. Formulas on shapes are plain functions (torch wraps
    them); those that need tensors are marked raw."""
    import torch
    from torch.utils import flop_counter

    aten = torch.ops.aten
    registry = flop_counter.flop_registry
    mapping: dict[Any, Any] = {}

    def add(name: str, formula: Any) -> None:
        op = getattr(aten, name, None)
        if op is not None:
            mapping[op] = formula

    # Kernels that do what an already-counted kernel does: reuse its (wrapped) formula.
    same_as = {
        "_scaled_dot_product_flash_attention_for_cpu": "_scaled_dot_product_flash_attention",
        "_scaled_dot_product_flash_attention_for_cpu_backward": (
            "_scaled_dot_product_flash_attention_backward"
        ),
        "_scaled_dot_product_fused_attention_overrideable": "_scaled_dot_product_flash_attention",
        "_scaled_dot_product_fused_attention_overrideable_backward": (
            "_scaled_dot_product_flash_attention_backward"
        ),
    }
    for name, model in same_as.items():
        model_op = getattr(aten, model, None)
        if model_op in registry and getattr(aten, name, None) not in registry:
            # torch's entry takes tensors; the function it wraps takes shapes, and the
            # counter wraps that again (on its fast path, see flops._formula).
            wrapped = registry[model_op]
            add(name, getattr(wrapped, "__wrapped__", wrapped))
    for name, formula in {"mv": _mv_flop, "addmv": _addmv_flop, "dot": _dot_flop}.items():
        if getattr(aten, name, None) not in registry:
            add(name, formula)
    if getattr(aten, "vdot", None) not in registry:
        add("vdot", _dot_flop)
    add("convolution_backward", conv_backward_flop)
    add("mkldnn_rnn_layer", _raw(mkldnn_rnn_layer_flop))
    add("mkldnn_rnn_layer_backward", _raw(mkldnn_rnn_layer_backward_flop))
    add("_cudnn_rnn", _raw(cudnn_rnn_flop))
    add("_cudnn_rnn_backward", _raw(cudnn_rnn_backward_flop))
    add("miopen_rnn", _raw(cudnn_rnn_flop))
    add("miopen_rnn_backward", _raw(miopen_rnn_backward_flop))
    add("_lstm_mps", _raw(lstm_mps_flop))
    add("lstm_mps_backward", _raw(lstm_mps_backward_flop))
    return mapping
