"""How a record (and a live snapshot) looks: plain text for terminals, HTML for notebooks.

``ProfileResult(record)`` is what ``%%greenprofile`` displays: IPython picks
``_repr_html_`` in a notebook and the text in a terminal. Every energy figure shows its
method; the CO2e line shows the grid intensity and where it comes from.
"""

from __future__ import annotations

import html
from typing import Any

from .flops import CONVENTION
from .session_log import ProfileRecord

_GIB = float(1 << 30)


def energy_text(joules: float | None) -> str:
    """``"512 J"`` below one watt-hour, then ``"1.23 Wh"`` / ``"4.56 kWh"``."""
    return _ladder(joules, [(3600.0, 1.0, "J"), (3.6e6, 3600.0, "Wh"), (None, 3.6e6, "kWh")])


def grams_text(grams: float | None) -> str:
    return _ladder(grams, [(1.0, 1e-3, "mg"), (1000.0, 1.0, "g"), (None, 1000.0, "kg")])


def _ladder(value: float | None, steps: list[tuple[float | None, float, str]]) -> str:
    """``value`` in the first unit whose upper ``limit`` it is below (3 significant digits)."""
    if value is None:
        return "unknown"
    for limit, divisor, unit in steps:
        if limit is None or value < limit:
            return f"{value / divisor:.3g} {unit}"
    raise AssertionError("the last step has no limit")


def bytes_text(value: int | None) -> str:
    if value is None:
        return "unknown"
    if value < 1 << 20:
        return f"{value / 1024:.0f} KiB"
    if value < 1 << 30:
        return f"{value / (1 << 20):.0f} MiB"
    return f"{value / _GIB:.2f} GiB"


