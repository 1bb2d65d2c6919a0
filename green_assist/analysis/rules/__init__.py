"""All rules, grouped by theme; one small class per rule, registered in ``ALL_RULES``.

How to add one, with its documentation and fixtures: "Add a rule" in CONTRIBUTING.md.
"""

from __future__ import annotations

from ..rule import Rule
from .architecture import ConvBiasBeforeBatchNorm
from .attention import ManualAttention
from .data_loading import DataLoaderStarvesAccelerator, OversizedBatch, RedundantDataPass
from .deprecations import DeprecatedAmpApi, DeprecatedQuantizationApi
from .inference import InferenceWithAutograd
from .precision import AutocastWrapsOnlyLoss, Fp32OnlyTraining, FrameworkWithoutMixedPrecision
from .pretrained import TrainingFromScratch
from .tensors import CpuTensorThenMoved, Float64Compute
from .training_loop import NoCheckpoint, PerStepHostSync

ALL_RULES: tuple[type[Rule], ...] = (
    Fp32OnlyTraining,
    FrameworkWithoutMixedPrecision,
    DeprecatedAmpApi,
    AutocastWrapsOnlyLoss,
    TrainingFromScratch,
    InferenceWithAutograd,
    DataLoaderStarvesAccelerator,
    PerStepHostSync,
    Float64Compute,
    ConvBiasBeforeBatchNorm,
    RedundantDataPass,
    CpuTensorThenMoved,
    OversizedBatch,
    DeprecatedQuantizationApi,
    NoCheckpoint,
    ManualAttention,
)

__all__ = ["ALL_RULES"]
