"""Helpers for the refactor tests: fixture pairs, options in fixtures, scripts in subprocesses."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent.parent / "fixtures" / "refactor"
SCRIPTS = Path(__file__).parent / "scripts"
# ``# options: dtype=fp16 device=cuda`` near the top of a fixture sets the refactor's options.
OPTIONS = re.compile(r"#\s*options:\s*(.*)")


def fixture_options(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        cells = json.loads(text)["cells"]
        text = "\n".join(
            "".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells
        )
    for line in text.splitlines()[:5]:
        match = OPTIONS.search(line)
        if match:
            return dict(pair.split("=", 1) for pair in match.group(1).split())
    return {}


def fixture_inputs():
    """(refactor name, input path) for every ``*.in.py`` / ``*.in.ipynb`` fixture."""
    for folder in sorted(FIXTURES.iterdir()):
        for path in sorted(folder.glob("*.in.*")):
            yield pytest.param(folder.name, path, id=f"{folder.name}/{path.name}")


def companion(path: Path, kind: str) -> Path:
    """``x.in.py`` -> ``x.out.py`` (kind "out") or ``x.refused.txt`` (kind "refused")."""
    stem = path.name.split(".in.", 1)[0]
    if kind == "refused":
        return path.with_name(f"{stem}.refused.txt")
    return path.with_name(f"{stem}.out{path.suffix}")


def run_script(script: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run a Python script in a fresh interpreter on the CPU; fail with its output if it fails."""
    env = {
        **os.environ,
        "CUDA_VISIBLE_DEVICES": "",
        "TORCHAO_FORCE_SKIP_LOADING_SO_FILES": "1",
        "OMP_NUM_THREADS": "1",
        "PYTHONWARNINGS": "ignore",
    }
    done = subprocess.run(
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=script.parent,
    )
    assert done.returncode == 0, f"{script.name} failed:\n{done.stdout}\n{done.stderr}"
    return done
