"""Grid intensity table and CO2e settings."""

from __future__ import annotations

import csv

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


def test_every_cloud_region_says_why_its_figure_fits_the_place():
    for row in grid_table():
        if row.is_cloud:
            assert row.basis and row.area and len(row.country) == 2, row
            assert row.source in row.described_source


# Regions of different providers on the same grid (from the providers' published region
# locations): they must read the same figure.
CO_LOCATED = [
    ("aws:us-west-2", "gcp:us-west1"),  # Oregon, BPA
    ("aws:ca-central-1", "azure:canadaeast"),  # Québec, Hydro-Québec
    ("aws:ca-central-1", "gcp:northamerica-northeast1"),
    ("azure:canadacentral", "gcp:northamerica-northeast2"),  # Ontario
    ("aws:us-west-1", "azure:westus"),  # California
    ("aws:us-east-1", "azure:eastus"),  # Virginia, PJM
    ("aws:us-east-1", "gcp:us-east4"),
    ("aws:us-east-2", "gcp:us-east5"),  # Ohio, PJM
    ("azure:centralus", "gcp:us-central1"),  # Iowa
    ("azure:southcentralus", "gcp:us-south1"),  # ERCOT
    ("aws:eu-west-1", "azure:northeurope"),  # Ireland
    ("aws:eu-west-2", "azure:uksouth"),  # Great Britain
    ("aws:eu-west-2", "gcp:europe-west2"),
    ("aws:eu-central-1", "azure:germanywestcentral"),  # Germany
    ("aws:eu-west-3", "azure:francecentral"),  # France
    ("aws:sa-east-1", "azure:brazilsouth"),  # São Paulo
    ("aws:ap-northeast-1", "azure:japaneast"),  # Tokyo
    ("aws:ap-southeast-1", "azure:southeastasia"),  # Singapore
    ("aws:ap-southeast-2", "azure:australiaeast"),  # New South Wales
    ("azure:qatarcentral", "gcp:me-central1"),  # Doha
]


@pytest.mark.parametrize(("one", "other"), CO_LOCATED)
def test_co_located_regions_agree(one, other):
    a, b = lookup_region(one), lookup_region(other)
    assert (a.g_per_kwh, a.year) == (b.g_per_kwh, b.year)


def test_sub_national_grids_are_not_the_country_average():
    """The regions the country average got most wrong (hydro grids, California)."""
    us, canada = lookup_region("US").g_per_kwh, lookup_region("CA").g_per_kwh
    oregon = lookup_region("aws:us-west-2")
    assert oregon.g_per_kwh < 0.3 * us  # Google's BPA figure, 97.85 (2025), not 386
    assert lookup_region("azure:canadaeast").g_per_kwh < 0.1 * canada  # Hydro-Québec
    assert lookup_region("azure:canadacentral").g_per_kwh < canada  # Ontario
    california = lookup_region("aws:us-west-1")
    assert "eGRID2023 subregion CAMX" in california.source and california.year == 2023


def test_egrid_rates_give_epas_own_co2e_within_rounding():
    """eGRID2023 publishes CO2e rates too: CAMX 429.983 and AZNM 706.189 lb/MWh. Ours,
    from the CO2, CH4 and N2O rates, must agree within their rounding (0.0005 lb/MWh
    each, x GWP)."""
    from green_assist.sensors.grid_table import GRAMS_PER_POUND

    for region, published in (("aws:us-west-1", 429.983), ("azure:westus3", 706.189)):
        grams = lookup_region(region).g_per_kwh
        assert grams == pytest.approx(published * GRAMS_PER_POUND / 1000, abs=0.1)


def test_shipped_table_is_exactly_what_its_sources_build():
    from green_assist.sensors.grid_table import build, shipped_table

    assert build() == shipped_table()


def test_table_rebuilds_from_a_users_newer_google_download(tmp_path):
    from green_assist.sensors.grid_table import main

    newer = tmp_path / "2026.csv"
    newer.write_text(
        "Google Cloud Region,Location,Google CFE,Grid carbon intensity (gCO2eq / kWh)\n"
        + "\n".join(
            f"{row.code},{row.name},0.5,{'42' if row.code == 'us-west1' else row.g_per_kwh}"
            for row in grid_table()
            if row.kind == "gcp"
        )
        + "\n"
    )
    out = tmp_path / "table.csv"
    assert main(["--google", str(newer), "--out", str(out)]) == 0
    lines = [line for line in out.read_text().splitlines() if not line.startswith("#")]
    rows = {f"{row['kind']}:{row['code']}": row for row in csv.DictReader(lines)}
    assert (rows["aws:us-west-2"]["g_per_kwh"], rows["aws:us-west-2"]["year"]) == ("42", "2026")
    assert main([]) == 0  # the shipped table still matches the shipped sources


def test_cloud_regions_default_to_the_providers_published_pue():
    settings = CarbonSettings.from_env({"GREEN_ASSIST_REGION": "aws:us-west-2"})
    assert settings.pue == 1.14 and settings.pue_year == 2025
    assert "AWS" in settings.pue_source
    assert "PUE 1.14 (aws fleet average, 2025)" in settings.note
    google = CarbonSettings.from_env({"GREEN_ASSIST_REGION": "us-central1"})
    assert (google.pue, google.pue_year) == (1.09, 2024)
    yours = CarbonSettings.from_env(
        {"GREEN_ASSIST_REGION": "aws:us-west-2", "GREEN_ASSIST_PUE": "1.3"}
    )
    assert yours.pue == 1.3 and "set by you" in yours.note
    home = CarbonSettings.from_env({"GREEN_ASSIST_REGION": "DE"})
    assert home.pue == 1.0 and "own machine" in home.pue_source


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
