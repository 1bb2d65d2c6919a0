"""``POST /green-assist/analyze``: findings for a notebook's cells or a file's text.

Request body (JSON), one of:

* ``{"path": "train.ipynb", "cells": [{"cell_type": "code", "source": "...", "id": "..."}, ...]}``
  (cells may also be plain strings; a cell's index in the list is its ``cell`` in findings);
* ``{"path": "train.py", "text": "..."}``;

plus optional ``"select"``/``"ignore"`` lists of codes. ``path`` (relative to the
server's root) chooses the pyproject.toml whose ``[tool.green-assist]`` applies; only
files inside the root are read, and paths in messages are relative to it. A file that
its ``exclude`` patterns skip gets no findings and ``"excluded": true``.

Response: ``{"path", "findings": [...], "errors": [...], "rules": {code: {...}},
"excluded"}`` with findings in the CLI's JSON shape; ``rules`` holds, for each rule that
fired, its description as ``catalog.rule_info`` gives it (name, summary, severity,
documentation, the refactor that answers it or null). A malformed field gets 400; a
body over the size limit, or code that needs more time or memory than a request may use
(``limits.py``), 413. The code is parsed in a worker process, never executed.
"""

from __future__ import annotations

import os
from typing import Any

from tornado import web

from ..analysis import Config, ConfigError
from ..analysis.findings import AnalysisResult
from ..analysis.workspace import excluded, inside, settings_for
from ..target import Target
from . import fields, jobs, limits
from .base import BodyLimitedHandler


class AnalyzeHandler(BodyLimitedHandler):
    """Analyse code sent by the sidebar or another client; see the module docstring."""

    def _config(
        self, path: str, select: list[str], ignore: list[str], target: Target | None
    ) -> tuple[Config, bool]:
        """The settings for ``path`` with the request's overrides, and whether it is excluded.

        Settings are read only from inside the server's root folder.
        """
        root = self.root
        file = inside(root, path) if path and not path.startswith("<") else None
        try:
            config = settings_for(file, stop_at=root) if file is not None else Config()
            overridden = config.with_overrides(select, ignore, target)
        except ConfigError as err:
            # Said relative to the root: the client need not learn where the root is.
            raise web.HTTPError(400, str(err).replace(f"{root}{os.sep}", "")) from err
        return overridden, file is not None and excluded(file, config)

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
        config, is_excluded = self._config(path, select, ignore, fields.target(data))
        if is_excluded:
            # As `green-assist check` and the language server: excluded files have no findings.
            payload = jobs.analysis_payload(AnalysisResult(path), config)
            self.write_json({**payload, "excluded": True})
            return
        payload = await self.run_job(
            jobs.analysis, cells, text, path, config, timeout=limits.JOB_TIMEOUT_S
        )
        if "too_large" in payload:
            raise web.HTTPError(413, payload["too_large"])
        self.write_json({**payload, "excluded": False})


ROUTES: list[tuple[str, type[Any]]] = [("analyze", AnalyzeHandler)]
