"""``POST /green-assist/refactor``: the new source, a diff and notes for a one-click refactor.

Request body (JSON)::

    {"refactor": "mixed-precision",
     "cells": [{"cell_type": "code", "source": "...", "id": "..."}, ...],   # a notebook, or
     "text": "...",                                                       # a file's source
     "path": "train.ipynb",           # optional, shown in the diff
     "cell": 3,                       # optional: change only this cell (0-based index)
     "options": {"dtype": "fp16"}}    # optional refactor options

Response: ``{"refactor", "path", "status", "notes", "reason", "errors", "diff"}`` plus
``"text"`` (the new source, for ``text``) or ``"cells"`` (``[{"index", "id", "source"}]``
for the cells that changed). ``status`` is ``changed``, ``unchanged``, ``refused`` (with
``reason``) or ``error`` (code that does not parse, with ``errors``). A bad request
(unknown refactor or option) gets 400 and a body over the size limit 413. The code is
parsed, never executed, and no file is written: the front end applies the change.
"""

from __future__ import annotations

import asyncio
from typing import Any

from tornado import web

from ..analysis.findings import ErrorKind
from ..analysis.sources import DEFAULT_MAX_SOURCE_BYTES
from ..refactor import REFACTORS, OptionError, RefactorResult, refactor_cells, refactor_text
from .base import GreenAssistHandler


class RefactorHandler(GreenAssistHandler):
    """Run a refactor on code sent by the sidebar; see the module docstring."""

    @web.authenticated
    async def get(self) -> None:
        """The refactors and their options, for the front end's menus."""
        self.write_json(
            {
                name: {
                    "summary": refactor.summary,
                    "answers": list(refactor.answers),
                    "options": {
                        key: {"default": option.default, "help": option.help}
                        for key, option in refactor.options.items()
                    },
                }
                for name, refactor in REFACTORS.items()
            }
        )

    @web.authenticated
    async def post(self) -> None:
        data = self.read_json()
        name = data.get("refactor")
        if name not in REFACTORS:
            raise web.HTTPError(
                400, f"`refactor` must be one of {', '.join(REFACTORS)}; got {name!r}"
            )
        options = data.get("options") or {}
        if not isinstance(options, dict):
            raise web.HTTPError(400, '`options` must be an object such as {"dtype": "fp16"}')
        path = data.get("path")
        if path is not None and not isinstance(path, str):
            raise web.HTTPError(400, "`path` must be a string")
        cell = data.get("cell")
        if cell is not None and (not isinstance(cell, int) or isinstance(cell, bool)):
            raise web.HTTPError(400, "`cell` must be a cell index (0-based integer)")
        loop = asyncio.get_running_loop()
        cells, text = data.get("cells"), data.get("text")
        try:
            if cells is not None:
                if not isinstance(cells, list):
                    raise web.HTTPError(400, "`cells` must be a list of cells (objects or strings)")
                result = await loop.run_in_executor(
                    None, refactor_cells, name, cells, path or "<notebook>", options, cell
                )
            elif isinstance(text, str):
                if cell is not None:
                    raise web.HTTPError(400, "`cell` applies to `cells`, not to `text`")
                result = await loop.run_in_executor(
                    None, refactor_text, name, text, path or "<string>", options
                )
            else:
                raise web.HTTPError(
                    400, "Send `cells` (a notebook's cells) or `text` (a file's source)."
                )
        except OptionError as err:
            raise web.HTTPError(400, str(err)) from err
        _refuse_oversized(result)
        self.write_json(result.to_dict())


def _refuse_oversized(result: RefactorResult) -> None:
    if any(error.kind is ErrorKind.TOO_LARGE for error in result.errors):
        raise web.HTTPError(
            413,
            f"{result.reason} (the limit is {DEFAULT_MAX_SOURCE_BYTES:,} bytes of code);"
            " refactor one notebook or file at a time",
        )


ROUTES: list[tuple[str, type[Any]]] = [("refactor", RefactorHandler)]
