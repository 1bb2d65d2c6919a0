"""``[tool.green-assist]`` settings: selection, per-rule options, clear errors."""

import pytest

from green_assist.analysis import Config, ConfigError, all_rules, analyze_source, load_config
from green_assist.analysis.config import config_from_table

BIG_BATCH = "BATCH_SIZE = 2048\n"


def test_prefix_selection():
    config = config_from_table({"select": ["GA11"], "ignore": ["GA115"]})
    selected = [r.code for r in config.enabled_rules()]
    assert selected == [r.code for r in all_rules() if r.code[:4] == "GA11" and r.code != "GA115"]
    assert {"GA110", "GA114", "GA116"} <= set(selected) and "GA109" not in selected


def test_rule_option_changes_results():
    assert [f.code for f in analyze_source(BIG_BATCH).findings] == ["GA113"]
    relaxed = config_from_table({"GA113": {"threshold": 4096}})
    assert analyze_source(BIG_BATCH, config=relaxed).findings == []


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"select": ["GA999"]}, "matches no rule"),
        (
            {"GA113": {"treshold": 1}},
            "has no option `treshold` (options: threshold, full-batch-rows)",
        ),
        ({"GA113": {"threshold": "big"}}, "`threshold` must be a int"),
        ({"GA101": {"x": 1}}, "has no option"),
        ({"ignore": "GA1O1"}, "matches no rule"),
        ({"max-file-size": -1}, "positive number"),
        ({"exlude": []}, "did you mean `exclude`"),
    ],
)
def test_invalid_settings_are_clear(table, message):
    with pytest.raises(ConfigError, match="tool.green-assist") as excinfo:
        config_from_table(table)
    assert message in str(excinfo.value)


def test_other_keys_in_the_table_are_left_to_their_owners():
    assert config_from_table({"carbon-region": "FR"}) == Config()


def test_nearest_pyproject_with_a_table_wins(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.green-assist]\nignore = ["GA113"]\n')
    inner = tmp_path / "pkg"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[project]\nname = 'pkg'\n")  # no table: skipped
    config = load_config(inner / "train.py")
    assert config.ignore == ("GA113",) and config.source == tmp_path / "pyproject.toml"


def test_broken_toml_is_a_config_error(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.green-assist\nselect = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(tmp_path)
