"""What a fix is expected to save on the target hardware, before it is applied.

Shown in the Fix preview (and the refactor endpoint's ``expected``), always as an
estimate with its basis; a measured verdict follows when the cell is re-run
(``profiler/verdict.py``). Never a promise the hardware cannot keep: where the
precision policy (``target.py``) keeps FP32, the answer is "no saving expected".

For ``mixed-precision`` on a GPU in the shipped datasheet table
(``profiler/data/peak_flops.csv``), from the cell's last profile:

* ``s`` = the share of the cell's time its matrix products would take at the device's
  FP32 peak (``flops / (peak_fp32 x duration)``): a lower bound of the time spent in
  them; ``2 s`` (products at half of peak, typical of real training) is the upper one;
* ``r`` = low-precision peak / FP32 peak (datasheet);
* the time left is ``(1 - s) + s / r`` (Amdahl's law), and energy at similar power
  falls with it. The saving is given as the range over ``s .. 2 s``.

On CPUs with bf16 units the basis is our own measurement (``bench/autocast_cpu.py``:
MLP training, FP32 vs bf16 autocast, on an AVX-512 BF16 CPU), which depends strongly
on matrix size.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .target import AUTOCAST_HELPER_NAME, Target

# bench/autocast_cpu.py on an AMD EPYC with AVX-512 BF16 (2026-12-04, 1 thread, loaded
# 2-vCPU VM): bf16/FP32 time per step 1.01 at batch 64, 0.53 at 256, 0.41 at 1024.
CPU_BF16_MEASURED = "0.41-1.01x the FP32 time (batch 1024 to 64, MLP 784-1024-1024-10)"


def expected_effect(
    refactor: str, target: Target, profile: Mapping[str, Any] | None = None
) -> dict[str, Any] | None:
    """``{"kind": "estimate", "summary", "saving_pct": [low, high] | None, "basis"}``,
    or None when there is nothing to say for this refactor."""
    if refactor != "mixed-precision":
        return None
    return _mixed_precision(target, profile or {})


def _estimate(summary: str, saving: tuple[float, float] | None, basis: list[str]) -> dict[str, Any]:
    return {
        "kind": "estimate",
        "summary": summary,
        "saving_pct": [round(saving[0], 1), round(saving[1], 1)] if saving else None,
        "basis": basis,
    }


def _mixed_precision(target: Target, profile: Mapping[str, Any]) -> dict[str, Any]:
    fast = target.fast_dtypes()
    if fast is None:
        return _estimate(
            "Depends on where the code runs: faster on GPUs with tensor cores and CPUs with"
            " AMX or AVX-512 BF16, unchanged (FP32 kept) elsewhere.",
            None,
            [f"`{AUTOCAST_HELPER_NAME}()` chooses the precision at run time"],
        )
    where = target.describe()
    if not fast:
        units = "AMX or AVX-512 BF16" if target.device == "cpu" else "tensor cores"
        return _estimate(
            f"No saving expected on {where}: it has no {units}, so"
            f" `{AUTOCAST_HELPER_NAME}()` keeps FP32 and the cell runs as before.",
            (0.0, 0.0),
            ["precision policy: low precision pays off only with matrix units for it"],
        )
    if target.device == "cpu":
        return _estimate(
            f"On {where}: from no saving (small matrices) to about half the time (large"
            " ones); re-run the cell to measure it.",
            (0.0, 59.0),
            [f"measured with bench/autocast_cpu.py: bf16 took {CPU_BF16_MEASURED}"],
        )
    return _gpu(target, fast, profile, where)


def _gpu(
    target: Target, fast: tuple[str, ...], profile: Mapping[str, Any], where: str
) -> dict[str, Any]:
    from .profiler.hardware import peak_flops

    precision = fast[0]
    name = target.gpus[0].name if target.gpus else ""
    fp32, low = peak_flops(name, "float32"), peak_flops(name, precision)
    if fp32 is None or low is None:
        return _estimate(
            f"On {where}: faster in {precision} (tensor cores); no datasheet figures for this"
            " GPU here, so no number. Re-run the cell to measure it.",
            None,
            ["precision policy"],
        )
    ratio = low["peak_flops_per_s"] / fp32["peak_flops_per_s"]
    basis = [
        f"{low['device']}: {precision} peak {low['peak_flops_per_s'] / 1e12:g} TFLOP/s vs FP32"
        f" {fp32['peak_flops_per_s'] / 1e12:g} ({ratio:.0f}x; {low['source']})"
    ]
    flops, duration = _number(profile.get("flops")), _number(profile.get("duration_s"))
    if flops is None or duration is None:
        return _estimate(
            f"On {where}: matrix products run up to {ratio:.0f}x faster in {precision}; the"
            " cell's saving depends on its share of them. Profile it with --flops for a number.",
            None,
            basis,
        )
    share = min(1.0, flops / (fp32["peak_flops_per_s"] * duration))
    low_saving = _saving(share, ratio)
    high_saving = _saving(min(1.0, 2 * share), ratio)
    basis.append(
        f"the cell's {flops:.3g} FLOPs in {duration:.3g} s: at least"
        f" {share:.0%} of its time in matrix products at FP32 peak (Amdahl's law)"
    )
    return _estimate(
        f"On {where}: about {low_saving:.0f}-{high_saving:.0f}% less time and energy for this"
        f" cell in {precision} (estimate); re-run the cell to measure it.",
        (low_saving, high_saving),
        basis,
    )


def _number(value: Any) -> float | None:
    """A positive number, else None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    return None


def _saving(share: float, ratio: float) -> float:
    """Percent of the time saved when ``share`` of it runs ``ratio`` times faster."""
    return 100.0 * share * (1 - 1 / ratio)
