"""The payloads the kernel, the Jupyter server and the front end send each other, as one
JSON Schema (``payloads.schema.json``): the comm messages (``hello``, ``profile_*``)
and the REST bodies (``/green-assist/analyze``, ``refactor``, ``report``).

The Python side is tested against it (``tests/test_protocol.py`` validates real
payloads); the TypeScript side is generated from it, with the method vocabulary of
``green_assist.methods``: ``python -m green_assist.protocol --write`` rewrites
``labextension/src/generated/payloads.ts`` (a test fails while that file is stale).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

SCHEMA_FILE = "payloads.schema.json"


@cache
def payload_schema() -> dict[str, Any]:
    """The schema, parsed once."""
    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
