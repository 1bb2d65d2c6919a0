"""Rule documentation, rendered from the rule classes: ``green-assist rule`` and docs/rules.md.

Regenerate the committed page after changing a rule::

    python -m green_assist.analysis.docs --write

``--check`` exits 1 when docs/rules.md is stale (a test does the same).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .registry import all_rules
from .rule import Rule

DOCS_PATH = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def _fix_availability(rule: type[Rule]) -> str:
    return "automatic for some findings (`--fix`)" if rule.fixable else "by hand (see below)"


def _code_block(code: str) -> str:
    return f"```python\n{code.rstrip()}\n```"


def render_rule(rule: type[Rule], heading: str = "##") -> str:
    """One rule's page: what / why / example / fix / options / sources."""
    doc = rule.doc
    parts = [
        f"{heading} {rule.code} {rule.name}",
        "",
        f"**{rule.summary[0].upper()}{rule.summary[1:]}.** Severity: {rule.severity.value}."
        f" Fix: {_fix_availability(rule)}. Hardware: {rule.hardware}.",
        "",
        f"{heading}# What it does",
        "",
        doc.what,
        "",
        f"{heading}# Why it matters",
        "",
        doc.why,
        "",
        f"{heading}# Example",
        "",
        _code_block(doc.example),
        "",
        f"{heading}# Fix",
        "",
        doc.fix,
    ]
    if doc.fixed_example:
        parts += ["", _code_block(doc.fixed_example)]
    if rule.options:
        parts += ["", f"{heading}# Options", ""]
        parts += [
            f"- `{name}` (default `{option.default}`): {option.description}. Set it in"
            f" `[tool.green-assist.{rule.code}]`."
            for name, option in rule.options.items()
        ]
    if doc.sources:
        parts += ["", f"{heading}# Sources", ""]
        parts += [f"- {source}" for source in doc.sources]
    return "\n".join(parts) + "\n"


def render_all() -> str:
    """The whole of docs/rules.md."""
    rules = all_rules()
    header = [
        "# green-assist rules",
        "",
        "<!-- Generated from the rule classes by `python -m green_assist.analysis.docs --write`;"
        " do not edit by hand. -->",
        "",
        "Each rule finds a pattern in PyTorch / Hugging Face code that spends energy for"
        " nothing, says why, and points to the fix. Run them with `green-assist check PATH`;"
        " show one with `green-assist rule GA101`. Silence a line with"
        " `# green: ignore[GA101]` (or `# green: ignore` for all rules); choose rules with"
        " `select`/`ignore` in `[tool.green-assist]` of pyproject.toml.",
        "",
        "| Code | Name | Detects | Severity | Autofix |",
        "|---|---|---|---|---|",
    ]
    header += [
        f"| [{r.code}](#{r.code.lower()}-{r.name}) | {r.name} | {r.summary} |"
        f" {r.severity.value} | {'yes' if r.fixable else ''} |"
        for r in rules
    ]
    return "\n".join(header) + "\n\n" + "\n".join(render_rule(rule) for rule in rules)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write or check docs/rules.md.")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true", help="rewrite docs/rules.md")
    group.add_argument("--check", action="store_true", help="exit 1 when docs/rules.md is stale")
    args = parser.parse_args(argv)
    text = render_all()
    if args.write:
        DOCS_PATH.parent.mkdir(parents=True, exist_ok=True)
        DOCS_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {DOCS_PATH}")
        return 0
    if args.check:
        current = DOCS_PATH.read_text(encoding="utf-8") if DOCS_PATH.exists() else ""
        if current != text:
            print(f"{DOCS_PATH} is stale; run: python -m green_assist.analysis.docs --write")
            return 1
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
