"""Hover on a flagged range: the finding and its rule's rationale, as Markdown.

The text comes from the rule's documentation (``RuleDoc``: what / why / fix /
sources), the same text as ``green-assist rule GA101`` and docs/rules.md, followed by
the code actions of this server that act on the finding, by the titles the editor
shows them with.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..analysis.findings import Finding
from ..analysis.registry import get_rule
from ..refactor.registry import refactors_answering
from .convert import rule_url


def finding_markdown(finding: Finding) -> str:
    """One finding: its message, then what the rule finds, why it matters, and the fix."""
    parts = [f"**{finding.code}** `{finding.name}`: {finding.message}"]
    try:
        rule = get_rule(finding.code)
    except KeyError:
        return parts[0]
    doc = rule.doc
    parts += [
        f"**What it finds.** {doc.what}",
        f"**Why it matters.** {doc.why}",
        f"**Fix.** {doc.fix}",
    ]
    actions = _code_actions(finding)
    if actions:
        parts.append(f"**In this editor:** {actions}.")
    if doc.fixed_example:
        parts.append(f"```python\n{doc.fixed_example.rstrip()}\n```")
    if doc.sources:
        parts.append("**Sources.**\n" + "\n".join(f"- {source}" for source in doc.sources))
    parts.append(f"[{finding.code} documentation]({rule_url(finding.code)})")
    return "\n\n".join(parts)


def _code_actions(finding: Finding) -> str:
    """The code actions that act on ``finding``, by the titles the editor shows."""
    named = []
    if finding.fix is not None and finding.fix.applicable:
        named.append(f"the quick fix “{finding.code}: {finding.fix.description}”")
    named += [f"the code action “{r.title}”" for r in refactors_answering(finding.code)]
    if not named:
        return ""
    return " or ".join(named) + ", among the code actions on this line"


def hover_markdown(findings: Sequence[Finding]) -> str | None:
    """Markdown for the findings under the cursor (None when there are none)."""
    if not findings:
        return None
    return "\n\n---\n\n".join(finding_markdown(finding) for finding in findings)
