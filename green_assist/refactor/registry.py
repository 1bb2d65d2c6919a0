"""The refactors by name: ``mixed-precision``, ``quantize``, ``distill``, ``pretrained``,
``efficient-attention``, ``grad-accumulation``, ``prune``."""

from __future__ import annotations

from .accumulation import GradAccumulation
from .attention import EfficientAttention
from .base import Refactor
from .distill import Distill
from .mixed_precision import MixedPrecision
from .pretrained import Pretrained
from .prune import Prune
from .quantize import Quantize

REFACTORS: dict[str, type[Refactor]] = {
    refactor.name: refactor
    for refactor in (
        MixedPrecision,
        Quantize,
        Distill,
        Pretrained,
        EfficientAttention,
        GradAccumulation,
        Prune,
    )
}


def get_refactor(name: str) -> type[Refactor]:
    """The refactor called ``name``; KeyError names the ones that exist."""
    try:
        return REFACTORS[name]
    except KeyError:
        known = ", ".join(REFACTORS)
        raise KeyError(f"no refactor named {name!r} (refactors: {known})") from None


def refactors_answering(code: str) -> list[type[Refactor]]:
    """The refactors whose result fixes findings of rule ``code`` (e.g. GA101)."""
    return [refactor for refactor in REFACTORS.values() if code in refactor.answers]
