"""Small inline SVG charts: the power/energy timeline and per-cell bars.

Hand-written SVG keeps the HTML report self-contained (no script, no library) and
readable when printed. Measured figures are solid; estimates are hatched and say
"estimated" in their tooltip, so the two never look alike. Every text that comes
from the log (cell names) is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from ..methods import is_measured
from . import units
from .compare import CellChange
from .model import Cell

WIDTH = 760
FONT = 12
MAX_BARS = 40


def _a(value: object) -> str:
    """An attribute value: numbers rounded, text escaped."""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return escape(str(value), quote=True)


def _el(tag: str, body: str = "", **attrs: object) -> str:
    parts = " ".join(f'{k.rstrip("_").replace("_", "-")}="{_a(v)}"' for k, v in attrs.items())
    return f"<{tag} {parts}>{body}</{tag}>" if body or tag != "rect" else f"<{tag} {parts}/>"


def _text(x: float, y: float, text: str, **attrs: object) -> str:
    return _el("text", escape(text), x=x, y=y, **attrs)


def _title(text: str) -> str:
    return f"<title>{escape(text)}</title>"


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 up to ``top`` (steps of 1, 2, 2.5 or 5 times a power of
    ten), none beyond it: an axis ends where its data ends."""
    if top <= 0 or not math.isfinite(top):
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks = [0.0]
    while ticks[-1] + step <= top * (1 + 1e-9):
        ticks.append(round(ticks[-1] + step, 12))
    return ticks


def _axis_top(value: float) -> float:
    """The end of an axis: the largest value drawn on it (1 when there is none)."""
    return value if value > 0 and math.isfinite(value) else 1.0


def _defs(prefix: str) -> str:
    """Hatch patterns: estimates are drawn with these, measurements with solid fills."""
    patterns = []
    for name, colour in (("est", "#2e7d32"), ("est-before", "#546e7a")):
        patterns.append(
            f'<pattern id="{prefix}-{name}" patternUnits="userSpaceOnUse" width="6" height="6" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
            f'<rect width="2.5" height="6" fill="{colour}"/></pattern>'
        )
    return f"<defs>{''.join(patterns)}</defs>"


def _fill(prefix: str, method: str | None, before: bool = False) -> str:
    if is_measured(method):
        return "#546e7a" if before else "#2e7d32"
    return f"url(#{prefix}-est-before)" if before else f"url(#{prefix}-est)"


def _svg(height: float, body: str, label: str, prefix: str) -> str:
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} '
        f'{_a(float(height))}" role="img" aria-label="{_a(label)}" font-size="{FONT}">'
        f"{_title(label)}{_defs(prefix)}{body}</svg>"
    )


@dataclass(frozen=True)
class _Frame:
    """The plotting area inside the chart's margins."""

    left: float
    top: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def right(self) -> float:
        return self.left + self.width


def _axis_y(
    frame: _Frame, ticks: list[float], top: float, fmt: Callable[[float], str], right: bool
) -> str:
    parts = []
    for tick in ticks:
        y = frame.bottom - tick / top * frame.height
        if not right:
            parts.append(_el("line", x1=frame.left, x2=frame.right, y1=y, y2=y, class_="grid"))
        x = frame.right + 6 if right else frame.left - 6
        anchor = "start" if right else "end"
        parts.append(_text(x, y + 4, fmt(tick), text_anchor=anchor, class_="tick"))
    return "".join(parts)


def timeline(cells: Sequence[Cell], prefix: str = "tl") -> str:
    """Mean power per cell over profiled time, with cumulative energy as a line.

    The x axis is profiled time: cells back to back, idle time between them left out
    (nothing is measured there). Each cell is a bar as wide as its duration and as
    high as its mean power (energy / duration).
    """
    frame = _Frame(left=64, top=24, width=WIDTH - 64 - 80, height=200)
    total_time = _axis_top(sum(max(cell.record.duration_s or 0.0, 0.0) for cell in cells))
    powers = [cell.mean_power_w for cell in cells]
    top_power = _axis_top(max((p for p in powers if p is not None), default=0.0))
    power_ticks = nice_ticks(top_power)
    total_energy = _axis_top(sum(cell.record.energy_j or 0.0 for cell in cells))
    energy_ticks = nice_ticks(total_energy)
    time_ticks = nice_ticks(total_time, 6)

    body = [_axis_y(frame, power_ticks, top_power, lambda v: f"{v:g} W", right=False)]
    body.append(_axis_y(frame, energy_ticks, total_energy, units.energy, right=True))
    for tick in time_ticks:
        x = frame.left + tick / total_time * frame.width
        label = units.duration(tick, time_ticks[-1])
        body.append(_text(x, frame.bottom + 16, label, text_anchor="middle"))
    body.append(
        _text(frame.left, 14, "mean power per cell (bars, left)", class_="axis-label")
        + _text(
            frame.right,
            14,
            "cumulative energy (line, right)",
            text_anchor="end",
            class_="axis-label",
        )
        + _text(
            frame.left + frame.width / 2,
            frame.bottom + 34,
            "profiled time (idle time between cells left out)",
            text_anchor="middle",
            class_="axis-label",
        )
    )

    x_scale = frame.width / total_time
    clock, cumulative = 0.0, 0.0
    line_points = [f"{_a(frame.left)},{_a(frame.bottom)}"]
    previous_session = cells[0].record.session_id if cells else None
    for cell, watts in zip(cells, powers, strict=True):
        record = cell.record
        x = frame.left + clock * x_scale
        width = max((record.duration_s or 0.0) * x_scale, 1.0)
        if record.session_id != previous_session:
            body.append(
                _el("line", x1=x, x2=x, y1=frame.top, y2=frame.bottom, class_="session-break")
                + _text(x + 3, frame.top + 10, f"session {record.session_id}", class_="tick")
            )
            previous_session = record.session_id
        method = record.energy_method
        tip = (
            f"{cell.name}: {units.duration(record.duration_s)}, {units.energy(record.energy_j)}, "
            f"mean {units.power(watts)} ({method or 'no energy figure'})"
        )
        if watts is None:
            body.append(
                _el(
                    "rect",
                    _title(tip),
                    x=x,
                    y=frame.bottom - 4,
                    width=width,
                    height=4,
                    class_="unknown",
                )
            )
        else:
            height = watts / top_power * frame.height
            body.append(
                _el(
                    "rect",
                    _title(tip),
                    x=x,
                    y=frame.bottom - height,
                    width=width,
                    height=height,
                    fill=_fill(prefix, method),
                    class_="measured" if is_measured(method) else "estimated",
                )
            )
        clock += max(record.duration_s or 0.0, 0.0)
        cumulative += record.energy_j or 0.0
        y = frame.bottom - cumulative / total_energy * frame.height
        line_points.append(f"{_a(frame.left + clock * x_scale)},{_a(y)}")
    body.append(_el("polyline", points=" ".join(line_points), class_="cumulative"))
    body.append(
        _el("line", x1=frame.left, x2=frame.right, y1=frame.bottom, y2=frame.bottom, class_="axis")
    )
    return _svg(frame.bottom + 44, "".join(body), "Power and energy over the session", prefix)


