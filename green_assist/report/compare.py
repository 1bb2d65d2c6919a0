"""BEFORE vs AFTER: the measured effect of a change, per cell and in total.

Cells are matched by label first (``%%greenprofile --label train``), then by the front
end's cell id, then by order among the cells still unmatched; each pair says how it
was matched. A label or id that occurs several times pairs its k-th run before with
its k-th run after. Changes are ``after - before`` (negative = saved) and a percentage
of ``before``; an unknown side leaves the change unknown, never zero.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..methods import is_measured, least_certain
from .model import Cell, SessionReport

METRICS = ("duration_s", "energy_j", "co2e_g")


@dataclass(frozen=True)
class Change:
    """One figure before and after; ``method`` is the less certain side's (energy, CO2e)."""

    before: float | None
    after: float | None
    method: str | None = None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def percent(self) -> float | None:
        delta = self.delta
        if delta is None or not self.before:
            return None
        return delta / self.before * 100.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "before": self.before,
            "after": self.after,
            "change": self.delta,
            "change_pct": self.percent,
            "method": self.method,
        }


def _figures(cell: Cell | None) -> dict[str, float | None]:
    if cell is None:
        return dict.fromkeys(METRICS)
    record = cell.record
    return {"duration_s": record.duration_s, "energy_j": record.energy_j, "co2e_g": record.co2e_g}


def _method(metric: str, *methods: str | None) -> str | None:
    """Time is measured (wall clock); energy and CO2e are as certain as the energy figures."""
    return None if metric == "duration_s" else least_certain(methods)


@dataclass(frozen=True)
class CellChange:
    """A matched pair of cells (or a cell found on one side only)."""

    before: Cell | None
    after: Cell | None
    matched_by: str | None  # "label", "cell id", "order"; None when on one side only

    @property
    def name(self) -> str:
        names = [cell.name for cell in (self.before, self.after) if cell is not None]
        return names[0] if len(set(names)) == 1 else " → ".join(names)

    def change(self, metric: str) -> Change:
        methods = [cell.record.energy_method for cell in (self.before, self.after) if cell]
        return Change(
            _figures(self.before)[metric], _figures(self.after)[metric], _method(metric, *methods)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "before_cell": self.before.index if self.before else None,
            "after_cell": self.after.index if self.after else None,
            "matched_by": self.matched_by,
            **{metric: self.change(metric).to_dict() for metric in METRICS},
        }


@dataclass
class Comparison:
    """Two reports and how their cells and totals changed."""

    before: SessionReport
    after: SessionReport
    pairs: list[CellChange]
    warnings: list[str]

    def total(self, metric: str) -> Change:
        """Whole sessions: every cell on each side, matched or not."""
        before, after = self.before.totals, self.after.totals
        method = _method(metric, before.energy_method, after.energy_method)
        return Change(getattr(before, metric), getattr(after, metric), method)

    def matched(self, metric: str) -> Change:
        """Only pairs with the figure known on both sides: like for like."""
        changes = [pair.change(metric) for pair in self.pairs]
        known = [c for c in changes if c.delta is not None]
        if not known:
            return Change(None, None)
        return Change(
            sum(c.before for c in known if c.before is not None),
            sum(c.after for c in known if c.after is not None),
            _method(metric, *(c.method for c in known)),
        )

    @property
    def matched_pairs(self) -> int:
        return sum(1 for pair in self.pairs if pair.matched_by)

    def to_dict(self) -> dict[str, Any]:
        return {
            "pairs": [pair.to_dict() for pair in self.pairs],
            "matched_pairs": self.matched_pairs,
            "totals": {metric: self.total(metric).to_dict() for metric in METRICS},
            "matched_totals": {metric: self.matched(metric).to_dict() for metric in METRICS},
            "warnings": self.warnings,
        }


def match_cells(before: list[Cell], after: list[Cell]) -> list[CellChange]:
    """Pairs by label, then cell id, then order; unmatched cells stand alone."""
    left = list(range(len(before)))
    right = list(range(len(after)))
    pairs: list[tuple[int, int, str]] = []
    keys: list[tuple[str, Callable[[Cell], str | None]]] = [
        ("label", lambda cell: cell.record.label),
        ("cell id", lambda cell: cell.record.cell_id),
    ]
    for how, key in keys:
        waiting: dict[str, deque[int]] = defaultdict(deque)
        for j in right:
            value = key(after[j])
            if value:
                waiting[value].append(j)
        for i in list(left):
            value = key(before[i])
            if value and waiting[value]:
                j = waiting[value].popleft()
                pairs.append((i, j, how))
                left.remove(i)
                right.remove(j)
    for i, j in zip(list(left), list(right), strict=False):
        pairs.append((i, j, "order"))
        left.remove(i)
        right.remove(j)
    changes = [CellChange(before[i], after[j], how) for i, j, how in sorted(pairs)]
    changes += [CellChange(before[i], None, None) for i in left]
    changes.sort(key=lambda change: change.before.index if change.before else -1)
    changes += [CellChange(None, after[j], None) for j in right]
    return changes


def compare(before: SessionReport, after: SessionReport) -> Comparison:
    """Match the cells of two reports and say what limits the comparison."""
    pairs = match_cells(before.cells, after.cells)
    return Comparison(before, after, pairs, _caveats(before, after, pairs))


def _caveats(before: SessionReport, after: SessionReport, pairs: list[CellChange]) -> list[str]:
    warnings = []
    by_order = sum(1 for pair in pairs if pair.matched_by == "order")
    if by_order:
        warnings.append(
            f"{by_order} cell(s) matched by order only (no shared label or cell id); "
            "label cells with %%greenprofile --label NAME to match them for sure"
        )
    alone = [pair for pair in pairs if pair.matched_by is None]
    if alone:
        names = ", ".join(pair.name for pair in alone[:5]) + (" ..." if len(alone) > 5 else "")
        warnings.append(f"{len(alone)} cell(s) found on one side only: {names}")
    if before.methods.hardware != after.methods.hardware:
        warnings.append("BEFORE and AFTER ran on different hardware: changes mix code and machine")
    carbon = [
        {(b.intensity_g_per_kwh, b.pue) for b in report.methods.carbon}
        for report in (before, after)
    ]
    if carbon[0] != carbon[1]:
        warnings.append(
            "BEFORE and AFTER use different carbon intensity or PUE: compare energy, "
            "not CO2e, for the effect of the code"
        )
    measured = [is_measured(report.totals.energy_method) for report in (before, after)]
    if measured[0] != measured[1]:
        warnings.append(
            "one side's energy is measured and the other's estimated: "
            "the energy change is not like for like"
        )
    return warnings
