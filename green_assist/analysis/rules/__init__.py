"""All rules, grouped by theme; one small class per rule.

To add a rule: write the class in the module of its theme (or a new one), give it
the next free code, add it to ``ALL_RULES``, add fixtures under
``tests/fixtures/<code>/`` and regenerate the docs
(``python -m green_assist.analysis.docs --write``).
"""

from __future__ import annotations

from ..rule import Rule
from .data_loading import DataLoaderStarvesAccelerator
from .deprecations import DeprecatedAmpApi

ALL_RULES: tuple[type[Rule], ...] = (
    DeprecatedAmpApi,
    DataLoaderStarvesAccelerator,
)

__all__ = ["ALL_RULES"]
