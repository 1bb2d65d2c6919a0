"""``POST /green-assist/report``: write a session report into the server's root folder.

The sidebar's "Export report" calls it. Request body (JSON)::

    {"sessions": [".green_assist/20250301T101502Z-3f9a1c.jsonl"],   # or "session": "..."
     "output": "reports/training.html",     # .html, .json, .csv or .md
     "format": "html",                      # optional: must agree with the extension
     "compare": ["after.jsonl"],            # optional: AFTER logs; sessions are BEFORE
     "anonymize": false,                    # optional: no host name, no absolute paths
     "overwrite": false}                    # optional: replace an existing report

Paths are relative to the server's root folder (absolute paths are accepted when
they lie inside it); a session may be a folder of logs. Every path, and every log
found in a folder, is resolved (``..`` and symbolic links followed) and refused with
403 when it ends up outside the root: the server reads and writes only where its user
can already see. The output is a visible file (no part of its path starts with ``.``)
whose extension is its format's (or ``.txt``), never a session log; folders created for it are
removed again when the report cannot be written. Response: ``{"path", "format",
"cells", "warnings"}`` with ``path`` relative to the root. Errors: 400 bad request or
unusable logs, 403 outside the root, 409 the file exists (send ``"overwrite": true``)
or is read-only, 413 over the size, time or memory limit, 500 the disk refused the
file. The logs are read and the code they name parsed in a worker process, never
executed.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from tornado import web

from ..analysis.workspace import inside
from ..report import EXTENSIONS, FORMATS, ReportInputError, format_for
from ..report.loading import log_paths
from ..report.writing import check_output
from . import fields, jobs, limits
from .base import BodyLimitedHandler


class ReportHandler(BodyLimitedHandler):
    """Write a report for session logs; see the module docstring."""

    def inside_root(self, value: Any, what: str) -> Path:
        """``value`` as a resolved path inside the root; 400 if not a path, 403 if outside."""
        fields.path_text(value, f"`{what}`")
        return self._contained(value, f"{what} {value!r}")

    def _contained(self, value: str | Path, shown: str) -> Path:
        path = inside(self.root, value)
        if path is None:
            raise web.HTTPError(
                403,
                f"{shown} is outside the server's root folder; "
                "choose a path inside the folder JupyterLab shows",
            )
        return path

    def _logs(self, data: dict[str, Any], key: str) -> list[Path]:
        """The log files a field names (folders expanded), each inside the root."""
        value = data.get(key)
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values:
            raise web.HTTPError(400, f"`{key}` must be a session log path or a list of them")
        given = [self.inside_root(item, key) for item in values]
        try:
            found = log_paths(given)
        except ReportInputError as err:
            raise web.HTTPError(400, str(err).replace(f"{self.root}/", "")) from err
        # A log inside a given folder may be a link to a file anywhere: resolve each one.
        return [
            self._contained(log.resolve(), f"{key}: {log.relative_to(self.root).as_posix()}")
            for log in found
        ]

    def _output(self, data: dict[str, Any], inputs: list[Path]) -> tuple[Path, str]:
        value = data.get("output")
        output = self.inside_root(value, "output")
        fmt = data.get("format")
        try:
            check_output(output, inputs)
            fmt = format_for(output, fmt)
        except ReportInputError as err:
            raise web.HTTPError(400, str(err).replace(f"{self.root}/", "")) from err
        relative = output.relative_to(self.root)
        if any(part.startswith(".") for part in relative.parts):
            raise web.HTTPError(
                400, f"output {value!r} is hidden (a name starts with '.'); choose a visible name"
            )
        # Only names a report can have: never code (.py), a notebook or a session log.
        suffix = output.suffix.lower()
        if suffix != ".txt" and EXTENSIONS.get(suffix) != fmt:
            wanted = ", ".join(ext for ext, name in EXTENSIONS.items() if name == fmt)
            raise web.HTTPError(
                400, f"output {value!r}: a {fmt} report is named {wanted} (or .txt)"
            )
        if output.is_dir():
            raise web.HTTPError(400, f"output {value!r} is a folder; name a file")
        if output.exists() and not fields.flag(data, "overwrite"):
            raise web.HTTPError(409, f"{value!r} exists; send overwrite: true to replace it")
        return output, fmt

    @web.authenticated
    async def post(self) -> None:
        data = self.read_json()
        _check_fields(data)
        sessions = self._logs(data, "sessions" if "sessions" in data else "session")
        compare_with = self._logs(data, "compare") if data.get("compare") else None
        output, fmt = self._output(data, [*sessions, *(compare_with or ())])
        created = _make_parents(output.parent, self.root)
        try:
            payload = await self.run_job(
                jobs.report,
                sessions,
                output,
                fmt,
                compare_with,
                self.root,
                fields.flag(data, "anonymize"),
                timeout=limits.JOB_TIMEOUT_S,
            )
        except BaseException:
            _remove_empty(created)
            raise
        for key, status in (("bad_request", 400), ("read_only", 409), ("cannot_write", 500)):
            if key in payload:
                _remove_empty(created)
                raise web.HTTPError(status, payload[key])
        self.write_json(payload)


def _check_fields(data: dict[str, Any]) -> None:
    """Every field's type and size, before any file is looked at."""
    for key in ("sessions", "session", "compare"):
        value = data.get(key)
        if value is None or (key == "compare" and not value):
            continue
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values or len(values) > 1000:
            raise web.HTTPError(400, f"`{key}` must be a session log path or a list of them")
        for item in values:
            fields.path_text(item, f"`{key}`")
    fields.path_text(data.get("output"), "`output`")
    if data.get("format") is not None:
        fields.choice(data, "format", FORMATS)
    fields.flag(data, "overwrite")
    fields.flag(data, "anonymize")


def _make_parents(folder: Path, root: Path) -> list[Path]:
    """Create ``folder`` (inside ``root``) and its missing parents; the ones created."""
    missing = [folder, *folder.parents]
    created = [p for p in missing if p.is_relative_to(root) and not p.exists()]
    for path in reversed(created):
        try:
            path.mkdir()
        except OSError as err:
            _remove_empty(created)
            raise web.HTTPError(
                400, f"cannot create the folder {path.relative_to(root)}: {err.strerror or err}"
            ) from err
    return created


def _remove_empty(created: list[Path]) -> None:
    """Remove the folders a failed request created (deepest first, only if still empty)."""
    for path in created:
        with contextlib.suppress(OSError):
            path.rmdir()


ROUTES: list[tuple[str, type[Any]]] = [("report", ReportHandler)]
