"""``POST /green-assist/refactor``: the new source, a diff and notes for a one-click refactor.

``GET /green-assist/refactor`` lists the refactors (``catalog.refactor_info``: name, title,
summary, the rules each answers, options); the sidebar registers its commands from it.

Request body (JSON)::

    {"refactor": "mixed-precision",
     "cells": [{"cell_type": "code", "source": "...", "id": "..."}, ...],   # a notebook, or
     "text": "...",                                                       # a file's source
     "path": "train.ipynb",           # optional, shown in the diff
     "cell": 3,                       # optional: change only this cell (0-based index)
     "options": {"dtype": "fp16"},    # optional refactor options
     "hardware": {...},               # optional: the kernel's hardware (hello.hardware)
     "profile": {"duration_s": 10.6, "energy_j": 23.2, "flops": 1.2e12}}  # optional

Response: ``{"refactor", "path", "status", "notes", "reason", "errors", "diff"}`` plus
``"text"`` (the new source, for ``text``) or ``"cells"`` (``[{"index", "id", "source"}]``
for the cells that changed) and ``"expected"``: the saving expected on the kernel's
hardware, labelled as an estimate with its basis (``green_assist/expected.py``).
``status`` is ``changed``, ``unchanged``, ``refused`` (with
``reason``) or ``error`` (code that does not parse, with ``errors``). A bad request
(unknown refactor or option, a malformed field) gets 400; a body over the size limit,
more code than a refactor takes, or code that needs more time or memory than a request
may use (``limits.py``), 413. The code is parsed in a worker process, never executed,
and no file is written: the front end applies the change.
"""

from __future__ import annotations

from typing import Any

from tornado import web

from ..catalog import all_refactor_info
from ..refactor import REFACTORS
from . import fields, jobs, limits
from .base import BodyLimitedHandler


class RefactorHandler(BodyLimitedHandler):
    """Run a refactor on code sent by the sidebar; see the module docstring."""

    @web.authenticated
    async def get(self) -> None:
        """The refactors by name (in menu order), for the front end's commands and menus."""
        self.write_json({info["name"]: info for info in all_refactor_info()})

    @web.authenticated
    async def post(self) -> None:
        data = self.read_json()
        name = fields.choice(data, "refactor", REFACTORS)
        options = fields.options(data)
        path = fields.path(data)
        cell = fields.cell_index(data)
        cells, text = fields.cells(data), fields.text(data, "text")
        if cells is None and text is None:
            raise web.HTTPError(
                400, "Send `cells` (a notebook's cells) or `text` (a file's source)."
            )
        if cells is None and cell is not None:
            raise web.HTTPError(400, "`cell` applies to `cells`, not to `text`")
        target = fields.target_or_any(data)
        payload = await self.run_job(
            jobs.refactor,
            name,
            cells,
            text,
            path,
            options,
            cell,
            target,
            fields.profile(data),
            timeout=limits.JOB_TIMEOUT_S,
        )
        if "bad_request" in payload:
            raise web.HTTPError(400, payload["bad_request"])
        if "too_large" in payload:
            raise web.HTTPError(413, payload["too_large"])
        self.write_json(payload)


ROUTES: list[tuple[str, type[Any]]] = [("refactor", RefactorHandler)]
