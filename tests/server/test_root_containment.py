"""The server reads and writes only inside its root, and never over a session log."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tornado.httpclient import HTTPClientError

DATA = Path(__file__).parent.parent / "report" / "data"


@pytest.fixture
def logs(jp_root_dir):
    folder = jp_root_dir / ".green_assist"
    folder.mkdir()
    shutil.copy(DATA / "before.jsonl", folder / "before.jsonl")
    return folder


async def refused(jp_fetch, route, body, code):
    with pytest.raises(HTTPClientError) as excinfo:
        await jp_fetch("green-assist", route, method="POST", body=json.dumps(body))
    assert excinfo.value.code == code, excinfo.value.response.body
    return json.loads(excinfo.value.response.body)["message"]


async def test_a_linked_log_inside_a_session_folder_cannot_read_outside(
    jp_fetch, jp_root_dir, logs
):
    outside = jp_root_dir.parent / "secret.jsonl"
    shutil.copy(DATA / "after.jsonl", outside)
    (logs / "zz-link.jsonl").symlink_to(outside)
    message = await refused(
        jp_fetch, "report", {"sessions": [".green_assist"], "output": "r.md"}, 403
    )
    assert "outside the server's root" in message and "zz-link.jsonl" in message
    assert str(jp_root_dir.parent) not in message
    assert not (jp_root_dir / "r.md").exists()


@pytest.mark.parametrize(
    ("output", "fmt"),
    [
        (".hidden.html", None),
        (".config/report.md", None),
        ("reports/.x.md", "md"),
        ("train.py", "html"),
        ("notebook.ipynb", "json"),
        (".green_assist/before.jsonl", "json"),
    ],
)
async def test_output_names_a_report_cannot_have(jp_fetch, jp_root_dir, logs, output, fmt):
    body = {"sessions": [".green_assist/before.jsonl"], "output": output, "overwrite": True}
    if fmt:
        body["format"] = fmt
    before = (logs / "before.jsonl").read_bytes()
    await refused(jp_fetch, "report", body, 400)
    assert not (jp_root_dir / output).exists() or output.endswith("before.jsonl")
    assert (logs / "before.jsonl").read_bytes() == before
    assert not (jp_root_dir / "reports").exists() and not (jp_root_dir / ".config").exists()


async def test_overwrite_never_replaces_a_session_log(jp_fetch, jp_root_dir, logs):
    (jp_root_dir / "alias.md").symlink_to(logs / "before.jsonl")
    before = (logs / "before.jsonl").read_bytes()
    body = {"sessions": [".green_assist/before.jsonl"], "output": "alias.md", "overwrite": True}
    message = await refused(jp_fetch, "report", body, 400)
    assert "session log" in message
    assert (logs / "before.jsonl").read_bytes() == before


async def test_a_failed_report_leaves_no_folder_behind(jp_fetch, jp_root_dir, logs):
    (logs / "empty.jsonl").write_text("")
    body = {"sessions": [".green_assist/empty.jsonl"], "output": "new/deeper/r.html"}
    message = await refused(jp_fetch, "report", body, 400)
    assert "no profiled cells" in message
    assert not (jp_root_dir / "new").exists()


async def test_analyze_reads_no_settings_from_above_the_root(jp_fetch, jp_root_dir):
    above = jp_root_dir.parent / "pyproject.toml"
    above.write_text('[tool.green-assist]\nselect = ["GA999"]\n')  # invalid: would be a 400
    text = "import torch\ns = torch.cuda.amp.GradScaler()\n"
    response = await jp_fetch(
        "green-assist", "analyze", method="POST", body=json.dumps({"path": "t.py", "text": text})
    )
    assert [f["code"] for f in json.loads(response.body)["findings"]] == ["GA103"]
    (jp_root_dir / "pyproject.toml").write_text('[tool.green-assist]\nselect = ["GA999"]\n')
    message = await refused(jp_fetch, "analyze", {"path": "t.py", "text": text}, 400)
    assert "GA999" in message and str(jp_root_dir) not in message
    assert message.startswith("pyproject.toml")
