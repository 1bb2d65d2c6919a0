"""Over stdio: [tool.green-assist] settings and suppressions, too-large files, notebook sync."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types

from .helpers import (
    FIXTURES,
    RecordingClient,
    apply_text_edits,
    document_edits,
    next_publish,
    open_document,
    publishes,
    wait_until,
)

GREEN_ASSIST = [sys.executable, "-m", "green_assist"]
pytestmark = pytest.mark.asyncio(loop_scope="module")

FP32_LOOP = (FIXTURES / "GA101" / "fp32_loop.py").read_text(encoding="utf-8")
FLOAT64 = "x = torch.zeros(3, dtype=torch.float64)\n"


async def _diagnostics(client: RecordingClient, path: Path, text: str) -> list[str]:
    """Open ``text`` as the document ``path`` and return the codes published for it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    open_document(client, uri, text)
    return [str(d.code) for d in (await next_publish(client, uri, 0)).diagnostics]


async def test_settings_of_the_nearest_pyproject_apply(
    client: RecordingClient, workspace: Path
) -> None:
    project = workspace / "configured"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        '[tool.green-assist]\nignore = ["GA101"]\nexclude = ["generated_*.py"]\n'
    )
    text = FP32_LOOP + FLOAT64
    assert await _diagnostics(client, workspace / "plain" / "train.py", text) == [
        "GA101",
        "GA109",
    ]
    assert await _diagnostics(client, project / "src" / "train.py", text) == ["GA109"]
    assert await _diagnostics(client, project / "generated_model.py", text) == []


async def test_suppression_comments_are_honoured(client: RecordingClient, workspace: Path) -> None:
    text = FP32_LOOP.replace("# expect: GA101", "# green: ignore[GA101]") + FLOAT64
    assert await _diagnostics(client, workspace / "suppressed" / "train.py", text) == ["GA109"]


async def test_invalid_settings_warn_once_and_use_the_defaults(
    client: RecordingClient, workspace: Path
) -> None:
    project = workspace / "misspelled"
    project.mkdir()
    (project / "pyproject.toml").write_text('[tool.green-assist]\nignre = ["GA101"]\n')
    assert await _diagnostics(client, project / "a.py", FP32_LOOP) == ["GA101"]
    assert await _diagnostics(client, project / "b.py", FP32_LOOP) == ["GA101"]
    warnings = [m.message for m in client.messages if "ignre" in m.message]
    assert len(warnings) == 1 and "did you mean `ignore`" in warnings[0]


async def test_a_file_over_the_size_limit_gets_one_note(
    client: RecordingClient, workspace: Path
) -> None:
    project = workspace / "small_limit"
    project.mkdir()
    (project / "pyproject.toml").write_text("[tool.green-assist]\nmax-file-size = 200\n")
    path = project / "big.py"
    path.write_text(FP32_LOOP * 20)
    open_document(client, path.as_uri(), FP32_LOOP * 20)
    (note,) = (await next_publish(client, path.as_uri(), 0)).diagnostics
    assert note.severity == types.DiagnosticSeverity.Information
    assert "max-file-size" in note.message


# -- notebooks (LSP notebook sync) -------------------------------------------------------
SETUP, LOOP = FP32_LOOP.split("\n\n", 1)
CELLS = [("markdown", "# Training\n"), ("python", SETUP + "\n"), ("python", LOOP)]


def _cell_uri(notebook: Path, index: int) -> str:
    return f"vscode-notebook-cell:{notebook}#C{index}"


def _open_notebook(
    client: RecordingClient, notebook: Path, cells: list[tuple[str, str]] = CELLS
) -> None:
    kinds = {"markdown": types.NotebookCellKind.Markup, "python": types.NotebookCellKind.Code}
    client.notebook_document_did_open(
        types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=notebook.as_uri(),
                notebook_type="jupyter-notebook",
                version=1,
                cells=[
                    types.NotebookCell(kind=kinds[language], document=_cell_uri(notebook, i))
                    for i, (language, _) in enumerate(cells)
                ],
            ),
            cell_text_documents=[
                types.TextDocumentItem(_cell_uri(notebook, i), language, 1, text)
                for i, (language, text) in enumerate(cells)
            ],
        )
    )


def _change_notebook(
    client: RecordingClient,
    notebook: Path,
    version: int,
    cells: types.NotebookDocumentCellChanges,
) -> None:
    client.notebook_document_did_change(
        types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(
                version=version, uri=notebook.as_uri()
            ),
            change=types.NotebookDocumentChangeEvent(cells=cells),
        )
    )


def _write_ipynb(path: Path) -> None:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": CELLS[0][1]},
        *(
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": text,
            }
            for _, text in CELLS[1:]
        ),
    ]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")


