"""Running a ``%%greenprofile`` cell body the way IPython runs a cell.

Normally IPython itself runs the body: an input transformer (``rewrite_cell``) turns ::

    %%greenprofile --flops
    body

into ::

    get_ipython().run_line_magic('greenprofile', '--begin-cell --flops')
    body

so the body goes through IPython's own machinery: IPython syntax in it is transformed,
it runs in the user namespace, its last expression becomes ``Out[n]`` and is displayed,
top-level ``await`` works, an exception shows one traceback and the reply status is
``error``. Line numbers stay those of the cell. The measurement starts at the first
line and ends at ``post_run_cell``, which IPython fires on success and on error.

``run_body`` is the fallback for a direct ``shell.run_cell_magic("greenprofile", ...)``
call, which no transformer sees: the same steps done by hand (transform, compile with
IPython's compiler, execute in ``user_ns``, display the last expression), except
top-level ``await``, which needs the cell form.
"""

from __future__ import annotations

import ast
import inspect
import re
from typing import Any

MAGIC_LINE = re.compile(r"^%%greenprofile\b(?P<args>[^\n]*)\n?$")
BEGIN_FLAG = "--begin-cell"


def rewrite_cell(lines: list[str]) -> list[str]:
    """IPython cleanup transformer: a cell starting ``%%greenprofile ARGS`` starts the
    measurement on its first line instead of handing the body to a magic function."""
    if not lines:
        return lines
    match = MAGIC_LINE.match(lines[0])
    if match is None:
        return lines
    args = f"{BEGIN_FLAG} {match.group('args').strip()}".strip()
    first = f"get_ipython().run_line_magic('greenprofile', {args!r})\n"
    return [first, *lines[1:]]


class AwaitNeedsCellForm(Exception):
    pass


def run_body(shell: Any, body: str) -> Any:
    """Execute ``body`` in the user namespace; display and return its last expression."""
    code = shell.transform_cell(body)
    filename = shell.compile.cache(code, shell.execution_count, raw_code=body)
    tree = shell.transform_ast(shell.compile.ast_parse(code, filename=filename))
    last: ast.expr | None = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = tree.body.pop().value
    flags = shell.compile.flags | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    namespace = shell.user_ns
    compiled = compile(tree, filename, "exec", flags=flags, dont_inherit=True)
    _refuse_await(compiled)
    exec(compiled, namespace)
    if last is None:
        return None
    expression = compile(ast.Expression(last), filename, "eval", flags=flags, dont_inherit=True)
    _refuse_await(expression)
    value = eval(expression, namespace)
    shell.displayhook(value)
    return value


def _refuse_await(code: Any) -> None:
    if code.co_flags & inspect.CO_COROUTINE:
        raise AwaitNeedsCellForm(
            "top-level await in %%greenprofile works when %%greenprofile is the first line of "
            "a cell; shell.run_cell_magic('greenprofile', ...) cannot run it"
        )
