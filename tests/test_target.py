"""The hardware target: parsing, the kernel's hardware, and one precision policy in two forms.

``fast_autocast_dtypes`` (what the analyzer, the refactor notes and the estimate use)
and ``AUTOCAST_HELPER`` (what the mixed-precision refactor writes into user code)
must make the same choice on every kind of hardware; the helper is run with torch's
own capability probes faked, the lowest boundary.
"""

from __future__ import annotations

import itertools

import pytest

from green_assist.target import (
    AUTOCAST_HELPER,
    Target,
    TargetError,
    fast_autocast_dtypes,
    parse_target,
)


def test_named_targets():
    assert parse_target("any").accelerator and parse_target("any").low_precision_pays_off
    cpu = parse_target("CPU")
    assert not cpu.accelerator and not cpu.low_precision_pays_off
    assert parse_target("cuda").fast_dtypes() == ("bfloat16", "float16")
    with pytest.raises(TargetError, match="auto, any, cpu, cuda, mps, xpu"):
        parse_target("tpu")


def test_auto_describes_this_machine():
    target = parse_target("auto")
    assert target.known and target.origin == "this machine"
    assert target.device in ("cpu", "cuda", "mps")
    assert "this machine" in target.describe()


@pytest.mark.parametrize(
    ("hardware", "device", "fast"),
    [
        ({"cpu_model": "AMD EPYC 7B13", "cpu_fast_bf16": None, "gpus": []}, "cpu", ()),
        ({"cpu_model": "Xeon 8480", "cpu_fast_bf16": "amx_bf16"}, "cpu", ("bfloat16",)),
        (
            {"gpus": [{"name": "Tesla T4", "compute_capability": "7.5"}]},
            "cuda",
            ("float16",),
        ),
        (
            {"gpus": [{"name": "NVIDIA A100", "compute_capability": "8.0"}]},
            "cuda",
            ("bfloat16", "float16"),
        ),
        ({"gpus": [{"name": "Tesla P100", "compute_capability": "6.0"}]}, "cuda", ()),
    ],
)
def test_kernel_hardware_becomes_a_target(hardware, device, fast):
    target = Target.from_hardware(hardware)
    assert target.device == device and target.known
    assert target.fast_dtypes() == fast
    assert target.low_precision_pays_off == bool(fast)


@pytest.mark.parametrize(
    "hardware",
    [
        {"gpus": "A100"},
        {"gpus": [{"name": "x", "compute_capability": "eight"}]},
        {"cpu_model": 5},
        {"accelerator": "tpu"},
        {"gpus": [{"name": "x"}] * 65},
    ],
)
def test_malformed_hardware_is_refused(hardware):
    with pytest.raises(TargetError):
        Target.from_hardware(hardware)


torch = pytest.importorskip("torch")


def _run_helper(device: str, capability, cpu_bf16: str | None, allowed=None):
    namespace: dict = {"torch": torch}
    exec(AUTOCAST_HELPER, namespace)
    saved = (
        torch.cuda.is_available,
        torch.cuda.get_device_capability,
        torch.cpu._is_avx512_bf16_supported,
        torch.cpu._is_amx_tile_supported,
    )
    torch.cuda.is_available = lambda: capability is not None
    torch.cuda.get_device_capability = lambda *a: capability
    torch.cpu._is_avx512_bf16_supported = lambda: cpu_bf16 == "avx512_bf16"
    torch.cpu._is_amx_tile_supported = lambda: cpu_bf16 == "amx_bf16"
    try:
        args = () if allowed is None else (allowed,)
        return namespace["autocast_dtype"](device, *args)
    finally:
        (
            torch.cuda.is_available,
            torch.cuda.get_device_capability,
            torch.cpu._is_avx512_bf16_supported,
            torch.cpu._is_amx_tile_supported,
        ) = saved


NAMES = {"bfloat16": torch.bfloat16, "float16": torch.float16}


@pytest.mark.parametrize(
    ("device", "capability", "cpu_bf16"),
    list(
        itertools.product(
            ["cuda", "cpu", "mps", "xpu"],
            [None, (6, 1), (7, 0), (7, 5), (8, 0), (9, 0)],
            [None, "avx512_bf16", "amx_bf16"],
        )
    ),
)
def test_generated_helper_agrees_with_the_policy(device, capability, cpu_bf16):
    fast = fast_autocast_dtypes(device, compute_capability=capability, cpu_bf16=cpu_bf16)
    if device == "cuda" and capability is None:
        fast = ()  # no GPU at run time: the helper keeps FP32
    for allowed in [("bfloat16", "float16"), ("bfloat16",), ("float16",)]:
        expected = next((NAMES[d] for d in allowed if d in fast), None)
        got = _run_helper(device, capability, cpu_bf16, tuple(NAMES[d] for d in allowed))
        assert got == expected, (device, capability, cpu_bf16, allowed)
