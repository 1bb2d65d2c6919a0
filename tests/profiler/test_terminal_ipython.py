"""The extension in a terminal IPython shell (in this process): plain-text results, the
fallback for direct ``run_cell_magic`` calls, and a clean unload."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from IPython.testing import globalipapp

from green_assist.profiler.session_log import read_session_dir


def terminal_shell():
    """IPython's global test shell (a TerminalInteractiveShell), started once per process."""
    globalipapp.start_ipython()
    return globalipapp.get_ipython()


@pytest.fixture
def ip(tmp_path, monkeypatch):
    monkeypatch.setenv("GREEN_ASSIST_SESSION_DIR", str(tmp_path))
    shell = terminal_shell()
    shell.run_line_magic("load_ext", "green_assist")
    yield shell
    shell.run_line_magic("unload_ext", "green_assist")


def records(tmp_path):
    return [r for log in read_session_dir(tmp_path) for r in log.records]


def test_terminal_shows_text_and_keeps_out(ip, tmp_path, capsys):
    result = ip.run_cell("%%greenprofile --label t\nanswer = 6 * 7\nanswer", store_history=True)
    assert result.success and result.result == 42
    out = capsys.readouterr().out
    assert "green_assist: t · " in out and "energy" in out and "CO2e" in out
    assert "<div" not in out
    (record,) = records(tmp_path)
    assert record.label == "t" and record.execution_count == result.execution_count


def test_direct_run_cell_magic_outside_a_cell(ip, tmp_path):
    with pytest.raises(ZeroDivisionError):
        ip.run_cell_magic("greenprofile", "--label direct --quiet", "x = 1\n1 / 0")
    (record,) = records(tmp_path)
    assert record.status == "error" and record.error["ename"] == "ZeroDivisionError"
    assert record.label == "direct"


def test_direct_run_cell_magic_inside_a_cell_records_once(ip, tmp_path):
    code = "get_ipython().run_cell_magic('greenprofile', '--quiet', 'v = 2\\nv * 21')"
    result = ip.run_cell(code, store_history=True)
    assert result.success and ip.user_ns["v"] == 2
    assert [r.source for r in records(tmp_path)] == [code]


def test_await_needs_the_cell_form_when_called_directly(ip):
    from green_assist.profiler.runner import AwaitNeedsCellForm

    with pytest.raises(AwaitNeedsCellForm, match="first line of a cell"):
        ip.run_cell_magic("greenprofile", "--quiet", "import asyncio\nawait asyncio.sleep(0)")


def test_unload_removes_magics_hooks_and_rewrite(tmp_path):
    shell = terminal_shell()
    shell.run_line_magic("load_ext", "green_assist")
    shell.run_line_magic("unload_ext", "green_assist")
    from green_assist.profiler.runner import rewrite_cell

    assert rewrite_cell not in shell.input_transformers_cleanup
    assert "greenprofile" not in shell.magics_manager.magics["cell"]
    result = shell.run_cell("%%greenprofile\nx = 1")
    assert not result.success
    assert records(tmp_path) == []


def run_isolated(code: str, tmp_path) -> subprocess.CompletedProcess:
    env = {**os.environ, "GREEN_ASSIST_SESSION_DIR": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_profiling_without_flops_never_imports_torch(tmp_path):
    done = run_isolated(
        """
        import sys
        from IPython.testing.globalipapp import start_ipython
        ip = start_ipython()
        ip.run_cell("%load_ext green_assist")
        ip.run_cell("%greenprofile on")
        ip.run_cell("%%greenprofile\\nx = sum(range(1000))")
        assert "torch" not in sys.modules, "torch was imported"
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert len(records(tmp_path)) == 1


def test_flops_without_torch_says_so_and_still_records(tmp_path):
    done = run_isolated(
        """
        import sys
        sys.modules["torch"] = None  # as if torch were not installed
        from IPython.testing.globalipapp import start_ipython
        ip = start_ipython()
        ip.run_cell("%load_ext green_assist")
        result = ip.run_cell("%%greenprofile --flops\\nx = 1")
        assert result.success
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "PyTorch is not installed" in done.stderr
    (record,) = records(tmp_path)
    assert record.flops is None and "PyTorch is not installed" in record.flops_notes[0]
