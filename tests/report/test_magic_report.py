"""``%greenprofile report PATH`` in a real kernel writes the session report in each format."""

from __future__ import annotations

import csv
import io

import pytest

pytestmark = pytest.mark.slow


def test_magic_writes_html_markdown_and_csv(kernel, tmp_path):
    assert kernel.execute("%load_ext green_assist").status == "ok"
    cell = "%%greenprofile --label <square>\nroots = [i**0.5 for i in range(9999)]"
    assert kernel.execute(cell).status == "ok"
    for name in ("r.html", "r.md", "r.csv"):
        result = kernel.execute(f"%greenprofile report {tmp_path / name}")
        assert result.status == "ok", result.reply["content"]
        assert f"wrote {tmp_path / name}" in result.stdout
    html = (tmp_path / "r.html").read_text()
    assert "&lt;square&gt;" in html and "<square>" not in html and "<svg" in html
    assert (tmp_path / "r.md").read_text().startswith("### Energy report")
    (row,) = csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text()))
    assert row["label"] == "<square>" and float(row["duration_s"]) > 0
