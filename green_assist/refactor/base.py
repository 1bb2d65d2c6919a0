"""What every refactor shares: its description, its options, and how it refuses.

A refactor is a small class with a ``name`` (``mixed-precision``), a ``title`` for
menus ("Convert to mixed precision"), a one-line ``summary``, documented ``options``
and a :meth:`Refactor.apply` method that plans its edits on a
:class:`~green_assist.refactor.context.RefactorContext`. It never returns code that
would not run: when it cannot be sure, it raises
:class:`RefactorRefused` with a reason the user can act on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from .context import RefactorContext


class RefactorRefused(Exception):
    """The refactor will not change this code; ``reason`` says why and what to do."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class OptionError(ValueError):
    """An option that the refactor does not know, or a value it cannot use."""


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"must be one of {', '.join(allowed)}")
        return value

    return parse


def _positive_float(value: str) -> float:
    number = float(value)
    if not number > 0:
        raise ValueError("must be a number above 0")
    return number


def _fraction(value: str) -> float:
    number = float(value)
    if not 0 < number < 1:
        raise ValueError("must be a number between 0 and 1 (exclusive)")
    return number


def _weight(value: str) -> float:
    number = float(value)
    if not 0 <= number <= 1:
        raise ValueError("must be a number from 0 to 1")
    return number


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError("must be a whole number of at least 1")
    return number


def _boolean(value: str) -> bool:
    lowered = value.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError("must be true or false")


def _identifier(value: str) -> str:
    if not value.isidentifier():
        raise ValueError("must be a variable name")
    return value


@dataclass(frozen=True)
class Option:
    """One ``--option key=value`` a refactor accepts; ``parse`` turns the text into a value."""

    default: Any
    help: str
    parse: Callable[[str], Any]

    @staticmethod
    def choice(default: str, help: str, *allowed: str) -> Option:
        return Option(default, f"{help} ({' | '.join(allowed)})", _choice(*allowed))

    @staticmethod
    def number(default: float, help: str) -> Option:
        return Option(default, help, _positive_float)

    @staticmethod
    def fraction(default: float, help: str) -> Option:
        return Option(default, help, _fraction)

    @staticmethod
    def weight(default: float, help: str) -> Option:
        return Option(default, help, _weight)

    @staticmethod
    def count(help: str) -> Option:
        return Option(None, help, _positive_int)

    @staticmethod
    def flag(default: bool, help: str) -> Option:
        return Option(default, help, _boolean)

    @staticmethod
    def name(help: str) -> Option:
        return Option(None, help, _identifier)


class Refactor:
    """Base class of the refactors; subclasses fill the class attributes and :meth:`apply`."""

    name: ClassVar[str]
    # What a menu, code action or command palette calls it ("Convert to mixed precision").
    title: ClassVar[str]
    summary: ClassVar[str]
    answers: ClassVar[tuple[str, ...]] = ()  # rule codes whose findings this refactor fixes
    options: ClassVar[Mapping[str, Option]] = {}

    @classmethod
    def parse_options(cls, given: Mapping[str, Any]) -> dict[str, Any]:
        """Defaults overridden by ``given`` (text or JSON values); unknown keys are errors."""
        values = {key: option.default for key, option in cls.options.items()}
        for key, raw in given.items():
            option = cls.options.get(key)
            if option is None:
                known = ", ".join(sorted(cls.options)) or "none"
                raise OptionError(f"{cls.name} has no option {key!r} (options: {known})")
            text = str(raw).lower() if isinstance(raw, bool) else str(raw)
            try:
                values[key] = option.parse(text)
            except ValueError as err:
                raise OptionError(f"option {key}={text!r}: {err}") from None
        return values

    def apply(self, context: RefactorContext) -> None:
        """Plan edits on ``context`` (or raise :class:`RefactorRefused`)."""
        raise NotImplementedError
