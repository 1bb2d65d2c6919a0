"""docs/rules.md is generated from the rule classes and must not go stale."""

from green_assist.analysis import all_rules
from green_assist.analysis.docs import DOCS_PATH, render_all


def test_rules_md_is_up_to_date():
    assert DOCS_PATH.read_text(encoding="utf-8") == render_all(), (
        "docs/rules.md is stale; run: python -m green_assist.analysis.docs --write"
    )


def test_every_rule_is_documented_with_a_source():
    codes = [rule.code for rule in all_rules()]
    assert codes == [f"GA{n}" for n in range(101, 101 + len(codes))]  # consecutive codes
    for rule in all_rules():
        doc = rule.doc
        assert doc.what and doc.why and doc.example and doc.fix, rule.code
        assert doc.sources, f"{rule.code} cites no source"
        assert rule.name == rule.name.lower() and " " not in rule.name
