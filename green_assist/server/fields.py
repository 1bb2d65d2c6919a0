"""Checks for the fields of a request body: type and size up front, one clear 400 each.

Every handler reads its fields through these functions, so a wrongly typed, absurdly
long or unencodable value is refused before any work starts, and never surfaces
later as a 500.
"""

from __future__ import annotations

from typing import Any

from tornado import web

from ..analysis.sources import cell_problem
from ..target import ANY, Target, TargetError, parse_target
from . import limits


def _bad(message: str) -> web.HTTPError:
    return web.HTTPError(400, message)


def _check_encodable(value: str, what: str) -> None:
    """JSON may carry lone surrogates (``"\\ud800"``); no file or parser can take them."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        raise _bad(
            f"{what} contains a lone surrogate (\\u{ord(value[err.start]):04x}) at "
            f"character {err.start}; send valid Unicode text"
        ) from err


def text(data: dict[str, Any], key: str) -> str | None:
    """An optional text field (code): a string of valid Unicode, or None when absent."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _bad(f"`{key}` must be text")
    _check_encodable(value, f"`{key}`")
    return value


def path_text(value: Any, what: str) -> str:
    """A path as text: no NUL, not empty, not longer than a file system accepts."""
    if not isinstance(value, str) or not value.strip():
        raise _bad(f"{what} must be a non-empty path (text)")
    if "\x00" in value:
        raise _bad(f"{what} contains a NUL character; no file name can")
    _check_encodable(value, what)
    if len(value) > limits.MAX_PATH_CHARS:
        raise _bad(
            f"{what} is {len(value):,} characters long; the limit is {limits.MAX_PATH_CHARS}"
        )
    for part in value.replace("\\", "/").split("/"):
        if len(part.encode("utf-8")) > limits.MAX_PATH_PART_BYTES:
            raise _bad(
                f"{what} has a name over {limits.MAX_PATH_PART_BYTES} bytes ({part[:40]}...)"
            )
    return value


def path(data: dict[str, Any], key: str = "path") -> str | None:
    """An optional path field (only shown, or used to find settings); "" counts as absent."""
    value = data.get(key)
    return None if value is None or value == "" else path_text(value, f"`{key}`")


def codes(data: dict[str, Any], key: str) -> list[str]:
    """A list of rule codes or prefixes such as ``["GA101"]`` (empty when absent)."""
    value = data.get(key)
    if value is None:
        return []
    if (
        not isinstance(value, list)
        or len(value) > limits.MAX_CODES
        or not all(
            isinstance(code, str) and 0 < len(code) <= limits.MAX_CODE_CHARS for code in value
        )
    ):
        raise _bad(f'`{key}` must be a list of rule codes such as ["GA101"]')
    for code in value:
        _check_encodable(code, f"`{key}`")
    return value


def cells(data: dict[str, Any]) -> list[str | dict[str, str]] | None:
    """A notebook's cells (text, or objects with a text ``source``), or None when absent.

    Objects are reduced to the fields the analysis reads (``cell_type``, ``source``,
    ``id``); outputs and metadata are dropped unread.
    """
    value = data.get("cells")
    if value is None:
        return None
    if not isinstance(value, list):
        raise _bad("`cells` must be a list of cells (objects or strings)")
    found: list[str | dict[str, str]] = []
    for index, raw in enumerate(value):
        problem = cell_problem(raw)
        if problem is not None:
            raise _bad(f"`cells`: cell {index} {problem}")
        if isinstance(raw, str):
            _check_encodable(raw, f"`cells`: cell {index}")
            found.append(raw)
            continue
        source = raw["source"]
        cell = {"source": "".join(source) if isinstance(source, list) else source}
        for key in ("cell_type", "id"):
            if key in raw:
                cell[key] = raw[key]
        for key, item in cell.items():
            _check_encodable(item, f"`cells`: cell {index} `{key}`")
        count = raw.get("execution_count")  # the cell's In [n], for labels
        if isinstance(count, int) and not isinstance(count, bool) and 0 <= count < 10**9:
            cell["execution_count"] = count
        found.append(cell)
    return found


def target(data: dict[str, Any]) -> Target | None:
    """The hardware the advice is for: ``hardware`` (the kernel's own description, as the
    sidebar sends it) or ``target`` (``any``, ``cpu``, ``cuda``...; ``auto`` is the
    server's machine); None when neither is sent."""
    hardware, named = data.get("hardware"), data.get("target")
    try:
        if hardware is not None:
            if not isinstance(hardware, dict):
                raise TargetError("`hardware` must be an object (the kernel's hardware)")
            return Target.from_hardware(hardware)
        if named is not None:
            if not isinstance(named, str) or len(named) > 16:
                raise TargetError('`target` must be a string such as "cpu"')
            return parse_target(named)
    except TargetError as err:
        raise _bad(str(err)) from err
    return None


def profile(data: dict[str, Any]) -> dict[str, float] | None:
    """The cell's last profile (``duration_s``, ``energy_j``, ``flops``), for the expected
    saving; only those numbers are kept."""
    value = data.get("profile")
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _bad('`profile` must be an object such as {"duration_s": 1.2, "flops": 3e9}')
    kept: dict[str, float] = {}
    for key in ("duration_s", "energy_j", "flops"):
        number = value.get(key)
        if number is None:
            continue
        if (
            isinstance(number, bool)
            or not isinstance(number, (int, float))
            or not (0 <= number < 1e30)
        ):
            raise _bad(f"`profile.{key}` must be a number of at least 0")
        kept[key] = float(number)
    return kept


def target_or_any(data: dict[str, Any]) -> Target:
    return target(data) or ANY


def cell_index(data: dict[str, Any], key: str = "cell") -> int | None:
    """An optional 0-based cell index."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _bad(f"`{key}` must be a cell index (0-based integer)")
    return value


def options(data: dict[str, Any], key: str = "options") -> dict[str, Any]:
    """Refactor options: an object of short scalar values such as ``{"dtype": "fp16"}``."""
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _bad(f'`{key}` must be an object such as {{"dtype": "fp16"}}')
    for name, item in value.items():
        if not isinstance(item, (str, int, float, bool)) or (
            isinstance(item, str) and len(item) > limits.MAX_PATH_CHARS
        ):
            raise _bad(f"`{key}`: `{name}` must be a short text, number or true/false")
        _check_encodable(name, f"`{key}`")
        if isinstance(item, str):
            _check_encodable(item, f"`{key}`: `{name}`")
    return value


def choice(data: dict[str, Any], key: str, allowed: Any) -> str:
    """A required text field whose value is one of ``allowed``."""
    value = data.get(key)
    if not isinstance(value, str) or value not in allowed:
        shown = (
            repr(value)[:60] if isinstance(value, (str, int, float, bool)) else type(value).__name__
        )
        raise _bad(f"`{key}` must be one of {', '.join(allowed)}; got {shown}")
    return value


def flag(data: dict[str, Any], key: str) -> bool:
    """An optional true/false field (false when absent)."""
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise _bad(f"`{key}` must be true or false")
    return value
