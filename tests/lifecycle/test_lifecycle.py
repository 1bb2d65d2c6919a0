"""Embodied CO2e, water and the same energy elsewhere: each figure by hand from the shipped
published factors (their values are pinned here so a change to them is seen)."""

from __future__ import annotations

import pytest

from green_assist.lifecycle import LifecycleFacts, assess
from green_assist.lifecycle.alternatives import lowest_nearby
from green_assist.lifecycle.tables import electricity_water, embodied_factors
from green_assist.sensors.carbon import CarbonSettings, lookup_region

HOUR_OF_LIFE = 1 / (6 * 8766)  # share of a 6-year service life in one hour
KWH = 3.6e6


def test_published_factors_are_the_ones_documented():
    factors = embodied_factors()
    assert float(factors["gpu"]["kg_co2e"]) == 150  # Luccioni et al. 2023 (BLOOM)
    assert float(factors["host"]["kg_co2e"]) == 2500  # same source, server without GPUs
    assert float(factors["memory"]["kg_co2e"]) == 0.4  # LLMCarbon / ACT, per GB
    assert float(electricity_water()["US"]["l_per_kwh"]) == 3.142  # Li et al. 2023


def test_embodied_one_hour_on_a_gpu_host():
    """1 h, 8 logical CPUs busy all along, 16 GB resident, two GPUs: host 2,500 kg x 8/128
    (8 of the reference server's 128 logical CPUs) + memory 0.4 kg x 16 + 2 x 150 kg, each
    over 6 x 8766 h."""
    facts = LifecycleFacts(
        duration_s=3600,
        energy_j=None,
        cpu_seconds=8 * 3600,
        peak_rss_bytes=16 * 10**9,
        gpus_used=["gpu:0", "gpu:1"],
    )
    result = assess(facts, CarbonSettings.from_env({}), env={})["embodied"]
    expected_kg = 2500 * 8 / 128 + 0.4 * 16 + 2 * 150
    assert result["embodied_co2e_g"] == pytest.approx(expected_kg * 1000 * HOUR_OF_LIFE)
    assert result["method"] == "estimated" and result["complete"]
    assert set(result["parts"]) == {"host", "memory", "gpu:0", "gpu:1"}
    assert result["parts"]["host"]["cpu_hours"] == 8
    shorter = assess(facts, CarbonSettings.from_env({}), env={"GREEN_ASSIST_HARDWARE_YEARS": "3"})
    assert shorter["embodied"]["embodied_co2e_g"] == pytest.approx(2 * result["embodied_co2e_g"])


def test_embodied_without_cpu_time_is_a_lower_bound_that_says_so():
    facts = LifecycleFacts(3600, None, None, 10**9, [])
    result = assess(facts, CarbonSettings.from_env({}), env={})["embodied"]
    assert (
        result["parts"]["host"]["grams"] is None and "unknown" in result["parts"]["host"]["reason"]
    )
    assert not result["complete"]
    assert result["embodied_co2e_g"] == pytest.approx(0.4 * 1000 * HOUR_OF_LIFE)


def test_water_in_a_us_cloud_region():
    """1 kWh in aws:us-west-2: AWS WUE 0.12 L/kWh on site + PUE 1.14 x 3.142 L/kWh for the
    electricity (US average)."""
    carbon = CarbonSettings.from_env({"GREEN_ASSIST_REGION": "aws:us-west-2"})
    result = assess(LifecycleFacts(10, KWH, None, None), carbon, env={})["water"]
    assert result["on_site_l"] == pytest.approx(0.12)
    assert result["electricity_l"] == pytest.approx(1.14 * 3.142)
    assert result["water_l"] == pytest.approx(0.12 + 1.14 * 3.142)
    assert result["complete"] and set(result["sources"]) == {"on_site", "electricity"}


def test_water_outside_published_figures_says_what_is_left_out():
    carbon = CarbonSettings.from_env({"GREEN_ASSIST_REGION": "DE"})  # own machine, Germany
    result = assess(LifecycleFacts(10, KWH, None, None), carbon, env={})["water"]
    assert result["on_site_l"] is None and result["electricity_l"] is None
    assert result["water_l"] is None and not result["complete"]  # unknown, never a bare 0
    assert any("no published figure for DE" in note for note in result["notes"])


