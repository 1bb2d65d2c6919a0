"""FLOP formulas torch's counter lacks (checked with torch 2.13), registered once.

``torch.utils.flop_counter`` counts an operator only if it has a formula. On CPU,
``F.scaled_dot_product_attention`` runs ``aten._scaled_dot_product_flash_attention_for_cpu``
(and its backward), which has none, so attention counted 0. The CPU kernel computes
the same two matrix products as the CUDA flash kernel, so torch's own SDPA formulas
apply unchanged. The same holds for the ``..._fused_attention_overrideable`` kernels
other back ends (XPU, out-of-tree devices) use. Matrix-vector and dot products get the
usual 2 FLOPs per multiply-add.

Registration changes torch's global registry (so a ``FlopCounterMode`` the user makes
afterwards counts these too); an operator that torch already covers is left alone.
"""

from __future__ import annotations

import functools
from typing import Any, cast


def _mv_flop(mat_shape: Any, vec_shape: Any, *args: Any, **kwargs: Any) -> int:
    rows, cols = mat_shape
    return 2 * rows * cols


def _addmv_flop(self_shape: Any, mat_shape: Any, vec_shape: Any, *args: Any, **kwargs: Any) -> int:
    return _mv_flop(mat_shape, vec_shape)


def _dot_flop(a_shape: Any, b_shape: Any, *args: Any, **kwargs: Any) -> int:
    return 2 * a_shape[0]


@functools.cache
def register_missing_formulas() -> list[str]:
    """Register the formulas above where torch has none; return the operators added."""
    import torch
    from torch.utils import flop_counter

    aten = torch.ops.aten
    registry = flop_counter.flop_registry
    # Kernels that do what an already-counted kernel does: reuse its (wrapped) formula.
    same_as = {
        "_scaled_dot_product_flash_attention_for_cpu": aten._scaled_dot_product_flash_attention,
        "_scaled_dot_product_flash_attention_for_cpu_backward": (
            aten._scaled_dot_product_flash_attention_backward
        ),
        "_scaled_dot_product_fused_attention_overrideable": (
            aten._scaled_dot_product_flash_attention
        ),
        "_scaled_dot_product_fused_attention_overrideable_backward": (
            aten._scaled_dot_product_flash_attention_backward
        ),
    }
    new_formulas = {"mv": _mv_flop, "addmv": _addmv_flop, "dot": _dot_flop, "vdot": _dot_flop}
    added = []
    for name, model in same_as.items():
        op = getattr(aten, name, None)
        if op is not None and op not in registry and model in registry:
            flop_counter.register_flop_formula(op, get_raw=True)(registry[model])
            added.append(f"aten.{name}")
    for name, formula in new_formulas.items():
        op = getattr(aten, name, None)
        if op is not None and op not in registry:
            flop_counter.register_flop_formula(op)(cast(Any, formula))
            added.append(f"aten.{name}")
    return added
