"""Positions in the client's encoding, line-diff edits, and where an ignore comment can go."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from green_assist.analysis.lines import split_lines
from green_assist.lsp.actions import _line_with_ignore
from green_assist.lsp.convert import diff_edits, from_client_position, to_client_position

from .helpers import apply_text_edits

UTF16 = PositionCodec(types.PositionEncodingKind.Utf16)
UTF8 = PositionCodec(types.PositionEncodingKind.Utf8)

# Lines with astral characters (two UTF-16 units), accents, and every line ending.
BODY = st.text(alphabet=st.sampled_from(["a", " ", "é", "😀", "("]), max_size=8)
ENDING = st.sampled_from(["\n", "\r\n", "\r", ""])


def _join(pairs: list[tuple[str, str]]) -> str:
    """Lines joined; only the last one may lack a line ending."""
    last = len(pairs) - 1
    return "".join(
        body + (ending if i == last else ending or "\n") for i, (body, ending) in enumerate(pairs)
    )


TEXT = st.lists(st.tuples(BODY, ENDING), max_size=8).map(_join)


@given(TEXT, TEXT)
def test_diff_edits_turn_the_old_text_into_the_new(old: str, new: str) -> None:
    assert apply_text_edits(old, diff_edits(old, new, UTF16)) == new


def test_diff_edits_touch_only_changed_lines() -> None:
    old = "a = 1\nb = 2\nc = 3\n"
    (edit,) = diff_edits(old, "a = 1\nb = 20\nc = 3\n", UTF16)
    assert edit.range == types.Range(types.Position(1, 0), types.Position(2, 0))
    assert edit.new_text == "b = 20\n"


def test_positions_count_utf16_or_utf8_units_as_the_client_chose() -> None:
    prefix = 's = "😀é"; '
    lines = split_lines(prefix + "x.backward()\n")
    column = len(prefix) + 1  # 1-based, in code points
    assert to_client_position(lines, 1, column, UTF16).character == len(prefix) + 1  # 😀: 2 units
    assert to_client_position(lines, 1, column, UTF8).character == len(prefix.encode())
    for codec in (UTF16, UTF8):
        position = to_client_position(lines, 1, column, codec)
        assert from_client_position(lines, position, codec) == (1, column)


def test_ignore_comment_goes_after_code_not_into_a_string() -> None:
    text = 'x = f(\n    """\n    loss.backward()\n    """)\ny = model.double()\n'
    assert _line_with_ignore(text, 3, "GA101") is None  # inside the string
    assert _line_with_ignore(text, 5, "GA109") == "y = model.double()  # green: ignore[GA109]"
    listed = "y = model.double()  # green: ignore[GA101]\n"
    assert _line_with_ignore(listed, 1, "GA109") == (
        "y = model.double()  # green: ignore[GA101, GA109]"
    )
