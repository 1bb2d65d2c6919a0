"""The sidebar's settings read well in JupyterLab's Settings Editor."""

import json
from pathlib import Path

SCHEMA = Path(__file__).resolve().parents[1] / "schema" / "plugin.json"


def test_each_setting_says_what_it_does_once():
    properties = json.loads(SCHEMA.read_text(encoding="utf-8"))["properties"]
    for name, setting in properties.items():
        assert setting.get("title"), name
        # JupyterLab's form shows an array's description twice (above and below the
        # list): arrays say it all in their title instead.
        if setting.get("type") == "array":
            assert "description" not in setting, name
        else:
            assert setting.get("description"), name
            assert setting["description"] != setting["title"], name
