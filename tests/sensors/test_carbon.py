"""Grid intensity table and CO2e settings."""

from __future__ import annotations

import pytest

from green_assist.sensors.carbon import CarbonSettings, grid_table, lookup_region


def test_every_row_has_a_source_and_a_year():
    rows = grid_table()
    kinds = {row.kind for row in rows}
    assert kinds == {"world", "country", "gcp", "aws", "azure"}
    for row in rows:
        assert row.source.strip(), row
        assert 2015 <= row.year <= 2030, row
        assert 0 <= row.g_per_kwh < 1500, row
    keys = [row.key for row in rows]
    assert len(keys) == len(set(keys)), "duplicate region keys"


@pytest.mark.parametrize(
    ("region", "key"),
    [
        ("DE", "DE"),
        ("deu", "DE"),
        ("us-central1", "gcp:us-central1"),
        ("gcp:europe-west9", "gcp:europe-west9"),
        ("aws:eu-west-1", "aws:eu-west-1"),
        ("eu-west-1", "aws:eu-west-1"),
        ("azure:westeurope", "azure:westeurope"),
    ],
)
def test_lookup_by_code_alias_and_cloud_region(region, key):
    assert lookup_region(region).key == key


def test_aws_and_azure_rows_say_they_are_country_averages():
    for row in grid_table():
        if row.kind in ("aws", "azure"):
            assert "country average" in row.source


def test_unknown_region_error_suggests_and_explains():
    with pytest.raises(KeyError) as info:
        lookup_region("us-central")
    message = info.value.args[0]
    assert "gcp:us-central1" in message
    assert "GREEN_ASSIST_CARBON_INTENSITY" in message


def test_default_is_world_average_and_says_so():
    settings = CarbonSettings.from_env({})
    world = next(row for row in grid_table() if row.kind == "world")
    assert settings.is_default
    assert settings.intensity_g_per_kwh == world.g_per_kwh
    assert settings.region is None
    assert "world average" in settings.note
    assert any("no region set" in p for p in settings.problems)


def test_region_setting_and_intensity_override():
    region = CarbonSettings.from_env({"GREEN_ASSIST_REGION": "FR"})
    assert not region.is_default
    assert region.intensity_g_per_kwh == lookup_region("FR").g_per_kwh
    assert region.year == lookup_region("FR").year
    forced = CarbonSettings.from_env(
        {"GREEN_ASSIST_REGION": "FR", "GREEN_ASSIST_CARBON_INTENSITY": "123.5"}
    )
    assert forced.intensity_g_per_kwh == 123.5
    assert "set by you" in forced.source


def test_co2e_arithmetic_uses_pue():
    settings = CarbonSettings.from_env(
        {"GREEN_ASSIST_CARBON_INTENSITY": "400", "GREEN_ASSIST_PUE": "1.5"}
    )
    assert settings.co2e_grams(3.6e6) == pytest.approx(600.0)  # 1 kWh x 1.5 x 400 g
    assert settings.co2e_grams(None) is None


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"GREEN_ASSIST_CARBON_INTENSITY": "lots"}, "not a number"),
        ({"GREEN_ASSIST_CARBON_INTENSITY": "-5"}, "must be a number >= 0"),
        ({"GREEN_ASSIST_PUE": "0.5"}, "must be a number >= 1"),
        ({"GREEN_ASSIST_REGION": "Atlantis"}, "not in green_assist's grid intensity table"),
    ],
)
def test_bad_settings_are_reported_not_fatal(env, problem):
    settings = CarbonSettings.from_env(env)
    assert any(problem in p for p in settings.problems)
    assert settings.pue == 1.0
    assert settings.intensity_g_per_kwh > 0
