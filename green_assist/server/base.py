"""Shared handler behaviour: authentication, JSON in and out, clear errors."""

from __future__ import annotations

import json
from typing import Any

from jupyter_server.base.handlers import APIHandler
from tornado import web

# Request bodies larger than this are refused with 413: the server parses what it
# is sent and must stay responsive for everyone else on it.
MAX_BODY_BYTES = 5 * 1024 * 1024


class GreenAssistHandler(APIHandler):
    """Base class: every route is authenticated (no token, no answer: 403)."""

    def write_json(self, payload: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(payload))

    def read_json(self) -> dict[str, Any]:
        """The request body as a JSON object; 413 when too big, 400 when not JSON."""
        body = self.request.body or b""
        if len(body) > MAX_BODY_BYTES:
            raise web.HTTPError(
                413,
                f"Request body is {len(body)} bytes; the limit is {MAX_BODY_BYTES}. "
                "Send one notebook or file at a time.",
            )
        try:
            data = json.loads(body or b"{}")
        except json.JSONDecodeError as err:
            raise web.HTTPError(400, f"Request body is not valid JSON: {err}") from err
        if not isinstance(data, dict):
            raise web.HTTPError(400, "Request body must be a JSON object.")
        return data
