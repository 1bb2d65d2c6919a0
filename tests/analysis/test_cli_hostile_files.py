"""``green-assist check`` on files that are not what they seem: FIFOs, read-only files,
links, notebooks with absurd JSON. Each gets a clear message and an exit status, never a
hang or a traceback, and no file is left half written."""

import json
import os
import stat
import threading

import pytest

from green_assist.cli import main

AMP = "import torch\nscaler = torch.cuda.amp.GradScaler()\n"
FIXED = 'import torch\nscaler = torch.amp.GradScaler("cuda")\n'


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(capsys, *args):
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def run_with_deadline(function, seconds=60.0):
    """Run ``function`` in a thread; fail (instead of hanging the suite) if it blocks."""
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(value=function()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "blocked: reading a FIFO waits for a writer forever"
    return outcome["value"]


@pytest.mark.parametrize("named", [False, True])
def test_a_fifo_named_py_is_skipped_with_a_note(project, capsys, named):
    os.mkfifo(project / "pipe.py")
    (project / "train.py").write_text(AMP)
    paths = ["pipe.py", "train.py"] if named else ["."]
    code = run_with_deadline(lambda: main(["check", "--jobs", "1", *paths]))
    out, err = capsys.readouterr()
    assert code == 1  # the finding in train.py; the FIFO is a note, not a failure
    assert "pipe.py" in err and "not a regular file" in err and "skipped" in err
    assert "train.py:2:10: GA103" in out


def test_fix_replaces_the_file_atomically_and_follows_links(project, capsys):
    real = project / "real.py"
    real.write_text(AMP)
    real.chmod(0o640)
    link = project / "link.py"
    link.symlink_to(real)
    before = real.stat().st_ino
    code, _, err = check(capsys, "--fix", "link.py")
    assert code == 0, err
    assert link.is_symlink() and real.read_text() == FIXED
    # A new inode: the text was written to a temporary file and renamed over the old one.
    assert real.stat().st_ino != before
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert [p.name for p in project.iterdir() if p.name.endswith(".tmp")] == []


def test_fix_on_a_read_only_file_is_a_clean_error(project, capsys):
    path = project / "locked.py"
    path.write_text(AMP)
    path.chmod(0o444)
    code, out, err = check(capsys, "--fix", "locked.py")
    assert code == 2
    assert "locked.py" in err and "not fixed" in err and "read-only" in err
    assert "Traceback" not in err + out
    assert path.read_text() == AMP


def test_deeply_nested_notebook_json_is_an_error_not_a_traceback(project, capsys):
    (project / "deep.ipynb").write_text('{"cells": ' + "[" * 100_000 + "]" * 100_000 + "}")
    code, out, err = check(capsys, "deep.ipynb")
    assert code == 2
    assert "deep.ipynb" in err and "nested too deeply" in err


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ({"cell_type": "code", "source": 5}, "`source` that is neither text nor a list"),
        ({"cell_type": "code", "source": ["x = 1\n", 7]}, "`source` that is neither"),
        ({"cell_type": "code"}, "has no `source`"),
        ({"cell_type": 3, "source": ""}, "`cell_type` that is not text"),
    ],
)
def test_a_cell_whose_source_is_not_text_fails_the_run(project, capsys, cell, problem):
    notebook = {"cells": [{"cell_type": "code", "source": "import torch\n"}, cell]}
    (project / "nb.ipynb").write_text(json.dumps(notebook))
    code, _, err = check(capsys, "nb.ipynb")
    assert code == 2
    assert "cell 2" in err and problem in err
