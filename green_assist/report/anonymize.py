"""``--anonymize``: a report to share, without the machine's name or the folders it ran in.

``anonymize(report)`` returns a copy of a session report (or a comparison) in which

- every ``hostname`` field is gone, and the host names the records gave are replaced by
  ``[host]`` wherever else they appear (whole words only);
- every absolute path (``/home/ana/proj/train.py``, ``C:\\Users\\ana\\nb.ipynb``) is cut
  to its last part (``…/train.py``). Paths under ``/sys``, ``/proc`` and ``/dev`` are
  kept: they name hardware interfaces (RAPL, NVML), not people, and explain figures.

Everything else (figures, methods, sources of constants, URLs) is unchanged. It works on
the built report, so the analyzer has already read the code it names.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

T = TypeVar("T")

HOST_PLACEHOLDER = "[host]"
KEPT_ROOTS = ("/sys/", "/proc/", "/dev/")
# An absolute POSIX path: a "/" not inside a word, a URL or another path, then at least
# two parts. Characters that end a path in prose (quotes, brackets, commas) end it here.
_PART = r"[^\s/\\'\"<>:;,()\[\]{}|]"
_POSIX_PATH = re.compile(rf"(?<![\w.:/~\\-])/(?:{_PART}+/)+{_PART}*")
_WINDOWS_PATH = re.compile(rf"\b[A-Za-z]:\\(?:{_PART}+\\)*{_PART}*")


def anonymize(report: T) -> T:
    """A copy of ``report`` without host names and absolute paths (see the module doc)."""
    hosts = sorted(_host_names(report), key=len, reverse=True)
    pattern = None
    if hosts:
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, hosts)) + r")\b")
    scrubbed: T = _scrub(report, pattern)
    return scrubbed


def scrub_text(text: str, host_pattern: re.Pattern[str] | None = None) -> str:
    """``text`` with absolute paths cut to their last part (and host names replaced)."""
    text = _POSIX_PATH.sub(_short_posix, text)
    text = _WINDOWS_PATH.sub(_short_windows, text)
    if host_pattern is not None:
        text = host_pattern.sub(HOST_PLACEHOLDER, text)
    return text


def _short_posix(match: re.Match[str]) -> str:
    path = match.group(0)
    if path.startswith(KEPT_ROOTS):
        return path
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return f"…/{last}" if last else "…/"


def _short_windows(match: re.Match[str]) -> str:
    last = match.group(0).rstrip("\\").rsplit("\\", 1)[-1]
    return f"…\\{last}"


def _host_names(value: Any) -> set[str]:
    """Every ``hostname`` value found anywhere in ``value``."""
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            stack.extend(getattr(item, f.name) for f in dataclasses.fields(item))
        elif isinstance(item, dict):
            host = item.get("hostname")
            if isinstance(host, str) and host.strip():
                found.add(host.strip())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return found


def _scrub(value: Any, hosts: re.Pattern[str] | None) -> Any:
    if isinstance(value, str):
        return scrub_text(value, hosts)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _scrub(getattr(value, f.name), hosts)
            for f in dataclasses.fields(value)
            if f.init
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, dict):
        return {
            _scrub(key, hosts) if isinstance(key, str) else key: _scrub(item, hosts)
            for key, item in value.items()
            if key != "hostname"
        }
    if isinstance(value, list):
        return [_scrub(item, hosts) for item in value]
    if isinstance(value, tuple):
        return tuple(_scrub(item, hosts) for item in value)
    return value
