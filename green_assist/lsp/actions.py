"""Code actions: each finding's own fix, "ignore on this line", fix all, and the refactors.

* A finding with edits gets a quick fix that applies exactly those edits (safe fixes
  are preferred; fixes that may change results say so in the title).
* Every finding gets "Ignore GAxxx on this line" (a ``# green: ignore[GAxxx]`` comment),
  offered only where the comment would really be a comment.
* ``source.fixAll.green-assist`` applies every safe fix of the document, as
  ``green-assist check --fix`` does.
* A refactor is offered when it changes the code: as a quick fix of the findings it
  answers (mixed precision for GA101...), otherwise as ``refactor.rewrite``. A refused
  refactor is shown disabled with its reason where the client can show that, and
  only when the user asked for refactors.

Positions: requests arrive in client units and are turned into the analyzer's
1-based code-point positions once (:class:`ActionRequest`); edits go back through
``convert``.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from ..analysis.findings import Finding
from ..analysis.fixes import fix_result
from ..analysis.lines import split_lines
from ..analysis.suppressions import is_suppressed, suppressions
from ..refactor import REFACTORS
from .convert import diagnostic, diff_edits, text_edit
from .documents import Outcome, Part, Snapshot
from .proposals import Proposal, answers

FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.green-assist"
_IGNORE_LIST_RE = re.compile(r"(#\s*green:\s*ignore\[)([^\]]*)(\])")

Position = tuple[int, int]  # 1-based line and column, in code points


@dataclass(frozen=True)
class ActionRequest:
    """A code-action request in the analyzer's coordinates."""

    part: Part
    start: Position
    end: Position
    only: tuple[str, ...] | None  # kinds the client asked for (None: any)
    invoked: bool  # the user asked (menu, shortcut), rather than the editor on its own

    def wants(self, kind: str) -> bool:
        """Whether ``kind`` matches the requested kinds (``refactor`` matches ``refactor.x``)."""
        if self.only is None:
            return True
        return any(kind == wanted or kind.startswith(wanted + ".") for wanted in self.only)

    @property
    def asks_for_refactors(self) -> bool:
        """The user asked for refactors (refactor menu), or for every action there is."""
        if self.only is None:
            return self.invoked
        return any(
            wanted in ("refactor", types.CodeActionKind.RefactorRewrite.value)
            for wanted in self.only
        )


def kind_text(kind: types.CodeActionKind | str | None) -> str:
    """A kind as its protocol string (``str()`` of the enum gives its Python name)."""
    if isinstance(kind, types.CodeActionKind):
        return kind.value
    return kind or ""


def findings_in_range(outcome: Outcome, request: ActionRequest) -> list[Finding]:
    """Findings of the request's document that touch the requested range."""
    return [
        finding
        for finding in outcome.findings_for(request.part.uri)
        if (finding.line, finding.column) <= request.end
        and request.start <= (finding.end_line, finding.end_column)
    ]


def refactors_to_propose(findings: Sequence[Finding], request: ActionRequest) -> list[str]:
    """Refactors worth computing for this request (each costs about a second)."""
    if not (request.wants(types.CodeActionKind.QuickFix) or request.wants("refactor")):
        return []
    if request.asks_for_refactors:
        return list(REFACTORS)
    codes = {finding.code for finding in findings}
    return [name for name in REFACTORS if codes & set(answers(name))]


