"""Method chains on a constructor call: ``Net(...).to(device).train()``."""

from __future__ import annotations

import libcst as cst


def base_call(value: cst.Call) -> cst.Call:
    """``Net(...)`` in ``Net(...).to(device).train()``."""
    while isinstance(value.func, cst.Attribute) and isinstance(value.func.value, cst.Call):
        value = value.func.value
    return value


def is_chain_on(value: cst.BaseExpression, call: cst.Call) -> bool:
    """``value`` is ``call`` or ``call.to(device)...`` (methods called on it)."""
    while value is not call:
        if not (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)):
            return False
        value = value.func.value
    return True


def replace_base(
    value: cst.BaseExpression, call: cst.Call, new: cst.BaseExpression
) -> cst.BaseExpression:
    """``value`` with ``call`` (its chain's base) replaced by ``new``."""
    if value is call:
        return new
    assert isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)
    inner = replace_base(value.func.value, call, new)
    return value.with_changes(func=value.func.with_changes(value=inner))
