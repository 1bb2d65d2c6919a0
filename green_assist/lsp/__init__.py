"""``green-assist lsp``: the analyzer and the refactors in any editor that speaks LSP.

Public API::

    from green_assist.lsp import create_server

    server = create_server(debounce=0.2)
    server.start_io()                    # or server.start_tcp("127.0.0.1", 2087)

What it does (pygls; see each module):

* ``server.py``: diagnostics for open ``.py`` documents and notebook documents
  (LSP notebook sync) on open and, debounced, on change; never a stale result
  over a newer one; hover and code-action requests.
* ``documents.py``: snapshots of open documents, settings from the nearest
  pyproject.toml, and what to publish when the code does not parse.
* ``convert.py``: findings as diagnostics (code, severity, link to docs/rules.md),
  positions in the client's encoding, text edits.
* ``actions.py``: quick fixes, "ignore on this line", fix all, and the refactors;
  ``proposals.py`` runs the refactors.
* ``green_assist.worker`` (shared with the Jupyter server extension): the worker
  processes that analyses and refactors run in, so that a crash or a hang there
  never stops the server.
* ``hover.py``: a rule's rationale as Markdown.
"""

from __future__ import annotations

from .server import DEFAULT_DEBOUNCE_S, GreenAssistServer, create_server

__all__ = ["DEFAULT_DEBOUNCE_S", "GreenAssistServer", "create_server"]