def _bar_rows(
    rows: Sequence[tuple[str, list[tuple[float | None, str | None, bool]]]],
    value_format: Callable[[float | None], str],
    label: str,
    prefix: str,
) -> str:
    """Horizontal bars: one row per name, one or two bars per row (before/after)."""
    left, right_pad, bar_h, gap = 190, 90, 14, 8
    per_row = max(len(bars) for _, bars in rows) if rows else 1
    row_h = per_row * bar_h + gap
    width = WIDTH - left - right_pad
    top_value = _axis_top(
        max((v for _, bars in rows for v, _, _ in bars if v is not None), default=0.0)
    )
    ticks = nice_ticks(top_value, 4)
    height = 24 + len(rows) * row_h + 8
    body = []
    for tick in ticks:
        x = left + tick / top_value * width
        body.append(_el("line", x1=x, x2=x, y1=18, y2=height - 8, class_="grid"))
        body.append(_text(x, 12, value_format(tick), text_anchor="middle", class_="tick"))
    for row, (name, bars) in enumerate(rows):
        y = 24 + row * row_h
        shown = name if len(name) <= 28 else name[:27] + "…"
        body.append(_text(left - 8, y + per_row * bar_h / 2 + 4, shown, text_anchor="end"))
        for k, (value, method, before) in enumerate(bars):
            by = y + k * bar_h
            side = ("before: " if before else "after: ") if per_row > 1 else ""
            tip = f"{name}: {side}{value_format(value)} ({method or 'unknown'})"
            if value is None:
                body.append(_text(left + 4, by + bar_h - 3, "unknown", class_="tick"))
                continue
            bar_w = max(value / top_value * width, 1.0)
            body.append(
                _el(
                    "rect",
                    _title(tip),
                    x=left,
                    y=by,
                    width=bar_w,
                    height=bar_h - 2,
                    fill=_fill(prefix, method, before),
                    class_="measured" if is_measured(method) else "estimated",
                )
            )
            text = ("≈ " if not is_measured(method) else "") + value_format(value)
            body.append(_text(left + bar_w + 4, by + bar_h - 3, text, class_="tick"))
    return _svg(height, "".join(body), label, prefix)


def cell_bars(cells: Sequence[Cell], prefix: str = "bars") -> tuple[str, str | None]:
    """Energy per cell, in run order; above ``MAX_BARS`` cells only the costliest are drawn.

    Returns the SVG and, when cells were left out, a note saying so.
    """
    chosen = list(cells)
    note = None
    if len(chosen) > MAX_BARS:
        costly = sorted(chosen, key=lambda c: -(c.record.energy_j or 0.0))[:MAX_BARS]
        keep = {cell.index for cell in costly}
        chosen = [cell for cell in chosen if cell.index in keep]
        note = f"the {MAX_BARS} costliest of {len(cells)} cells are drawn"
    rows = [
        (cell.name, [(cell.record.energy_j, cell.record.energy_method, False)]) for cell in chosen
    ]
    return _bar_rows(rows, units.energy, "Energy per cell", prefix), note


def change_bars(pairs: Sequence[CellChange], prefix: str = "cmp") -> str:
    """Energy before (grey-blue) and after (green) for each matched pair."""
    rows = []
    for pair in pairs[:MAX_BARS]:
        bars = []
        for cell, before in ((pair.before, True), (pair.after, False)):
            record = cell.record if cell else None
            bars.append(
                (
                    record.energy_j if record else None,
                    record.energy_method if record else None,
                    before,
                )
            )
        rows.append((pair.name, bars))
    return _bar_rows(rows, units.energy, "Energy per cell, before and after", prefix)
