"""``python -m green_assist.protocol [--write]``: print or write the generated TypeScript."""

from __future__ import annotations

import argparse
from pathlib import Path

from .typescript import render

TARGET = Path("labextension/src/generated/payloads.ts")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m green_assist.protocol", description=__doc__)
    parser.add_argument(
        "--write", action="store_true", help=f"write {TARGET} (run from the repository root)"
    )
    args = parser.parse_args()
    text = render()
    if args.write:
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        TARGET.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


raise SystemExit(main())
