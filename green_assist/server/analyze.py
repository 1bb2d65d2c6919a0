"""``POST /green-assist/analyze``: findings for a notebook's cells or a file's text.

Request body (JSON), one of:

* ``{"path": "train.ipynb", "cells": [{"cell_type": "code", "source": "...", "id": "..."}, ...]}``
  (cells may also be plain strings; a cell's index in the list is its ``cell`` in findings);
* ``{"path": "train.py", "text": "..."}``;

plus optional ``"select"``/``"ignore"`` lists of codes. ``path`` (relative to the
server's root) chooses the pyproject.toml whose ``[tool.green-assist]`` applies.

Response: ``{"path", "findings": [...], "errors": [...], "rules": {code: {...}}}`` with
findings in the CLI's JSON shape; ``rules`` holds, for each rule that fired, its name,
summary, severity, documentation (what, why, fix, sources) and the refactor that
answers it (or null). Bodies over the size limit get 413. The code is
parsed, never executed.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tornado import web

from ..analysis import Config, ConfigError, analyze_cells, analyze_source, load_config
from ..analysis.findings import AnalysisResult
from ..analysis.registry import all_rules
from ..refactor.registry import refactors_answering
from .base import GreenAssistHandler


def _codes(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise web.HTTPError(400, f'`{key}` must be a list of rule codes such as ["GA101"]')
    return value


class AnalyzeHandler(GreenAssistHandler):
    """Analyse code sent by the sidebar or another client; see the module docstring."""

    def _config(self, path: str, data: dict[str, Any]) -> Config:
        root = Path(self.settings.get("server_root_dir", ".")).expanduser().resolve()
        config = Config()
        candidate = (root / path).resolve() if path and not path.startswith("<") else None
        try:
            # Settings are read only from inside the server's root folder.
            if candidate is not None and candidate.is_relative_to(root):
                config = load_config(candidate.parent if not candidate.exists() else candidate)
            return config.with_overrides(_codes(data, "select"), _codes(data, "ignore"))
        except ConfigError as err:
            raise web.HTTPError(400, str(err)) from err

    @web.authenticated
    async def post(self) -> None:
        data = self.read_json()
        cells, text = data.get("cells"), data.get("text")
        path = data.get("path")
        if path is not None and not isinstance(path, str):
            raise web.HTTPError(400, "`path` must be a string")
        if cells is not None:
            if not isinstance(cells, list):
                raise web.HTTPError(400, "`cells` must be a list of cells (objects or strings)")
            path = path or "<notebook>"
            config = self._config(path, data)
            result = await asyncio.get_running_loop().run_in_executor(
                None, analyze_cells, cells, path, config
            )
        elif isinstance(text, str):
            path = path or "<string>"
            config = self._config(path, data)
            result = await asyncio.get_running_loop().run_in_executor(
                None, analyze_source, text, path, config
            )
        else:
            raise web.HTTPError(
                400, "Send `cells` (a notebook's cells) or `text` (a file's source) to analyse."
            )
        self.write_json(_payload(result))


def _payload(result: AnalysisResult) -> dict[str, Any]:
    """Findings plus, for each rule that fired, what the sidebar's "Why?" and "Fix" need."""
    payload = result.to_dict()
    codes = {finding.code for finding in result.findings}
    payload["rules"] = {
        rule.code: {
            "name": rule.name,
            "summary": rule.summary,
            "severity": rule.severity.value,
            "doc": {
                "what": rule.doc.what,
                "why": rule.doc.why,
                "fix": rule.doc.fix,
                "sources": list(rule.doc.sources),
            },
            "refactor": next((r.name for r in refactors_answering(rule.code)), None),
        }
        for rule in all_rules()
        if rule.code in codes
    }
    return payload


ROUTES: list[tuple[str, type[Any]]] = [("analyze", AnalyzeHandler)]
