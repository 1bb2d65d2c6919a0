"""``POST /green-assist/report``: reports are written inside the server's root, never outside."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from tornado.httpclient import HTTPClientError

from .records import record, write_log


@pytest.fixture
def root_log(jp_root_dir, data_dir):
    """The recorded session log where the profiler puts it: .green_assist/ in the root."""
    logs = jp_root_dir / ".green_assist"
    logs.mkdir()
    shutil.copy(data_dir / "before.jsonl", logs / "before.jsonl")
    shutil.copy(data_dir / "after.jsonl", logs / "after.jsonl")
    return ".green_assist/before.jsonl"


async def post(jp_fetch, payload, **kwargs):
    response = await jp_fetch(
        "green-assist", "report", method="POST", body=json.dumps(payload), **kwargs
    )
    return json.loads(response.body)


async def refused(jp_fetch, payload, code):
    with pytest.raises(HTTPClientError) as excinfo:
        await post(jp_fetch, payload)
    assert excinfo.value.code == code
    return json.loads(excinfo.value.response.body)["message"]


def files_under(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


async def test_writes_each_format_inside_the_root(jp_fetch, jp_root_dir, root_log):
    for name in ("reports/run.html", "run.json", "run.csv", "run.md"):
        payload = await post(jp_fetch, {"sessions": [root_log], "output": name})
        assert payload["path"] == name and payload["cells"] == 5
        assert (jp_root_dir / name).stat().st_size > 0
    assert "<svg" in (jp_root_dir / "reports/run.html").read_text()
    assert json.loads((jp_root_dir / "run.json").read_text())["kind"] == "session"


async def test_comparison_and_explicit_format(jp_fetch, jp_root_dir, root_log):
    payload = await post(
        jp_fetch,
        {
            "session": root_log,
            "compare": [".green_assist/after.jsonl"],
            "output": "cmp.txt",
            "format": "md",
        },
    )
    assert payload["format"] == "md" and payload["cells"] == 4
    assert "before vs after" in (jp_root_dir / "cmp.txt").read_text()


@pytest.mark.parametrize(
    "output",
    ["../escaped.html", "reports/../../escaped.html", "/tmp/escaped-green-assist-report.html"],
)
async def test_output_outside_the_root_is_refused(jp_fetch, jp_root_dir, root_log, output):
    message = await refused(jp_fetch, {"sessions": [root_log], "output": output}, 403)
    assert "outside the server's root" in message
    assert not (jp_root_dir.parent / "escaped.html").exists()
    assert not (jp_root_dir / "escaped.html").exists()
    assert not os.path.exists("/tmp/escaped-green-assist-report.html")
    assert files_under(jp_root_dir) == [".green_assist/after.jsonl", ".green_assist/before.jsonl"]


async def test_symlink_out_of_the_root_is_refused(jp_fetch, jp_root_dir, root_log, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (jp_root_dir / "innocent").symlink_to(outside, target_is_directory=True)
    (jp_root_dir / "link.html").symlink_to(outside / "target.html")
    for output in ("innocent/report.html", "link.html"):
        await refused(jp_fetch, {"sessions": [root_log], "output": output}, 403)
    assert list(outside.iterdir()) == []


async def test_session_log_outside_the_root_is_refused(jp_fetch, jp_root_dir, tmp_path):
    secret = write_log(tmp_path / "elsewhere.jsonl", [record(1)])
    for session in (str(secret), "../" * 8 + str(secret).lstrip("/")):
        await refused(jp_fetch, {"sessions": [session], "output": "r.html"}, 403)
    assert not (jp_root_dir / "r.html").exists()


async def test_existing_file_needs_overwrite(jp_fetch, jp_root_dir, root_log):
    (jp_root_dir / "keep.md").write_text("my notes")
    message = await refused(jp_fetch, {"sessions": [root_log], "output": "keep.md"}, 409)
    assert "overwrite" in message
    assert (jp_root_dir / "keep.md").read_text() == "my notes"
    await post(jp_fetch, {"sessions": [root_log], "output": "keep.md", "overwrite": True})
    assert "Energy report" in (jp_root_dir / "keep.md").read_text()


async def test_bad_requests_say_why(jp_fetch, jp_root_dir, root_log):
    (jp_root_dir / "empty.jsonl").write_text("")
    message = await refused(jp_fetch, {"sessions": ["empty.jsonl"], "output": "r.html"}, 400)
    assert "empty" in message
    message = await refused(jp_fetch, {"sessions": [root_log], "output": "r.pdf"}, 400)
    assert "--format" in message or "format" in message
    await refused(jp_fetch, {"output": "r.html"}, 400)
    await refused(jp_fetch, {"sessions": [root_log]}, 400)
    await refused(jp_fetch, {"sessions": ["missing.jsonl"], "output": "r.html"}, 400)
    assert files_under(jp_root_dir) == [
        ".green_assist/after.jsonl",
        ".green_assist/before.jsonl",
        "empty.jsonl",
    ]


async def test_requires_authentication(jp_fetch, root_log):
    with pytest.raises(HTTPClientError) as excinfo:
        await post(
            jp_fetch, {"sessions": [root_log], "output": "r.md"}, headers={"Authorization": ""}
        )
    assert excinfo.value.code == 403


async def test_anonymize_option_leaves_out_the_host_name(jp_fetch, jp_root_dir, root_log):
    message = await refused(
        jp_fetch, {"sessions": [root_log], "output": "r.json", "anonymize": "yes"}, 400
    )
    assert "anonymize" in message
    await post(jp_fetch, {"sessions": [root_log], "output": "plain.json"})
    await post(jp_fetch, {"sessions": [root_log], "output": "shared.json", "anonymize": True})
    plain = json.loads((jp_root_dir / "plain.json").read_text())["session"]
    shared = json.loads((jp_root_dir / "shared.json").read_text())["session"]
    assert plain["methods"]["hardware"][0]["hostname"] == "vm"  # recorded on a host "vm"
    assert "hostname" not in shared["methods"]["hardware"][0]
    assert shared["totals"] == plain["totals"]
