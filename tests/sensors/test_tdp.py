"""CPU TDP table lookup and the estimate's constants."""

from __future__ import annotations

import pytest

from green_assist.sensors.tdp import (
    find_tdp_row,
    median_watts_per_thread,
    resolve_cpu_power_model,
    tdp_table,
)


def test_table_rows_are_sourced_and_plausible():
    for row in tdp_table():
        assert row.source.strip()
        assert 5 <= row.tdp_w <= 500
        assert row.cores <= row.threads <= 2 * row.cores


@pytest.mark.parametrize(
    ("cpuinfo_name", "match"),
    [
        ("Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz", "Xeon Gold 6338"),
        ("AMD EPYC 7763 64-Core Processor", "EPYC 7763"),
        ("Intel(R) Xeon(R) CPU E5-2690 v4 @ 2.60GHz", "Xeon E5-2690 v4"),
        ("Intel(R) Xeon(R) Platinum 8480+", "Xeon Platinum 8480+"),
        ("AMD Ryzen 9 5950X 16-Core Processor", "Ryzen 9 5950X"),
    ],
)
def test_model_names_from_proc_cpuinfo_match(cpuinfo_name, match):
    row = find_tdp_row(cpuinfo_name)
    assert row is not None and row.match == match


@pytest.mark.parametrize(
    "cpuinfo_name",
    ["AMD EPYC", "Intel(R) Xeon(R) Gold 6338N CPU @ 2.20GHz", "Intel(R) Xeon(R) Processor"],
)
def test_other_models_do_not_match_a_near_name(cpuinfo_name):
    assert find_tdp_row(cpuinfo_name) is None


def test_known_model_uses_its_row():
    model = resolve_cpu_power_model({}, model="AMD EPYC 7763 64-Core Processor", siblings=2)
    assert model.tdp_w == 280 and model.threads_per_package == 128
    assert model.watts_per_logical_cpu == pytest.approx(280 / 128)
    assert "amd.com" in model.source
    assert model.problems == ()


def test_unknown_model_uses_the_table_median_and_says_so():
    model = resolve_cpu_power_model({}, model="AMD EPYC", siblings=2)
    assert model.tdp_w is None
    assert model.watts_per_logical_cpu == pytest.approx(median_watts_per_thread())
    assert "median" in model.source.lower()
    assert any("'AMD EPYC' is not in" in p for p in model.problems)  # doctor gives the fix


def test_override_is_shared_by_the_threads_given():
    env = {"GREEN_ASSIST_CPU_TDP_W": "200", "GREEN_ASSIST_CPU_THREADS": "64"}
    model = resolve_cpu_power_model(env, model="AMD EPYC", siblings=2)
    assert model.watts_per_logical_cpu == pytest.approx(200 / 64)
    assert "GREEN_ASSIST_CPU_TDP_W=200" in model.source
    assert model.problems == ()


def test_bad_override_is_reported_and_ignored():
    env = {"GREEN_ASSIST_CPU_TDP_W": "hot"}
    model = resolve_cpu_power_model(env, model="AMD EPYC 7763 64-Core Processor", siblings=2)
    assert model.tdp_w == 280
    assert any("not a number" in p for p in model.problems)
