"""The saving a fix is expected to bring, by hand count from the datasheet table."""

from __future__ import annotations

import pytest

from green_assist.expected import expected_effect
from green_assist.target import Target, parse_target

T4 = Target.from_hardware({"gpus": [{"name": "Tesla T4", "compute_capability": "7.5"}]})


def test_no_saving_where_the_policy_keeps_fp32():
    for target in (
        parse_target("cpu"),
        Target.from_hardware({"cpu_model": "AMD EPYC", "cpu_fast_bf16": None}),
        Target.from_hardware({"gpus": [{"name": "Tesla P100", "compute_capability": "6.0"}]}),
    ):
        effect = expected_effect("mixed-precision", target, {"duration_s": 10, "flops": 1e12})
        assert effect is not None and effect["saving_pct"] == [0.0, 0.0]
        assert effect["summary"].startswith("No saving expected")


def test_t4_uses_float16_and_amdahls_law():
    # T4: float16 65 TFLOP/s vs FP32 8.1 (datasheet): r = 8.02. 0.81e12 FLOPs in 1 s is
    # 10% of the time at FP32 peak: 10% x (1 - 1/8.02) = 8.75%; 20%: 17.5%.
    effect = expected_effect("mixed-precision", T4, {"duration_s": 1.0, "flops": 0.81e12})
    assert effect["saving_pct"] == pytest.approx([8.8, 17.5], abs=0.05)
    assert "float16" in effect["summary"] and effect["kind"] == "estimate"


def test_without_flops_there_is_no_number_but_the_ratio():
    effect = expected_effect("mixed-precision", T4, {"duration_s": 1.0})
    assert effect["saving_pct"] is None and "--flops" in effect["summary"]
    assert expected_effect("quantize", T4) is None
