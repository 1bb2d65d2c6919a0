"""Piecewise parsing: the joined module is the file, and edits reuse unchanged pieces."""

import importlib.util
from pathlib import Path

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from libcst.metadata import MetadataWrapper, PositionProvider

from green_assist.analysis import analyze_source
from green_assist.analysis.chunks import _cache, parse_chunked, split_pieces
from green_assist.analysis.context import RuleContext
from green_assist.analysis.names import ImportTable, NameResolver
from green_assist.analysis.positions import PositionIndex
from green_assist.analysis.walker import walk

from .test_positions import TRICKY

ROOT = Path(__file__).parent.parent.parent


def texts():
    yield "tricky", TRICKY
    yield "bench", (ROOT / "bench" / "data" / "train_500.py").read_text()
    for path in sorted((ROOT / "tests" / "fixtures").glob("GA*/*.py")):
        yield path.name, path.read_text()
    spec = importlib.util.find_spec("torch")
    if spec is not None and spec.origin:  # real-world code when torch's sources are at hand
        torch_dir = Path(spec.origin).parent
        for path in sorted((torch_dir / "optim").glob("*.py"))[:20]:
            yield f"torch/optim/{path.name}", path.read_text()


@pytest.mark.parametrize(("name", "text"), list(texts()), ids=lambda v: v if len(v) < 50 else "")
def test_joined_pieces_are_the_file_and_positions_hold(name, text):
    chunked = parse_chunked(text)
    assert chunked is not None
    assert chunked.module.code == text
    module = chunked.module
    context = RuleContext(module, text, name, NameResolver(ImportTable()))
    walk(module, [], context)
    index = PositionIndex(module, text, context.statements, chunked.anchors)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    for node in list(expected)[::7]:
        if id(node) in context.statements.owner:
            want = expected[node]
            assert index.range_of(node) == (
                want.start.line,
                want.start.column + 1,
                want.end.line,
                want.end.column + 1,
            )
    assert not index.used_whole_module


def test_suppressions_come_from_the_pieces():
    text = (
        "import torch\n\nx = torch.zeros(3).double()  # green: ignore[GA109]\n"
        "\n\ny = 1  # green: ignore\n"
    )
    chunked = parse_chunked(text)
    assert chunked is not None
    assert chunked.suppressions() == {3: frozenset({"GA109"}), 6: frozenset({"*"})}


def test_a_deeply_nested_piece_is_never_parsed_by_libcst():
    deep = "x = " + "(" * 400 + "1" + ")" * 400 + "\n"
    assert parse_chunked("y = 1\n" + deep) is None  # the whole-text path reports it
    result = analyze_source("y = 1\n" + deep)
    assert [e.kind.value for e in result.errors] == ["syntax"]


def test_pieces_start_at_top_level_statements():
    text = (
        "import os\n\n\n# about f\n@decorator\ndef f():\n    pass\n    # indented\n"
        "if x:\n    y = '''\ndef not_a_statement():\n'''\nelse:\n    z = (1,\n2)\n"
    )
    pieces = split_pieces(text)
    assert "".join(piece for _, piece in pieces) == text
    assert [first for first, _ in pieces] == [1, 2, 9]
    assert pieces[1][1].startswith("\n\n# about f\n@decorator\ndef f():")


def test_an_edit_reparses_only_the_edited_piece():
    text = (ROOT / "bench" / "data" / "train_500.py").read_text()
    analyze_source(text)
    cached = {key: chunk for key, chunk in _cache.items()}
    edited = text.replace(
        "    def update(self, value: float, n: int = 1) -> None:\n",
        "    def update(self, value: float, n: int = 2) -> None:\n",
    )
    assert edited != text
    result = analyze_source(edited)
    new_keys = [key for key in _cache if key not in cached]
    assert len(new_keys) == 1 and "n: int = 2" in new_keys[0]
    assert [f.code for f in result.findings] == [f.code for f in analyze_source(text).findings]


def test_carriage_returns_fall_back_to_one_parse():
    assert parse_chunked("x = 1\r\ny = 2\r\n") is None
    result = analyze_source("import torch\r\ns = torch.cuda.amp.GradScaler()\r\n")
    assert [(f.code, f.line) for f in result.findings] == [("GA103", 2)]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
@given(hypothesmith.from_grammar())
def test_joined_pieces_equal_the_source_on_generated_code(source):
    chunked = parse_chunked(source)
    if chunked is not None:
        full = cst.parse_module(source)
        # libcst itself drops a line of some odd whitespace-only endings: compare with it.
        assert chunked.module.code == full.code
        assert _statements(chunked.module) == _statements(full)


def _statements(module):
    """Each top-level statement's code without its leading blank and comment lines."""
    return [module.code_for_node(s.with_changes(leading_lines=())) for s in module.body]


def test_pieces_indented_differently_fall_back_or_round_trip():
    text = "def a():\n  return 1\n\n\ndef b():\n    return torch.cuda.amp.GradScaler()\n"
    chunked = parse_chunked(text)
    assert chunked is None or chunked.module.code == text
    result = analyze_source("import torch\n" + text)
    assert [(f.code, f.line, f.column) for f in result.findings] == [("GA103", 7, 12)]


def test_a_repeated_piece_gets_nodes_of_its_own():
    # A notebook often repeats a line in a later cell; the rules key what they know by
    # node identity, so the two copies must be distinct objects with their own positions.
    loader = "train_loader = DataLoader(dataset=train_set, batch_size=32, shuffle=True)\n"
    text = (
        "import torch\nfrom torch.utils.data import DataLoader\n"
        'device = torch.device("cuda")\n'
        + loader
        + "for x in train_loader:\n    model(x.to(device))\n"
        + loader
    )
    chunked = parse_chunked(text)
    assert chunked is not None
    first, second = (
        s for s in chunked.module.body if "train_loader =" in chunked.module.code_for_node(s)
    )
    assert first is not second
    lines = sorted(f.line for f in analyze_source(text).findings if f.code == "GA107")
    assert lines == [4, 7]
