"""``green-assist rule GA101``: what a rule finds, why it matters, and how to fix it."""

from __future__ import annotations

import json
import sys
from typing import Any

from ..analysis.docs import render_rule
from ..analysis.registry import all_rules, get_rule
from ..catalog import rule_info
from ._text import plain


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "rule",
        help="explain an analysis rule (GA101...), or list them",
        description=plain(__doc__),
    )
    parser.add_argument("code", nargs="?", help="rule code, e.g. GA101")
    parser.add_argument("--list", action="store_true", help="list every rule")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=run)


def run(args: Any) -> int:
    if args.list or not args.code:
        rules = all_rules()
        if args.format == "json":
            print(json.dumps([rule_info(rule) for rule in rules], indent=2))
        else:
            for rule in rules:
                print(f"{rule.code}  {rule.name:<36} {rule.summary}")
        return 0
    try:
        rule = get_rule(args.code)
    except KeyError as err:
        print(f"green-assist rule: {err.args[0]}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(rule_info(rule), indent=2))
    else:
        sys.stdout.write(render_rule(rule, heading="#"))
    return 0
