"""The console script answers --version and --help."""

import subprocess
import sys

from green_assist import __version__


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "green_assist", *args], capture_output=True, text=True, timeout=60
    )


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"green-assist {__version__}"


def test_help_lists_usage():
    result = run_cli("--help")
    assert result.returncode == 0
    assert "usage: green-assist" in result.stdout


def test_unknown_command_is_a_usage_error():
    result = run_cli("no-such-command")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_every_command_help_is_plain_text_that_fits_the_terminal():
    from green_assist.cli import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {"check", "doctor", "refactor", "report", "rule", "run"} <= set(commands)
    for name in commands:
        result = subprocess.run(
            [sys.executable, "-m", "green_assist", name, "--help"],
            capture_output=True,
            text=True,
            timeout=60,
            env={**__import__("os").environ, "COLUMNS": "100"},
        )
        assert result.returncode == 0, name
        assert "``" not in result.stdout and ":func:" not in result.stdout, name
        assert max(len(line) for line in result.stdout.splitlines()) <= 100, name
