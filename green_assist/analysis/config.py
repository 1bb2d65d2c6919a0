"""Analyzer settings from ``[tool.green-assist]`` in the nearest ``pyproject.toml``.

.. code-block:: toml

    [tool.green-assist]
    select = ["ALL"]            # codes or prefixes: "GA1", "GA108"; default ALL
    ignore = ["GA115"]
    exclude = ["build/*", "*_pb2.py"]   # glob patterns for files found in folders
    max-file-size = 2000000     # bytes of code; larger files get a clear error
    target = "any"              # hardware the advice is for: auto (this machine), any,
                                # cpu, cuda, mps, xpu (see green_assist/target.py)

    [tool.green-assist.GA113]   # per-rule options (see `green-assist rule GA113`)
    threshold = 2048

Other parts of green_assist may keep their own keys in the same table; keys that
look like a misspelling of the analyzer's keys are refused.
"""

from __future__ import annotations

import difflib
import functools
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..target import ANY, Target, TargetError, parse_target
from .sources import DEFAULT_MAX_SOURCE_BYTES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

if TYPE_CHECKING:
    from .rule import Rule

TABLE = "green-assist"
_KEYS = ("select", "ignore", "exclude", "max-file-size", "target")
_CODE_RE = re.compile(r"^GA\d{3}$")


class ConfigError(ValueError):
    """Settings that cannot be used; the message says where and what to change."""


@dataclass(frozen=True)
class Config:
    """Which rules run, with which options, on which files."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_SOURCE_BYTES
    rule_settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    source: Path | None = None
    # The hardware the advice is for (rules that only pay off elsewhere stay silent).
    target: Target = ANY

    def with_overrides(
        self,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
        target: str | Target | None = None,
    ) -> Config:
        """Command-line overrides: ``select`` replaces the configured list, ``ignore`` adds,
        ``target`` (``auto``, ``any``, ``cpu``...) replaces the configured hardware."""
        changed = self
        if target is not None:
            changed = replace(changed, target=_target(target, "--target"))
        if select:
            changed = replace(changed, select=tuple(_normalise(select, "--select")))
        if ignore:
            changed = replace(
                changed, ignore=changed.ignore + tuple(_normalise(ignore, "--ignore"))
            )
        return changed

    def enabled_rules(self) -> list[type[Rule]]:
        """The selected rules whose advice fits the target hardware."""
        from .registry import select_rules

        return [
            rule for rule in select_rules(self.select, self.ignore) if rule.applies_to(self.target)
        ]

    def settings_for(self, code: str) -> Mapping[str, Any]:
        return self.rule_settings.get(code, {})


def _normalise(codes: Iterable[str], where: str) -> list[str]:
    from .registry import all_rules

    known = [rule.code for rule in all_rules()]
    result: list[str] = []
    for raw in codes:
        for code in str(raw).split(","):
            code = code.strip().upper()
            if not code:
                continue
            if code != "ALL" and not any(k.startswith(code) for k in known):
                raise ConfigError(
                    f"{where}: {code!r} matches no rule; codes are {known[0]}..{known[-1]}"
                    " (prefixes such as GA1 and the word ALL work too)"
                )
            result.append(code)
    return result


def _target(value: Any, where: str) -> Target:
    if isinstance(value, Target):
        return value
    if not isinstance(value, str):
        raise ConfigError(f'{where}: `target` must be a string such as "auto" or "cpu"')
    try:
        return parse_target(value)
    except TargetError as err:
        raise ConfigError(f"{where}: {err}") from err


def _string_list(table: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: `{key}` must be a list of strings, got {value!r}")
    return value


def config_from_table(table: Mapping[str, Any], source: Path | None = None) -> Config:
    """Validate a ``[tool.green-assist]`` table (already parsed) into a :class:`Config`."""
    from .registry import all_rules

    where = f"{source or 'settings'} [tool.{TABLE}]"
    rules = {rule.code: rule for rule in all_rules()}
    settings: dict[str, dict[str, Any]] = {}
    for key, value in table.items():
        if _CODE_RE.match(key):
            settings[key] = _rule_settings(rules, key, value, where)
        elif key not in _KEYS:
            close = difflib.get_close_matches(key, _KEYS, n=1, cutoff=0.75)
            if close:
                raise ConfigError(f"{where}: unknown key `{key}`; did you mean `{close[0]}`?")
    size = table.get("max-file-size", DEFAULT_MAX_SOURCE_BYTES)
    if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
        raise ConfigError(f"{where}: `max-file-size` must be a positive number of bytes")
    select = _normalise(_string_list(table, "select", where), where) or ["ALL"]
    return Config(
        select=tuple(select),
        ignore=tuple(_normalise(_string_list(table, "ignore", where), where)),
        exclude=tuple(_string_list(table, "exclude", where)),
        max_file_size=size,
        rule_settings=settings,
        source=source,
        target=_target(table["target"], where) if "target" in table else ANY,
    )


def _rule_settings(
    rules: Mapping[str, type[Rule]], code: str, value: Any, where: str
) -> dict[str, Any]:
    rule = rules.get(code)
    if rule is None:
        raise ConfigError(f"{where}: there is no rule {code}")
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: `{code}` must be a table of options")
    checked: dict[str, Any] = {}
    for name, option_value in value.items():
        option = rule.options.get(name)
        if option is None:
            known = ", ".join(rule.options) or "none"
            raise ConfigError(f"{where}: {code} has no option `{name}` (options: {known})")
        try:
            checked[name] = option.validate(name, option_value)
        except ValueError as err:
            raise ConfigError(f"{where}: {code}: {err}") from err
    return checked


def find_pyproject(start: Path, stop_at: Path | None = None) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start`` that has a [tool.green-assist] table.

    With ``stop_at`` (a resolved folder), folders above it are not searched.
    """
    folder = start if start.is_dir() else start.parent
    for candidate_dir in (folder, *folder.parents):
        if stop_at is not None and not candidate_dir.is_relative_to(stop_at):
            return None
        candidate = candidate_dir / "pyproject.toml"
        if candidate.is_file() and _has_table(candidate):
            return candidate
    return None


def _has_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return f"[tool.{TABLE}" in text or f'[tool."{TABLE}"' in text


@functools.lru_cache(maxsize=256)
def _load_file(path: Path, mtime: float) -> Config:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read it: {err}") from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from err
    except RecursionError as err:
        raise ConfigError(f"{path}: not valid TOML: nested too deeply") from err
    table = data.get("tool", {}).get(TABLE, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.{TABLE}] must be a table")
    return config_from_table(table, path)


def config_from_file(path: str | Path) -> Config:
    """Settings from one given pyproject.toml (``--config``); defaults when it has no table."""
    file = Path(path)
    try:
        mtime = file.stat().st_mtime
    except OSError as err:
        raise ConfigError(f"{file}: cannot read it: {err.strerror or err}") from err
    return _load_file(file.resolve(), mtime)


def load_config(start: str | Path | None = None, stop_at: Path | None = None) -> Config:
    """Settings for files at or below ``start`` (default: the current folder).

    ``stop_at``: a folder above which no pyproject.toml is read (a server's root).
    Raises :class:`ConfigError` when the table is invalid; no table means defaults.
    """
    found = find_pyproject(Path(start or ".").resolve(), stop_at)
    if found is None:
        return Config()
    return _load_file(found, found.stat().st_mtime)
