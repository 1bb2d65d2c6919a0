"""``python -m green_assist.protocol [--write]``: print or write the generated TypeScript
(run from the repository root: it reads ``schema/plugin.json`` too)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .typescript import render, render_settings

TARGET = Path("labextension/src/generated/payloads.ts")
SETTINGS_SCHEMA = Path("schema/plugin.json")
SETTINGS_TARGET = Path("labextension/src/generated/settings.ts")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m green_assist.protocol", description=__doc__)
    parser.add_argument(
        "--write", action="store_true", help=f"write {TARGET} and {SETTINGS_TARGET}"
    )
    args = parser.parse_args()
    settings = render_settings(json.loads(SETTINGS_SCHEMA.read_text(encoding="utf-8")))
    outputs = {TARGET: render(), SETTINGS_TARGET: settings}
    for target, text in outputs.items():
        if args.write:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        else:
            print(f"// {target}\n{text}", end="")
    return 0


raise SystemExit(main())