class ActionBuilder:
    """Builds the actions of one request; ``versioned`` edits name document versions."""

    def __init__(
        self,
        snapshot: Snapshot,
        codec: PositionCodec,
        versioned: bool,
        disabled_support: bool,
    ) -> None:
        self.snapshot = snapshot
        self.codec = codec
        self.versioned = versioned
        self.disabled_support = disabled_support

    # -- edits -------------------------------------------------------------------------
    def workspace_edit(self, edits: Mapping[str, list[types.TextEdit]]) -> types.WorkspaceEdit:
        if not self.versioned:
            return types.WorkspaceEdit(changes={uri: list(e) for uri, e in edits.items()})
        changes = []
        for uri, text_edits in edits.items():
            part = self.snapshot.part(uri)
            version = part.version if part is not None else None
            changes.append(
                types.TextDocumentEdit(
                    types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                    list(text_edits),
                )
            )
        return types.WorkspaceEdit(document_changes=changes)

    def text_replacement(self, new_texts: Mapping[str, str]) -> types.WorkspaceEdit:
        edits = {}
        for uri, new_text in new_texts.items():
            part = self.snapshot.part(uri)
            if part is not None:
                edits[uri] = diff_edits(part.text, new_text, self.codec)
        return self.workspace_edit(edits)

    def _diagnostics(self, findings: Sequence[Finding], part: Part) -> list[types.Diagnostic]:
        lines = split_lines(part.text)
        locate = self.snapshot.locator()
        return [diagnostic(finding, lines, self.codec, locate) for finding in findings]

    # -- actions -----------------------------------------------------------------------
    def fix(self, finding: Finding, part: Part) -> types.CodeAction | None:
        fix = finding.fix
        if fix is None or not fix.applicable:
            return None
        edits: dict[str, list[types.TextEdit]] = {}
        for edit in fix.edits:
            target = self.snapshot.parts[edit.cell] if edit.cell is not None else part
            lines = split_lines(target.text)
            edits.setdefault(target.uri, []).append(text_edit(edit, lines, self.codec))
        title = f"{finding.code}: {fix.description}"
        if not fix.safe:
            title += " (may change results)"
        return types.CodeAction(
            title=title,
            kind=types.CodeActionKind.QuickFix,
            diagnostics=self._diagnostics([finding], part),
            is_preferred=fix.safe,
            edit=self.workspace_edit(edits),
        )

    def ignore(self, finding: Finding, part: Part) -> types.CodeAction | None:
        new_line = _line_with_ignore(part.text, finding.line, finding.code)
        if new_line is None:
            return None
        lines = split_lines(part.text)
        old_line = lines[finding.line - 1].rstrip("\r\n")
        edit = types.TextEdit(
            types.Range(
                types.Position(finding.line - 1, 0),
                types.Position(finding.line - 1, self.codec.client_num_units(old_line)),
            ),
            new_line,
        )
        return types.CodeAction(
            title=f"Ignore {finding.code} on this line",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=self._diagnostics([finding], part),
            edit=self.workspace_edit({part.uri: [edit]}),
        )

    def fix_all(self, outcome: Outcome) -> types.CodeAction | None:
        if outcome.result is None:
            return None
        fixed = fix_result(outcome.result)
        if fixed is None or not fixed.changed:
            return None
        if self.snapshot.notebook:
            new_texts = {self.snapshot.parts[i].uri: new for i, (_, new) in fixed.cells.items()}
        else:
            new_texts = {self.snapshot.parts[0].uri: fixed.fixed}
        count = len(fixed.applied)
        return types.CodeAction(
            title=f"green-assist: fix all ({count} safe fix{'es' if count != 1 else ''})",
            kind=FIX_ALL_KIND,
            edit=self.text_replacement(new_texts),
        )

    def refactor(
        self, proposal: Proposal, answered: Sequence[Finding], part: Part
    ) -> types.CodeAction | None:
        if proposal.status == "changed":
            notes = "; ".join(proposal.notes)
            return types.CodeAction(
                title=proposal.title,
                kind=(
                    types.CodeActionKind.QuickFix
                    if answered
                    else types.CodeActionKind.RefactorRewrite
                ),
                diagnostics=self._diagnostics(answered, part) if answered else None,
                edit=self.text_replacement(proposal.new_texts),
                data={"refactor": proposal.name, "notes": notes} if notes else None,
            )
        if proposal.status in ("refused", "error") and self.disabled_support:
            return types.CodeAction(
                title=proposal.title,
                kind=types.CodeActionKind.RefactorRewrite,
                disabled=types.CodeActionDisabled(reason=proposal.reason or proposal.status),
            )
        return None


def build_actions(
    builder: ActionBuilder,
    outcome: Outcome,
    request: ActionRequest,
    proposals: Sequence[Proposal],
) -> list[types.CodeAction]:
    """Every action for the request, filtered by the kinds the client asked for."""
    part = request.part
    findings = findings_in_range(outcome, request)
    actions: list[types.CodeAction | None] = []
    for proposal in proposals:
        answered = [f for f in findings if f.code in answers(proposal.name)]
        if not request.wants(types.CodeActionKind.QuickFix):
            answered = []  # the refactor menu: offered as a refactor
        if proposal.status in ("refused", "error") and not request.asks_for_refactors:
            continue
        actions.append(builder.refactor(proposal, answered, part))
    actions += [builder.fix(finding, part) for finding in findings]
    seen: set[tuple[str, int]] = set()
    for finding in findings:
        if (finding.code, finding.line) not in seen:
            seen.add((finding.code, finding.line))
            actions.append(builder.ignore(finding, part))
    if request.only is not None or request.invoked:
        actions.append(builder.fix_all(outcome))
    return [a for a in actions if a is not None and request.wants(kind_text(a.kind))]


def _line_with_ignore(text: str, line: int, code: str) -> str | None:
    """Line ``line`` of ``text`` with ``code`` silenced, or None where a comment cannot go."""
    lines = split_lines(text)
    if not 1 <= line <= len(lines):
        return None
    ending_free = lines[line - 1].rstrip("\r\n")
    listed = _IGNORE_LIST_RE.search(ending_free)
    if listed is not None:
        codes = [c.strip() for c in listed.group(2).split(",") if c.strip()] + [code]
        new_line = ending_free[: listed.start(2)] + ", ".join(codes) + ending_free[listed.end(2) :]
    else:
        new_line = f"{ending_free}  # green: ignore[{code}]"
    new_text = "".join(lines[: line - 1]) + new_line + lines[line - 1][len(ending_free) :]
    new_text += "".join(lines[line:])
    if not _has_comment(new_text, line) or not is_suppressed(suppressions(new_text), line, code):
        return None
    return new_line


def _has_comment(text: str, line: int) -> bool:
    """Whether line ``line`` ends in a real comment (not text inside a string)."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT and token.start[0] == line:
                return "green:" in token.string
    except (tokenize.TokenError, SyntaxError):
        return False
    return False
