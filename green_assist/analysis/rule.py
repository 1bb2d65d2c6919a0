"""The ``Rule`` base class: one small libcst visitor per rule.

A rule is a :class:`libcst.BatchableCSTVisitor` subclass with class attributes
that describe it (code, name, severity, documentation) and ordinary libcst
``visit_<Node>`` / ``leave_<Node>`` methods that call :meth:`Rule.report`.
The engine runs every selected rule in one pass over one parsed module, so a
rule must not transform the tree and should keep per-module state on ``self``
(a fresh instance is made for every module).

Example::

    class UseOfDouble(Rule):
        code = "GA999"
        name = "use-of-double"
        summary = "`.double()` calls"
        triggers = ("double",)
        doc = RuleDoc(what=..., why=..., example=..., fix=..., sources=(...,))

        def visit_Call(self, node: cst.Call) -> None:
            if call_method_name(node) == "double":
                self.report(node, "`.double()` computes in float64")

Rules whose matching depends on where a name was imported from set
``needs_qualified_names = True`` and call :meth:`Rule.qualified_names`; the
engine then resolves names once per module (see ``names.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import libcst as cst

from .findings import Severity

if TYPE_CHECKING:
    from ..target import Target
    from .context import Evidence, RuleContext


@dataclass(frozen=True)
class RuleDoc:
    """A rule's documentation, in ruff's shape: what / why / example / fix, with sources."""

    what: str
    why: str
    example: str
    fix: str
    fixed_example: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleOption:
    """A per-rule setting, read from ``[tool.green-assist.<CODE>]`` in pyproject.toml."""

    default: Any
    description: str

    def validate(self, name: str, value: Any) -> Any:
        """Return ``value`` when it has the default's type; raise ``ValueError`` otherwise."""
        expected = type(self.default)
        if isinstance(value, bool) != isinstance(self.default, bool) or not isinstance(
            value, expected
        ):
            raise ValueError(f"`{name}` must be a {expected.__name__}, got {value!r}")
        return value


@dataclass(frozen=True)
class ProposedFix:
    """A fix as a rule proposes it: replace nodes by new nodes (or text).

    The engine turns the replacements into text edits with positions. An empty
    ``replacements`` means the fix is described but has to be done by hand.
    """

    description: str
    replacements: tuple[tuple[cst.CSTNode, cst.CSTNode | str], ...] = ()
    safe: bool = True


_LAST_PARTS: dict[int, tuple[Collection[str], frozenset[str]]] = {}


def _last_parts(names: Collection[str]) -> frozenset[str]:
    """``{"autocast", "GradScaler"}`` for ``{"torch.autocast", "torch.amp.GradScaler"}``."""
    known = _LAST_PARTS.get(id(names))
    if known is None or known[0] is not names:
        known = _LAST_PARTS[id(names)] = (names, frozenset(n.rpartition(".")[2] for n in names))
    return known[1]


class Rule(cst.BatchableCSTVisitor):
    """Base class of every rule; see the module docstring."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    doc: ClassVar[RuleDoc]
    # Resolve names through imports (``import torch.cuda.amp as amp``)?
    needs_qualified_names: ClassVar[bool] = False
    # Query the program model (``self.context.program``) in ``leave_Module``?
    needs_program: ClassVar[bool] = False
    # Substrings of which at least one must occur in the source for the rule to
    # possibly match; a cheap pre-filter, so it must never cause a missed finding.
    triggers: ClassVar[tuple[str, ...]] = ()
    options: ClassVar[Mapping[str, RuleOption]] = {}
    # Whether some of the rule's findings come with automatic edits.
    fixable: ClassVar[bool] = False
    # Advice that pays off only with an accelerator (CUDA, MPS, XPU): not given for CPUs.
    accelerator_only: ClassVar[bool] = False
    # Where the advice pays off, for the docs (``applies_to`` decides).
    hardware: ClassVar[str] = "any hardware"

    def __init__(self, context: RuleContext, settings: Mapping[str, Any] | None = None) -> None:
        super().__init__()
        self.context = context
        self.settings: dict[str, Any] = {k: opt.default for k, opt in self.options.items()}
        self.settings.update(settings or {})
        self.setup()

    def setup(self) -> None:
        """Create per-module state (called once per module, before the walk)."""

    @classmethod
    def applies_to(cls, target: Target) -> bool:
        """Whether this rule's advice fits ``target`` (``--target``, the kernel's machine).

        Rules whose advice only partly depends on the hardware read
        ``self.context.target`` instead.
        """
        return target.accelerator or not cls.accelerator_only

    @classmethod
    def may_apply(cls, text: str) -> bool:
        """False when the source cannot contain a match (none of ``triggers`` occurs)."""
        return not cls.triggers or any(trigger in text for trigger in cls.triggers)

    def report(
        self,
        node: cst.CSTNode,
        message: str,
        fix: ProposedFix | None = None,
        related: tuple[Evidence, ...] = (),
    ) -> None:
        """Record a finding at ``node`` (its whole range is highlighted); ``related`` are
        (node, message, function) triples that show where the cause sits."""
        self.context.report(self, node, message, fix, related)

    def qualified_names(self, node: cst.CSTNode) -> frozenset[str]:
        """Where ``node`` (a name, attribute or call) was imported from, e.g. ``torch.autocast``.

        Names not bound by an import resolve to their dotted text, so a snippet
        without imports still matches ``torch.cuda.amp.autocast``.
        """
        return self.context.names.qualified_names(node)

    def find_name(self, node: cst.CSTNode, wanted: Callable[[str], bool]) -> str | None:
        """The qualified name of ``node`` for which ``wanted(name)`` is true, or None.

        Prefer this (or :meth:`match`) to :meth:`qualified_names`: only answers the
        rule acts on are checked against rebound imports, which keeps the fast path.
        """
        resolver = self.context.names
        found = resolver.qualified_names(node, record=False)
        for qualified in found if len(found) < 2 else sorted(found):
            if wanted(qualified):
                resolver.record(node)
                return qualified
        return None

    def match(self, node: cst.CSTNode, names: Collection[str]) -> str | None:
        """The one of ``names`` that ``node`` resolves to, or None.

        ``names`` should be a module-level constant: the last parts of its names are
        computed once and let most nodes be rejected without resolving them.
        """
        last = self.context.names.last_name(node)
        if last is not None and last not in _last_parts(names):
            return None
        return self.find_name(node, names.__contains__)

    def module_code(self, node: cst.CSTNode) -> str:
        """Source text of ``node`` (for messages that name the offending call)."""
        return self.context.module.code_for_node(node)
