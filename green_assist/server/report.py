"""``POST /green-assist/report``: write a session report into the server's root folder.

The sidebar's "Export report" calls it. Request body (JSON)::

    {"sessions": [".green_assist/20250301T101502Z-3f9a1c.jsonl"],   # or "session": "..."
     "output": "reports/training.html",     # .html, .json, .csv or .md
     "format": "html",                      # optional: overrides the extension
     "compare": ["after.jsonl"],            # optional: AFTER logs; sessions are BEFORE
     "overwrite": false}                    # optional: replace an existing file

Paths are relative to the server's root folder (absolute paths are accepted when
they lie inside it); a session may be a folder of logs. Every path is resolved
(``..`` and symbolic links followed) and refused with 403 when it ends up outside
the root: the server writes only where its user can already see. Response:
``{"path", "format", "cells", "warnings"}`` with ``path`` relative to the root.
Errors: 400 bad request or unusable logs, 403 outside the root, 409 the file exists
(send ``"overwrite": true``), 500 the file could not be written. The logs are read
and the code they name parsed, never executed.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tornado import web

from ..report import ReportInputError, format_for, write_report
from .base import GreenAssistHandler


class ReportHandler(GreenAssistHandler):
    """Write a report for session logs; see the module docstring."""

    @property
    def root(self) -> Path:
        return Path(self.settings.get("server_root_dir", ".")).expanduser().resolve()

    def inside_root(self, value: Any, what: str) -> Path:
        """``value`` as a resolved path inside the root; 400 if not a path, 403 if outside."""
        if not isinstance(value, str) or not value.strip() or "\x00" in value:
            raise web.HTTPError(400, f"`{what}` must be a path relative to the server's root")
        # resolve() follows "..", and symbolic links of every existing component.
        path = (self.root / value).resolve()
        if not path.is_relative_to(self.root):
            raise web.HTTPError(
                403,
                f"{what} {value!r} is outside the server's root folder; "
                "choose a path inside the folder JupyterLab shows",
            )
        return path

    def _paths(self, data: dict[str, Any], key: str) -> list[Path]:
        value = data.get(key)
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values:
            raise web.HTTPError(400, f"`{key}` must be a session log path or a list of them")
        return [self.inside_root(item, key) for item in values]

    @web.authenticated
    async def post(self) -> None:
        data = self.read_json()
        sessions = self._paths(data, "sessions" if "sessions" in data else "session")
        compare_with = self._paths(data, "compare") if data.get("compare") else None
        output = self.inside_root(data.get("output"), "output")
        fmt = data.get("format")
        if fmt is not None and not isinstance(fmt, str):
            raise web.HTTPError(400, "`format` must be one of html, json, csv, md")
        try:
            fmt = format_for(output, fmt)
        except ReportInputError as err:
            raise web.HTTPError(400, str(err)) from err
        if output.is_dir():
            raise web.HTTPError(400, f"output {data['output']!r} is a folder; name a file")
        if output.exists() and data.get("overwrite") is not True:
            raise web.HTTPError(
                409, f"{data['output']!r} exists; send overwrite: true to replace it"
            )
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            written = await asyncio.get_running_loop().run_in_executor(
                None,
                lambda: write_report(
                    sessions, output, fmt=fmt, compare_with=compare_with, code_root=self.root
                ),
            )
        except ReportInputError as err:
            raise web.HTTPError(400, str(err)) from err
        except OSError as err:
            raise web.HTTPError(500, f"cannot write {data['output']!r}: {err}") from err
        self.write_json(
            {
                "path": written.path.relative_to(self.root).as_posix(),
                "format": written.format,
                "cells": written.cells,
                "warnings": written.warnings,
            }
        )


ROUTES: list[tuple[str, type[Any]]] = [("report", ReportHandler)]
