"""Settings for a path, ``exclude`` and the server's root: one decision for CLI, LSP and server."""

import json
import os
from pathlib import Path

import pytest

from green_assist.analysis.workspace import excluded, inside, settings_for

from ..payload_schema import assert_matches

PYPROJECT = '[tool.green-assist]\nexclude = ["generated/*", "*_pb2.py"]\nignore = ["GA109"]\n'
OLD_AMP = "import torch\ns = torch.cuda.amp.GradScaler()\n"  # GA103


def test_settings_and_exclude_for_files_that_may_not_exist_yet(tmp_path):
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    config = settings_for(tmp_path / "generated" / "model.py")
    assert config.source == tmp_path / "pyproject.toml" and config.ignore == ("GA109",)
    assert excluded(tmp_path / "generated" / "model.py", config)
    assert excluded(tmp_path / "proto" / "msg_pb2.py", config)
    assert not excluded(tmp_path / "train.py", config)
    assert settings_for(None, fallback_folder=tmp_path).source == config.source
    assert settings_for(None).source is None  # an unsaved buffer with no folder: defaults


def test_inside_refuses_dot_dot_and_links_that_leave_the_root(tmp_path):
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (tmp_path / "secret.jsonl").write_text("{}")
    os.symlink(tmp_path / "secret.jsonl", root / "link.jsonl")
    assert inside(root, "sub/../sub/log.jsonl") == (root / "sub" / "log.jsonl").resolve()
    assert inside(root, "../secret.jsonl") is None
    assert inside(root, "link.jsonl") is None
    assert inside(root, str(tmp_path / "secret.jsonl")) is None  # absolute, outside


@pytest.fixture
def project(jp_root_dir: Path) -> Path:
    (jp_root_dir / "pyproject.toml").write_text(PYPROJECT)
    return jp_root_dir


async def test_the_server_honours_exclude_like_the_cli(jp_fetch, project):
    async def analyze(path):
        body = json.dumps({"path": path, "text": OLD_AMP})
        response = await jp_fetch("green-assist", "analyze", method="POST", body=body)
        return json.loads(response.body)

    kept = await analyze("train.py")
    skipped = await analyze("generated/model.py")
    assert kept["excluded"] is False and kept["findings"]
    assert skipped["excluded"] is True and skipped["findings"] == []
    assert_matches("Analysis", skipped)