async def test_notebook_findings_land_on_their_cell(
    client: RecordingClient, workspace: Path
) -> None:
    notebook = workspace / "notebooks" / "train.ipynb"
    notebook.parent.mkdir()
    loop_cell = _cell_uri(notebook, 2)
    _open_notebook(client, notebook)
    (found,) = (await next_publish(client, loop_cell, 0)).diagnostics
    assert found.code == "GA101"
    line = LOOP.splitlines().index("    loss.backward()  # expect: GA101")
    assert (found.range.start.line, found.range.start.character) == (line, 4)
    assert publishes(client, _cell_uri(notebook, 0)) == []  # markdown: nothing to say

    # The refactor's edit, cell by cell, equals `green-assist refactor` on the .ipynb.
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(loop_cell),
            range=found.range,
            context=types.CodeActionContext(diagnostics=[found]),
        )
    )
    (action,) = [a for a in actions or [] if a.title == "Convert to mixed precision"]
    edits = document_edits(action)
    from_editor = [
        apply_text_edits(text, edits.get(_cell_uri(notebook, i), []))
        for i, (_, text) in enumerate(CELLS)
    ]
    ipynb = workspace / "notebooks" / "cli.ipynb"
    _write_ipynb(ipynb)
    done = subprocess.run(
        [*GREEN_ASSIST, "refactor", "mixed-precision", str(ipynb), "--write"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    from_cli = ["".join(c["source"]) for c in json.loads(ipynb.read_text())["cells"]]
    assert from_editor == from_cli and from_editor[2] != CELLS[2][1]

    # Editing the cell to the refactored code clears its diagnostic.
    seen = len(publishes(client, loop_cell))
    _change_notebook(
        client,
        notebook,
        2,
        types.NotebookDocumentCellChanges(
            text_content=[
                types.NotebookDocumentCellContentChanges(
                    document=types.VersionedTextDocumentIdentifier(version=2, uri=loop_cell),
                    changes=[types.TextDocumentContentChangeWholeDocument(text=from_cli[2])],
                )
            ]
        ),
    )
    assert list((await next_publish(client, loop_cell, seen)).diagnostics) == []


HELPER_CELLS = [
    (
        "python",
        "def accuracy_fn(y_true, y_pred):\n"
        "    return torch.eq(y_true, y_pred).sum().item() / len(y_pred)\n",
    ),
    (
        "python",
        "for x, y in loader:\n"
        "    out = model(x)\n"
        "    loss = criterion(out, y)\n"
        "    loss.backward()\n"
        "    optimizer.step()\n"
        "    acc = accuracy_fn(y, out.argmax(1))\n",
    ),
]


async def test_a_sync_in_a_helper_cell_is_related_information(
    client: RecordingClient, workspace: Path
) -> None:
    notebook = workspace / "helpers" / "metrics.ipynb"
    notebook.parent.mkdir()
    _open_notebook(client, notebook, HELPER_CELLS)
    loop_cell = _cell_uri(notebook, 1)
    (found,) = (await next_publish(client, loop_cell, 0)).diagnostics
    assert found.code == "GA108"
    assert (found.range.start.line, found.range.start.character) == (5, 10)
    (related,) = found.related_information or []
    assert related.location.uri == _cell_uri(notebook, 0)
    start, end = related.location.range.start, related.location.range.end
    assert (start.line, start.character, end.line, end.character) == (1, 11, 1, 48)
    assert "accuracy_fn" in related.message


async def test_deleting_or_closing_a_cell_clears_its_diagnostics(
    client: RecordingClient, workspace: Path
) -> None:
    notebook = workspace / "notebooks2" / "train.ipynb"
    notebook.parent.mkdir()
    loop_cell = _cell_uri(notebook, 2)
    _open_notebook(client, notebook)
    assert [d.code for d in (await next_publish(client, loop_cell, 0)).diagnostics] == ["GA101"]
    _change_notebook(
        client,
        notebook,
        2,
        types.NotebookDocumentCellChanges(
            structure=types.NotebookDocumentCellChangeStructure(
                array=types.NotebookCellArrayChange(start=2, delete_count=1),
                did_close=[types.TextDocumentIdentifier(loop_cell)],
            )
        ),
    )
    assert list((await next_publish(client, loop_cell, 1)).diagnostics) == []

    other = workspace / "notebooks2" / "again.ipynb"
    _open_notebook(client, other)
    other_cell = _cell_uri(other, 2)
    await next_publish(client, other_cell, 0)
    client.notebook_document_did_close(
        types.DidCloseNotebookDocumentParams(
            notebook_document=types.NotebookDocumentIdentifier(other.as_uri()),
            cell_text_documents=[
                types.TextDocumentIdentifier(_cell_uri(other, i)) for i in range(len(CELLS))
            ],
        )
    )
    await wait_until(lambda: len(publishes(client, other_cell)) == 2)
    assert list(publishes(client, other_cell)[-1].diagnostics) == []
