"""The editor set-ups: docs/editors.md has them all; any the README shows are the guide's,
word for word (the README may only link to the guide)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"^( *)```(lua|elisp|json)\n(.*?)^\1```", re.S | re.M)


def blocks(path: Path, languages: tuple[str, ...]) -> list[str]:
    text = path.read_text(encoding="utf-8")
    found = []
    for indent, language, body in BLOCK.findall(text):
        if language in languages:
            lines = [line[len(indent) :] for line in body.splitlines()]
            found.append(textwrap.dedent("\n".join(lines)).strip())
    return found


def test_readme_editor_snippets_match_the_editor_guide():
    readme = blocks(ROOT / "README.md", ("lua", "elisp", "json"))
    guide = blocks(ROOT / "docs" / "editors.md", ("lua", "elisp", "json"))
    assert len(guide) >= 5  # VS Code, Neovim 0.10+, Neovim 0.7-0.9, nvim-lspconfig, Emacs
    assert "(docs/editors.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    for snippet in readme:
        assert snippet in guide, f"README snippet not in docs/editors.md:\n{snippet}"


def test_snippets_cover_old_neovim_and_load_eglot_first():
    guide = "\n".join(blocks(ROOT / "docs" / "editors.md", ("lua", "elisp")))
    # Neovim 0.7-0.9: no vim.fs, no vim.lsp.start before 0.8.
    assert "vim.lsp.start_client(" in guide and "vim.lsp.buf_attach_client(" in guide
    assert "findfile(" in guide
    # Emacs: eglot-server-programs only exists once eglot is loaded.
    assert "(with-eval-after-load 'eglot" in guide and "python-ts-mode" in guide
    assert "(add-to-list 'eglot-server-programs" not in guide.split("(with-eval-after-load")[0]