def test_lowest_carbon_nearby_region_and_a_chosen_one():
    """aws:us-east-1 (PJM, Google's 2025 figure 343.48): the lowest AWS region in North
    America is ca-central-1 (Hydro-Québec, 11.36)."""
    carbon = CarbonSettings.from_env({"GREEN_ASSIST_REGION": "aws:us-east-1"})
    env = {"GREEN_ASSIST_COMPARE_REGION": "gcp:europe-north2"}
    result = assess(LifecycleFacts(10, KWH, None, None), carbon, env=env)["alternatives"]
    nearby = result["lowest_nearby"]
    assert nearby["region"] == "aws:ca-central-1" and nearby["year"] == 2025
    assert nearby["co2e_g"] == pytest.approx(1.14 * 11.36)  # AWS PUE 1.14
    chosen = result["chosen"]
    assert chosen["region"] == "gcp:europe-north2"
    assert chosen["co2e_g"] == pytest.approx(1.09 * 19.39)  # Google's PUE and figure
    assert lowest_nearby(lookup_region("DE")) is None  # not a cloud region


def test_unknown_compare_region_is_a_problem_not_a_failure():
    carbon = CarbonSettings.from_env({"GREEN_ASSIST_REGION": "FR"})
    env = {"GREEN_ASSIST_COMPARE_REGION": "mars-east-1"}
    result = assess(LifecycleFacts(10, KWH, None, None), carbon, env=env)
    assert result["alternatives"]["chosen"] is None
    assert any("GREEN_ASSIST_COMPARE_REGION" in p for p in result["problems"])


def test_every_record_carries_its_lifecycle_and_the_report_sums_it(tmp_path, monkeypatch):
    """A real profiled run (estimate backend here), then the versioned JSON report."""
    import json

    import jsonschema

    from green_assist.profiler.measurement import Target
    from green_assist.profiler.session import ProfilerSession
    from green_assist.report import schema, write_report

    monkeypatch.setenv("GREEN_ASSIST_REGION", "aws:us-east-1")
    monkeypatch.setenv("GREEN_ASSIST_COMPARE_REGION", "FR")
    session = ProfilerSession(log_dir=tmp_path)
    records = []
    for _ in range(2):
        measurement = session.begin(Target(kind="script", mode="script", source="work"))
        sum(i * i for i in range(200_000))
        records.append(session.finish(measurement))
    session.close()
    for record in records:
        assert record.embodied_co2e_g is not None and record.embodied_co2e_g > 0
        assert record.lifecycle["embodied"]["method"] == "estimated"
        assert record.water_l == pytest.approx(record.lifecycle["water"]["water_l"])
        nearby = record.lifecycle["alternatives"]["lowest_nearby"]
        assert nearby["region"] == "aws:ca-central-1"
        assert record.carbon["pue_year"] == 2025
    out = tmp_path / "report.json"
    write_report([tmp_path], out)
    document = json.loads(out.read_text())
    jsonschema.validate(document, schema())
    totals = document["session"]["totals"]
    assert totals["embodied_co2e_g"] == pytest.approx(sum(r.embodied_co2e_g for r in records))
    assert totals["water_l"] == pytest.approx(sum(r.water_l for r in records))
    lifecycle = document["session"]["methods"]["lifecycle"]
    assert any("BLOOM" in text for text in lifecycle["embodied"])
    assert any("Making AI Less Thirsty" in text for text in lifecycle["water"])
    assert document["session"]["cells"][0]["alternatives"]["chosen"]["region"] == "FR"
    write_report([tmp_path], tmp_path / "report.html")
    page = (tmp_path / "report.html").read_text()
    assert "Embodied CO₂e" in page and "The same energy elsewhere" in page
    write_report([tmp_path], tmp_path / "report.md")
    assert "Lifecycle (estimates from published factors" in (tmp_path / "report.md").read_text()


def test_front_ends_get_the_places_to_compare_with(tmp_path, monkeypatch):
    from green_assist.profiler.session import ProfilerSession

    monkeypatch.setenv("GREEN_ASSIST_REGION", "azure:westus3")  # Arizona, eGRID AZNM
    session = ProfilerSession(log_dir=tmp_path)
    session.carbon_overrides = {"GREEN_ASSIST_COMPARE_REGION": "gcp:us-west1"}
    places = session.state()["carbon"]["alternatives"]
    session.close()
    nearby, chosen = places["lowest_nearby"], places["chosen"]
    assert nearby["region"] == "azure:canadaeast" and nearby["pue"] == 1.18
    assert (chosen["region"], chosen["g_per_kwh"], chosen["year"]) == ("gcp:us-west1", 97.85, 2025)
    assert chosen["co2e_g"] is None  # per kWh figures: the front end scales them