def flops_text(value: float | None, unit: str = "FLOP") -> str:
    if value is None:
        return "unknown"
    for scale, prefix in ((1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= scale:
            return f"{value / scale:.3g} {prefix}{unit}"
    return f"{value:.3g} {unit}"


def duration_text(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 120:
        return f"{seconds:.2f} s"
    return f"{seconds / 60:.1f} min"


def summary_rows(record: ProfileRecord) -> list[tuple[str, str]]:
    """The result as (label, text) rows; text and HTML are built from these."""
    rows: list[tuple[str, str]] = []
    parts = []
    for name, figure in record.energy.items():
        if figure.get("joules") is None:
            parts.append(f"{name} unknown ({figure.get('reason') or 'no reading'})")
        else:
            parts.append(f"{name} {energy_text(figure['joules'])} ({figure.get('method')})")
    total = energy_text(record.energy_j)
    method = f" ({record.energy_method})" if record.energy_method else ""
    rows.append(("energy", f"{total}{method}" + (f" = {'; '.join(parts)}" if parts else "")))
    if record.flops_counter_s is not None:
        rows.append(("", counting_overhead_text(record)))
    carbon_note = record.carbon.get("note") or (
        f"{record.carbon_intensity_g_per_kwh:g} gCO2e/kWh; PUE {record.pue:g}"
        if record.carbon_intensity_g_per_kwh is not None and record.pue is not None
        else "carbon intensity unknown"
    )
    rows.append(("CO2e", f"{grams_text(record.co2e_g)} ({carbon_note})"))
    if record.startup:
        from .startup import startup_text

        rows.append(("startup", startup_text(record.startup)))
    lifecycle = lifecycle_text(record)
    if lifecycle:
        rows.append(("lifecycle", lifecycle))
    memory = [f"peak RSS {bytes_text(record.peak_rss_bytes)}"]
    memory += [f"{k} {bytes_text(v)}" for k, v in sorted(record.gpu_peak_memory_bytes.items())]
    rows.append(("memory", "; ".join(memory)))
    if record.flops is not None:
        rows.append(("FLOPs", _flops_summary(record)))
    elif record.flops_notes:
        rows.append(("FLOPs", "not counted: " + "; ".join(record.flops_notes)))
    for note in record.flops_notes[1:] if record.flops is not None else []:
        rows.append(("", note))
    for advice in record.advice:
        rows.append(("advice", f"{advice['title']}: {advice['message']} Fix: {advice['fix']}"))
    return rows


def litres_text(litres: float | None) -> str:
    return _ladder(litres, [(1e-3, 1e-6, "µL"), (1.0, 1e-3, "mL"), (None, 1.0, "L")])


def lifecycle_text(record: ProfileRecord) -> str:
    """Embodied CO2e and water (estimates), and the same energy elsewhere, in one line."""
    parts = []
    if record.embodied_co2e_g is not None:
        parts.append(f"embodied ≈{grams_text(record.embodied_co2e_g)} CO2e")
    if record.water_l is not None:
        parts.append(f"water ≈{litres_text(record.water_l)}")
    text = " · ".join(parts) + (" (estimates)" if parts else "")
    alternatives = (record.lifecycle or {}).get("alternatives") or {}
    labels = {"lowest_nearby": "lowest-carbon nearby", "chosen": "your choice"}
    for kind, label in labels.items():
        found = alternatives.get(kind)
        if isinstance(found, dict) and found.get("co2e_g") is not None:
            text += (
                f"; same energy in {found['region']} ({label}, {found['g_per_kwh']:g} g/kWh, "
                f"{found['year']}): {grams_text(found['co2e_g'])}"
            )
    return text.lstrip("; ")


def counting_overhead_text(record: ProfileRecord) -> str:
    """Says that a --flops cell's time and energy include the counter's own work."""
    spent = record.flops_counter_s or 0.0
    share = f", {spent / record.duration_s:.0%} of the time" if record.duration_s > 0 else ""
    return (
        f"time and energy include FLOP counting: at least {duration_text(spent)} was the "
        f"counter's own work{share}"
    )


def _flops_summary(record: ProfileRecord) -> str:
    assert record.flops is not None
    text = flops_text(record.flops)
    if record.flops_backward:
        text += (
            f" (forward {flops_text(record.flops_forward)}, "
            f"backward {flops_text(record.flops_backward)})"
        )
    if record.flops_per_s is not None:
        text += f"; {flops_text(record.flops_per_s, 'FLOP/s')} achieved"
    peak = record.flops_peak
    if peak:
        text += (
            f", {peak['fraction']:.1%} of the {peak['device']} {peak['precision']} peak "
            f"({flops_text(peak['peak_flops_per_s'], 'FLOP/s')})"
        )
    text += f"; {CONVENTION}"
    if record.flops_complete is False:
        text += "; INCOMPLETE (see below)"
    return text


def heading(record: ProfileRecord) -> str:
    what = record.label or (
        f"cell [{record.execution_count}]" if record.execution_count is not None else record.kind
    )
    status = "ok" if record.status == "ok" else f"error ({(record.error or {}).get('ename')})"
    return f"green_assist: {what} · {duration_text(record.duration_s)} · {status}"


def format_text(record: ProfileRecord) -> str:
    lines = [heading(record)]
    for label, text in summary_rows(record):
        lines.append(f"  {label:<7} {text}")
    return "\n".join(lines)


def format_html(record: ProfileRecord) -> str:
    cells = "".join(
        f"<tr><th style='text-align:left;padding:1px 8px 1px 0;vertical-align:top'>"
        f"{html.escape(label)}</th><td style='text-align:left'>{html.escape(text)}</td></tr>"
        for label, text in summary_rows(record)
    )
    return (
        "<div class='green-assist-result' style='font-size:0.9em'>"
        f"<div style='font-weight:600'>{html.escape(heading(record))}</div>"
        f"<table style='border-collapse:collapse;margin:0'>{cells}</table></div>"
    )


def one_line(record: ProfileRecord) -> str:
    """A single line for automatic mode's ``--show``."""
    flops = f" · {flops_text(record.flops)}" if record.flops is not None else ""
    method = f" ({record.energy_method})" if record.energy_method else ""
    return (
        f"{heading(record)} · {energy_text(record.energy_j)}{method} · "
        f"{grams_text(record.co2e_g)} CO2e{flops}"
    )


def live_text(message: dict[str, Any]) -> str:
    """The running readout: elapsed time, power and energy so far, each with its method."""
    parts = [f"running {duration_text(message['elapsed_s'])}"]
    if message.get("power_w") is not None:
        parts.append(f"{message['power_w']:.3g} W now")
    parts.append(f"{energy_text(message['energy_j'])} so far")
    detail = [
        f"{name} {energy_text(fig['joules'])} ({fig['method']})"
        for name, fig in message["energy"].items()
        if fig.get("joules") is not None
    ]
    text = "green_assist: " + " · ".join(parts)
    return text + (f" [{'; '.join(detail)}]" if detail else "")


def live_html(message: dict[str, Any]) -> str:
    return (
        "<div class='green-assist-live' style='font-size:0.9em;opacity:0.85'>"
        f"{html.escape(live_text(message))}</div>"
    )


class ProfileResult:
    """Displayed under a profiled cell; the record is in ``.record``."""

    def __init__(self, record: ProfileRecord) -> None:
        self.record = record

    def _repr_html_(self) -> str:
        return format_html(self.record)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(format_text(self.record))

    def __repr__(self) -> str:
        return format_text(self.record)

    def mimebundle(self) -> dict[str, str]:
        return {"text/plain": format_text(self.record), "text/html": format_html(self.record)}
