"""``POST /green-assist/analyze``: findings for a notebook's cells or a file's text.

Request body (JSON), one of:

* ``{"path": "train.ipynb", "cells": [{"cell_type": "code", "source": "...", "id": "..."}, ...]}``
  (cells may also be plain strings; a cell's index in the list is its ``cell`` in findings);
* ``{"path": "train.py", "text": "..."}``;

plus optional ``"select"``/``"ignore"`` lists of codes. ``path`` (relative to the
server's root) chooses the pyproject.toml whose ``[tool.green-assist]`` applies; only
files inside the root are read, and paths in messages are relative to it.

Response: ``{"path", "findings": [...], "errors": [...], "rules": {code: {...}}}`` with
findings in the CLI's JSON shape; ``rules`` holds, for each rule that fired, its
description as ``catalog.rule_info`` gives it (name, summary, severity, documentation,
the refactor that answers it or null). A malformed field gets 400; a body over the size limit, or code
that needs more time or memory than a request may use (``limits.py``), 413. The code
is parsed in a worker process, never executed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tornado import web

from ..analysis import Config, ConfigError, load_config
from . import fields, jobs, limits
from .base import BodyLimitedHandler


class AnalyzeHandler(BodyLimitedHandler):
    """Analyse code sent by the sidebar or another client; see the module docstring."""

    def _config(self, path: str, select: list[str], ignore: list[str]) -> Config:
        root = Path(self.settings.get("server_root_dir", ".")).expanduser().resolve()
        config = Config()
        candidate = (root / path).resolve() if path and not path.startswith("<") else None
        try:
            # Settings are read only from inside the server's root folder.
            if candidate is not None and candidate.is_relative_to(root):
                start = candidate.parent if not candidate.exists() else candidate
                config = load_config(start, stop_at=root)
            return config.with_overrides(select, ignore)
        except ConfigError as err:
            # Said relative to the root: the client need not learn where the root is.
            raise web.HTTPError(400, str(err).replace(f"{root}{os.sep}", "")) from err

    @web.authenticated
    async def post(self) -> None:
        data = self.read_json()
        path = fields.path(data)
        cells, text = fields.cells(data), fields.text(data, "text")
        select, ignore = fields.codes(data, "select"), fields.codes(data, "ignore")
        if cells is None and text is None:
            raise web.HTTPError(
                400, "Send `cells` (a notebook's cells) or `text` (a file's source) to analyse."
            )
        path = path or ("<notebook>" if cells is not None else "<string>")
        config = self._config(path, select, ignore)
        payload = await self.run_job(
            jobs.analysis, cells, text, path, config, timeout=limits.JOB_TIMEOUT_S
        )
        self.write_json(payload)


ROUTES: list[tuple[str, type[Any]]] = [("analyze", AnalyzeHandler)]
