"""Run several scripts in one interpreter (torch starts once) and record what they did.

Usage: python harness.py RESULT.json SCRIPT[::ARG[::CPU_BF16]] ...

For each script: its stdout, every nn.Linear forward (training mode, output dtype, CPU
autocast on?), whether autocast was on at each ``backward()`` and optimizer step, and
the traceback if it failed (the other scripts still run).

``CPU_BF16`` fakes the CPU's bf16 matrix units at their lowest boundary, torch's own
capability probe: ``none`` (an AVX2-only CPU), ``avx512_bf16`` or ``amx_bf16``; left
out, the real CPU answers.
"""

import contextlib
import io
import json
import runpy
import sys
import traceback

import torch
from torch.optim.optimizer import register_optimizer_step_pre_hook

current: dict[str, list] = {}


def on_forward(module, inputs, output):
    if isinstance(module, torch.nn.Linear) and current:
        current["forward"].append(
            [module.training, str(output.dtype), torch.is_autocast_enabled("cpu")]
        )


def on_step(optimizer, args, kwargs):
    if current:
        current["step_autocast"].append(torch.is_autocast_enabled("cpu"))


original_backward = torch.Tensor.backward


def backward(self, *args, **kwargs):
    if current:
        current["backward_autocast"].append(torch.is_autocast_enabled("cpu"))
    return original_backward(self, *args, **kwargs)


torch.nn.modules.module.register_module_forward_hook(on_forward)
register_optimizer_step_pre_hook(on_step)
torch.Tensor.backward = backward

REAL_PROBES = (torch.cpu._is_avx512_bf16_supported, torch.cpu._is_amx_tile_supported)


def fake_cpu(bf16: str) -> None:
    """Make torch report the CPU's bf16 units as ``bf16`` (empty: as they really are)."""
    avx512, amx = REAL_PROBES
    if bf16:
        avx512 = lambda: bf16 == "avx512_bf16"  # noqa: E731
        amx = lambda: bf16 == "amx_bf16"  # noqa: E731
    torch.cpu._is_avx512_bf16_supported, torch.cpu._is_amx_tile_supported = avx512, amx


result_path, specs = sys.argv[1], sys.argv[2:]
records = {}
for spec in specs:
    script, argument, bf16 = (spec.split("::") + ["", ""])[:3]
    fake_cpu(bf16)
    key = script + (f"::{bf16}" if bf16 else "")
    current = records[key] = {"forward": [], "backward_autocast": [], "step_autocast": []}
    sys.argv = [script, *([argument] if argument else [])]
    output = io.StringIO()
    try:
        with contextlib.redirect_stdout(output):
            runpy.run_path(script, run_name="__main__")
    except BaseException:
        current["error"] = traceback.format_exc()
    current["stdout"] = output.getvalue()

with open(result_path, "w") as file:
    json.dump(records, file)
