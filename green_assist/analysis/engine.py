"""Run the selected rules over one file, notebook or snippet: parse once, walk once.

Steps, each done at most once per module:

1. drop rules whose ``triggers`` do not occur in the text (no parse needed for them);
2. parse with libcst (a syntax error becomes a :class:`FileError`; in a notebook
   the broken cells are set aside and the rest is still analysed);
3. resolve imported names, only if a remaining rule needs them (``names.py``):
   an import table, or ``QualifiedNameProvider`` when an imported name is rebound;
4. one walk that dispatches every node to every rule (``walker.py``);
5. positions, only for the top-level statements that hold findings; then
   ``# green: ignore`` comments, fixes as text edits, and notebook cell mapping.

Nothing raises out of :func:`analyze_source`, :func:`analyze_notebook` or
:func:`analyze_path` for a bad file: the result carries the error instead. A
rule that crashes is reported as an internal error and the others still run.
"""

from __future__ import annotations

import ast
import os
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import libcst as cst
from libcst.metadata import MetadataWrapper, QualifiedNameProvider

from .chunks import ChunkedModule, parse_chunked
from .config import Config, load_config
from .context import RawFinding, RuleContext
from .dead_code import unreferenced_functions
from .findings import AnalysisResult, Edit, ErrorKind, FileError, Finding, Fix, Related
from .names import ImportTable, NameResolver, RebindingCollector
from .nesting import check_nesting
from .positions import PositionIndex
from .program import ProgramBuilder
from .rule import ProposedFix, Rule
from .sources import (
    NotebookSource,
    PythonSource,
    load_path,
    notebook_from_cells,
    notebook_from_json,
)
from .suppressions import is_suppressed, suppressions
from .tabs import expand_indentation, map_back
from .walker import walk

Source = PythonSource | NotebookSource
# "auto": import table, QualifiedNameProvider only when an imported name is rebound.
NameResolution = Literal["auto", "qualified-name-provider"]


def analyze_source(
    text: str,
    path: str = "<string>",
    config: Config | None = None,
    name_resolution: NameResolution = "auto",
    rules: Sequence[type[Rule]] | None = None,
) -> AnalysisResult:
    """Analyse Python source text (``path`` is only used in the findings).

    ``rules`` replaces the configured selection (e.g. a language server's own set).
    """
    config = config or Config()
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > config.max_file_size:
        error = FileError(
            path,
            ErrorKind.TOO_LARGE,
            f"the source is {size:,} bytes, over the {config.max_file_size:,}-byte limit; raise"
            " `max-file-size` in [tool.green-assist] to analyse it",
        )
        return AnalysisResult(path, errors=[error])
    return analyze_loaded(PythonSource(path, text), config, name_resolution, rules)


def analyze_notebook(
    notebook: NotebookSource | bytes | str | Mapping[str, Any],
    path: str = "<notebook>",
    config: Config | None = None,
    name_resolution: NameResolution = "auto",
) -> AnalysisResult:
    """Analyse a notebook: nbformat JSON (bytes, text or dict) or a ``NotebookSource``."""
    config = config or Config()
    loaded = (
        notebook
        if isinstance(notebook, NotebookSource)
        else notebook_from_json(notebook, path, config.max_file_size)
    )
    return analyze_loaded(loaded, config, name_resolution)


def analyze_cells(
    cells: Sequence[str | Mapping[str, Any]],
    path: str = "<notebook>",
    config: Config | None = None,
) -> AnalysisResult:
    """Analyse notebook cells given directly (strings, or nbformat cell dicts)."""
    config = config or Config()
    return analyze_loaded(notebook_from_cells(cells, path, None, config.max_file_size), config)


def analyze_path(path: str | os.PathLike[str], config: Config | None = None) -> AnalysisResult:
    """Analyse a ``.py`` or ``.ipynb`` file with ``config`` (default: its nearest pyproject).

    Raises :class:`~green_assist.analysis.config.ConfigError` for invalid settings
    (a usage problem); problems with the file itself are returned as errors.
    """
    config = config or load_config(os.fspath(path))
    return analyze_loaded(load_path(path, config.max_file_size), config)


