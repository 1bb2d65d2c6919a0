"""The pre-commit hook: a commit with a finding fails, the same commit after the fix passes.

Runs offline: the hooks repository is a local git repository holding this checkout's
``.pre-commit-hooks.yaml``, and the test uses the ``green-assist-system`` hook, which
runs the green-assist of this environment (the ``green-assist`` hook would pip-install
the package from the repository, which needs the network).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
FP32_LOOP = (ROOT / "tests" / "fixtures" / "GA101" / "fp32_loop.py").read_text(encoding="utf-8")

GREEN_ASSIST = [sys.executable, "-m", "green_assist"]
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _git(cwd: Path, env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    done = _run(["git", *arguments], cwd, env)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """git identity, pre-commit's cache in the temp folder, this environment's green-assist."""
    environment = dict(os.environ)
    environment.update(
        {
            "GIT_AUTHOR_NAME": "Test",
            "GIT_AUTHOR_EMAIL": "test@example.com",
            "GIT_COMMITTER_NAME": "Test",
            "GIT_COMMITTER_EMAIL": "test@example.com",
            "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{environment.get('PATH', '')}",
        }
    )
    return environment


def test_manifest_is_valid(tmp_path: Path, env: dict[str, str]) -> None:
    done = _run([sys.executable, "-m", "pre_commit", "validate-manifest", str(MANIFEST)], ROOT, env)
    assert done.returncode == 0, done.stdout + done.stderr


def test_commit_with_a_finding_fails_and_passes_after_the_fix(
    tmp_path: Path, env: dict[str, str]
) -> None:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    shutil.copy(MANIFEST, hooks / ".pre-commit-hooks.yaml")
    _git(hooks, env, "init", "-q")
    _git(hooks, env, "add", ".pre-commit-hooks.yaml")
    _git(hooks, env, "commit", "-q", "-m", "hooks")
    rev = _git(hooks, env, "rev-parse", "HEAD").stdout.strip()

    project = tmp_path / "project"
    project.mkdir()
    _git(project, env, "init", "-q")
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: green-assist-system\n"
    )
    installed = _run([sys.executable, "-m", "pre_commit", "install"], project, env)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    (project / "train.py").write_text(FP32_LOOP)
    _git(project, env, "add", ".pre-commit-config.yaml", "train.py")
    refused = _run(["git", "commit", "-m", "fp32 training"], project, env)
    assert refused.returncode != 0
    assert "GA101" in refused.stdout + refused.stderr
    assert _run(["git", "rev-parse", "HEAD"], project, env).returncode != 0  # nothing committed

    fixed = _run(
        [*GREEN_ASSIST, "refactor", "mixed-precision", "train.py", "--write"],
        project,
        env,
    )
    assert fixed.returncode == 0, fixed.stderr
    _git(project, env, "add", "train.py")
    accepted = _run(["git", "commit", "-m", "mixed precision"], project, env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "green-assist" in accepted.stdout + accepted.stderr  # the hook ran, and passed
