"""Check a payload against one definition of green_assist/protocol/payloads.schema.json."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from green_assist.protocol import payload_schema


def assert_matches(definition: str, payload: Any) -> None:
    """Fail with every mismatch (path and message) when ``payload`` breaks ``definition``."""
    schema = {**payload_schema(), "$ref": f"#/$defs/{definition}"}
    errors = sorted(Draft202012Validator(schema).iter_errors(payload), key=lambda e: e.path)
    problems = [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors]
    assert not problems, f"{definition} payload does not match the schema:\n" + "\n".join(problems)