def analyze_loaded(
    source: Source | FileError,
    config: Config,
    name_resolution: NameResolution = "auto",
    rules: Sequence[type[Rule]] | None = None,
) -> AnalysisResult:
    """Analyse an already loaded source (or pass a loading error through)."""
    if isinstance(source, FileError):
        return AnalysisResult(source.path, errors=[source])
    result = AnalysisResult(source.path, source=source)
    text = source.module_text
    if not text.strip():
        what = (
            "the notebook has no code"
            if isinstance(source, NotebookSource)
            else "the file is empty"
        )
        result.errors.append(FileError(source.path, ErrorKind.EMPTY, f"{what}; nothing to analyse"))
        return result
    # One way through: pieces (parsed, checked for nesting, suppressions and statement
    # lines read once per piece text and cached) -> program model and rules in one walk
    # -> findings positioned from the pieces. A text the pieces cannot take (a piece that
    # does not parse alone, deep nesting, \r newlines) is checked and parsed whole.
    chunked = parse_chunked(text)
    if chunked is not None:
        module: cst.Module | None = chunked.module
    else:
        try:
            check_nesting(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as err:
            result.errors.append(_syntax_error(text, source, err))
            return result
    if chunked is not None:
        pass
    elif isinstance(source, NotebookSource):
        module = _parse_notebook(source, result.errors)
        text = source.module_text
    else:
        module = _parse(text, source, result.errors)
    original: str | None = None  # set when the tab-expanded copy is what was analysed
    if module is None and isinstance(source, PythonSource):
        module, original, text = _parse_tabs_expanded(text, result.errors)
    if module is None:
        return result
    selected = (
        config.enabled_rules()
        if rules is None
        else [rule for rule in rules if rule.applies_to(config.target)]
    )
    applicable = [rule for rule in selected if rule.may_apply(text)]
    if not applicable:
        return result
    context = _run_rules(
        module, text, source.path, applicable, config, name_resolution, result.errors
    )
    result.findings = _finish(context, source, chunked)
    if original is not None:
        result.findings = map_back(result.findings, original)
    return result


# The start of the error for code that Python accepts and libcst's parser refuses.
_LIBCST_ONLY = "libcst cannot parse this (Python can)"


def _parse_tabs_expanded(
    text: str, errors: list[FileError]
) -> tuple[cst.Module | None, str | None, str]:
    """libcst rejected ``text``: when that is tab indentation Python accepts, parse the
    copy with its indentation expanded instead (see tabs.py) and forget the error."""
    expanded = expand_indentation(text)
    if expanded is None or not errors or not errors[-1].message.startswith(_LIBCST_ONLY):
        return None, None, text
    try:
        module = cst.parse_module(expanded)
    except Exception:
        return None, None, text
    errors.pop()
    return module, text, expanded


def _syntax_error(text: str, source: Source, err: Exception) -> FileError:
    """A clear syntax error: Python's own message and position where it has one."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            ast.parse(text)
    except SyntaxError as py_err:
        line, column, message = py_err.lineno, py_err.offset, f"syntax error: {py_err.msg}"
    except (ValueError, RecursionError, MemoryError) as py_err:
        line, column, message = None, None, f"cannot parse: {py_err}"
    else:
        raw_line = getattr(err, "raw_line", None)
        raw_column = getattr(err, "raw_column", None)
        line = raw_line
        column = raw_column + 1 if raw_column is not None else None
        detail = getattr(err, "message", None) or str(err)
        message = f"{_LIBCST_ONLY}: {detail}"
    cell = None
    if line is not None and isinstance(source, NotebookSource):
        cell, line, column = source.locate(line, column or 1)
    return FileError(source.path, ErrorKind.SYNTAX, message, line, column, cell)


def _parse(text: str, source: Source, errors: list[FileError]) -> cst.Module | None:
    try:
        return cst.parse_module(text)
    except Exception as err:  # ParserSyntaxError, or RecursionError on absurd nesting
        errors.append(_syntax_error(text, source, err))
        return None


def _parse_notebook(notebook: NotebookSource, errors: list[FileError]) -> cst.Module | None:
    """Parse the joined cells; cells that do not parse alone are set aside and reported."""
    try:
        return cst.parse_module(notebook.joined)
    except Exception:
        pass
    found: list[FileError] = []
    for cell in notebook.cells:
        if cell.excluded:
            continue
        single = PythonSource(notebook.path, cell.masked)
        if _parse(cell.masked, single, found) is not None:
            continue
        cell.excluded = True
        error = found[-1]
        column = error.column + len(cell.indent) if error.column is not None else None
        found[-1] = FileError(
            notebook.path, error.kind, error.message, error.line, column, cell.index
        )
    errors.extend(found)
    notebook.rejoin()
    return _parse(notebook.joined, notebook, errors)


def _qualified_names(module: cst.Module) -> Mapping[cst.CSTNode, Any]:
    return MetadataWrapper(module, unsafe_skip_copy=True).resolve(QualifiedNameProvider)


def _crashed_rule(err: BaseException) -> type[Rule] | None:
    """The innermost rule whose method raised ``err``."""
    found: type[Rule] | None = None
    trace = err.__traceback__
    while trace is not None:
        owner = trace.tb_frame.f_locals.get("self")
        if isinstance(owner, Rule):
            found = type(owner)
        trace = trace.tb_next
    return found


def _run_rules(
    module: cst.Module,
    text: str,
    path: str,
    rules: list[type[Rule]],
    config: Config,
    name_resolution: NameResolution,
    errors: list[FileError],
) -> RuleContext:
    needs_names = any(rule.needs_qualified_names for rule in rules)
    table = ImportTable.build(module) if needs_names else ImportTable()
    provider = None
    if needs_names and name_resolution == "qualified-name-provider":
        provider = _qualified_names(module)
    while True:
        collector = None
        if needs_names and provider is None:
            collector = RebindingCollector(table)
        names = NameResolver(table, provider, collector)
        context = RuleContext(module, text, path, names, config.target)
        visitors: list[cst.BatchableCSTVisitor] = []
        if any(rule.needs_program for rule in rules):
            builder = ProgramBuilder(context.names)  # first: rules query it in leave_Module
            context.program = builder.program
            visitors.append(builder)
        visitors.extend(rule(context, config.settings_for(rule.code)) for rule in rules)
        if collector is not None:
            visitors.append(collector)
        try:
            walk(module, visitors, context)
        except Exception as err:
            crashed = _crashed_rule(err)
            if crashed is None:
                errors.append(
                    FileError(path, ErrorKind.INTERNAL, f"cannot analyse this file: {err!r}")
                )
                context.findings.clear()
                return context
            errors.append(
                FileError(
                    path,
                    ErrorKind.INTERNAL,
                    f"rule {crashed.code} failed on this file ({err!r}); the other rules ran."
                    " Please report it with the file.",
                )
            )
            rules = [rule for rule in rules if rule is not crashed]
            continue
        if collector is not None and collector.tainted:
            provider = _qualified_names(module)  # the import table cannot be trusted here
            continue
        return context


def _finish(
    context: RuleContext, source: Source, chunked: ChunkedModule | None = None
) -> list[Finding]:
    """Findings with positions, ``# green: ignore`` applied, fixes as edits, cells mapped.

    With a chunked parse, statement lines and suppression comments come from the cached
    pieces; only a text that had to be parsed whole is scanned again here.
    """
    if chunked is not None:
        positions = PositionIndex(context.module, "", context.statements, chunked.anchors)
        silenced = chunked.suppressions()
    else:
        positions = PositionIndex(context.module, context.text, context.statements)
        silenced = suppressions(context.text)
    findings: dict[tuple[str, int, int, int, int], Finding] = {}
    never_run = _line_spans(
        unreferenced_functions(context.module, lambda: context.code) if context.findings else [],
        context.module,
        positions,
    )
    for raw in context.findings:
        line, column, end_line, end_column = positions.range_of(raw.node)
        code = raw.rule.code
        if is_suppressed(silenced, line, code):
            continue
        if any(start <= line <= end for start, end in never_run):
            continue  # inside a script's function that nothing calls: it wastes nothing
        key = (code, line, column, end_line, end_column)
        if key in findings:
            continue
        fix = _fix(raw, positions, source, context.module)
        cell_index, cell_id, execution_count = None, None, None
        if isinstance(source, NotebookSource):
            cell = source.cell_at(line)
            if cell is not None:
                cell_index, cell_id, execution_count = (
                    cell.index,
                    cell.cell_id,
                    cell.execution_count,
                )
        _, line, column = source.locate(line, column)
        _, end_line, end_column = source.locate(end_line, end_column)
        findings[key] = Finding(
            code=code,
            name=raw.rule.name,
            message=raw.message,
            severity=raw.rule.severity,
            path=source.path,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            cell=cell_index,
            cell_id=cell_id,
            fix=fix,
            related=_related(raw, positions, source),
            execution_count=execution_count,
        )
    return sorted(
        findings.values(),
        key=lambda f: (-1 if f.cell is None else f.cell, f.line, f.column, f.code),
    )


def _line_spans(
    functions: list[cst.FunctionDef], module: cst.Module, positions: PositionIndex
) -> list[tuple[int, int]]:
    """The lines of top-level functions and methods: from each one's first line to the line
    before the next statement of its body (for a class's last method, the next top-level
    statement; or the end), without generating any code."""
    if not functions:
        return []
    wanted = {id(function) for function in functions}
    spans: list[tuple[int, int]] = []
    body = list(module.body)

    def line_after(statements: Sequence[cst.CSTNode], index: int, outer_end: int) -> int:
        following = (
            positions.first_line(statements[index + 1]) if index + 1 < len(statements) else None
        )
        return following - 1 if following is not None else outer_end

    for index, statement in enumerate(body):
        end = line_after(body, index, 1 << 30)
        if type(statement) is cst.ClassDef:
            members = statement.body.body
            for inner, member in enumerate(members):
                if id(member) in wanted and (start := positions.first_line(member)) is not None:
                    spans.append((start, line_after(members, inner, end)))
            continue
        if id(statement) in wanted and (start := positions.first_line(statement)) is not None:
            spans.append((start, end))
    return spans


def _related(raw: RawFinding, positions: PositionIndex, source: Source) -> tuple[Related, ...]:
    """The finding's evidence elsewhere, positioned like findings (cell, line, column)."""
    found: list[Related] = []
    for node, message, function in raw.related:
        line, column, end_line, end_column = positions.range_of(node)
        cell_id = None
        if isinstance(source, NotebookSource):
            cell = source.cell_at(line)
            cell_id = cell.cell_id if cell else None
        cell_index, line, column = source.locate(line, column)
        _, end_line, end_column = source.locate(end_line, end_column)
        related = Related(
            source.path, line, column, end_line, end_column, message, cell_index, cell_id, function
        )
        if related not in found:
            found.append(related)
    return tuple(found)


def _fix(
    raw: RawFinding, positions: PositionIndex, source: Source, module: cst.Module
) -> Fix | None:
    proposed: ProposedFix | None = raw.fix
    if proposed is None:
        return None
    edits: list[Edit] = []
    for old, new in proposed.replacements:
        line, column, end_line, end_column = positions.range_of(old)
        text = new if isinstance(new, str) else module.code_for_node(new)
        cell, line, column = source.locate(line, column)
        _, end_line, end_column = source.locate(end_line, end_column)
        if isinstance(source, NotebookSource) and "\n" in text:
            owner = source.cell_at(positions.range_of(old)[0])
            if owner is not None and owner.indent:
                return Fix(proposed.description, (), proposed.safe)  # re-indenting: by hand
        edits.append(Edit(line, column, end_line, end_column, text, cell))
    return Fix(proposed.description, tuple(edits), proposed.safe)
