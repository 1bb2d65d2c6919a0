"""Statement-level positions must equal libcst's whole-module PositionProvider."""

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from green_assist.analysis.context import RuleContext
from green_assist.analysis.names import ImportTable, NameResolver
from green_assist.analysis.positions import PositionIndex
from green_assist.analysis.walker import walk

ROOT = Path(__file__).parent.parent.parent
TRICKY = '''\
"""Module docstring."""
# a comment before the imports

import os  # trailing comment
x = 1; y = f(x,
             2)


@decorator(
    "multi-line",
)
# comment between decorators
@other
def function(a, b=call(1), *args, c: int = 2, **kwargs) -> dict[str, int]:
    if a: return g(a)
    elif b:
        h(b)
    elif c: pass
    else:
        while True:
            break
    try:
        risky()
    except (ValueError, KeyError) as err:
        handle(err)
    else:
        fine()
    finally:
        done()
    with open("f") as handle, ctx() as other:
        text = handle.read() \\
            + other.read()
    return {k: v for k, v in kwargs.items()}


class Outer(Base, metaclass=Meta):
    attribute: int = value()

    class Inner:
        def method(self):
            return [lambda q: q + 1 for _ in range(3)]


match command:
    case [first, *rest] if first > 0:
        act(first)
    case {"key": value}:
        act(value)
    case _:
        pass

s = """multi
line""" + f"{x!r:>{width}}"
async def coroutine():
    async with lock:
        async for item in stream():
            await item
'''


def sources():
    yield "tricky", TRICKY
    yield "crlf", TRICKY.replace("\n", "\r\n")
    yield "tabs", "if x:\n\tif y:\n\t\tf(1,\n\t\t  2)\n"
    yield "bench", (ROOT / "bench" / "data" / "train_500.py").read_text()
    for path in sorted((ROOT / "tests" / "fixtures").glob("GA*/*.py")):
        yield path.name, path.read_text()


@pytest.mark.parametrize(("name", "text"), list(sources()), ids=lambda v: v if len(v) < 40 else "")
def test_statement_positions_match_position_provider(name, text):
    module = cst.parse_module(text)
    context = RuleContext(module, text, name, NameResolver(ImportTable()))
    walk(module, [], context)
    index = PositionIndex(module, text, context.statements)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    checked = 0
    for node in expected:
        if id(node) not in context.statements.owner or isinstance(node, cst.Module):
            continue
        want = expected[node]
        got = index.range_of(node)
        assert got == (
            want.start.line,
            want.start.column + 1,
            want.end.line,
            want.end.column + 1,
        ), (
            type(node).__name__,
            module.code_for_node(node),
        )
        checked += 1
    assert checked > 10
    assert not index.used_whole_module


TRIVIA = (
    cst.EmptyLine,
    cst.SimpleWhitespace,
    cst.ParenthesizedWhitespace,
    cst.TrailingWhitespace,
    cst.Newline,
    cst.Comment,
    cst.LeftParen,
    cst.RightParen,
    cst.LeftSquareBracket,
    cst.RightSquareBracket,
    cst.LeftCurlyBrace,
    cst.RightCurlyBrace,
    cst.Comma,
    cst.Dot,
    cst.Colon,
    cst.Semicolon,
    cst.AssignEqual,
    cst.BaseBinaryOp,
    cst.BaseBooleanOp,
    cst.BaseCompOp,
    cst.BaseUnaryOp,
    cst.BaseAugOp,
    cst.ImportStar,
    cst.Asynchronous,
)


@pytest.mark.parametrize(
    ("name", "text"), list(sources())[:3], ids=lambda v: v if len(v) < 40 else ""
)
def test_walker_visits_what_libcst_visits_in_the_same_order(name, text):
    module = cst.parse_module(text)

    class Recorder(cst.CSTVisitor):
        def __init__(self):
            super().__init__()
            self.seen = []

        def on_visit(self, node):
            if not isinstance(node, TRIVIA):
                self.seen.append(node)
            return True

    recorder = Recorder()
    module.visit(recorder)
    context = RuleContext(module, text, name, NameResolver(ImportTable()))
    walk(module, [], context)
    visited = [node for node in recorder.seen[1:] if id(node) in context.statements.owner]
    assert len(visited) == len(recorder.seen) - 1  # everything but the Module itself
    order = list(context.statements.owner)
    assert [id(node) for node in visited] == order
