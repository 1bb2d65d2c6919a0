"""Tab indentation that Python accepts and libcst's tokenizer rejects."""

import libcst as cst
import pytest

from green_assist.analysis import analyze_source

# One block indented with a tab and seven spaces (15 columns, as Python reads a tab),
# its neighbour with twelve spaces: valid Python, refused by libcst.
MIXED = (
    "import torch\n"
    "\n"
    "def make_optimizer(kind, params):\n"
    '    if kind == "sgd":\n'
    "\t       return torch.optim.SGD(params, lr=0.1)\n"
    '    elif kind == "adam":\n'
    "            return torch.optim.Adam(params)\n"
    "\n"
    'device = torch.device("cuda")\n'
    "for epoch in range(10):\n"
    "\tfor x, y in loader:\n"
    "\t\tloss = criterion(model(x.to(device)), y.to(device))\n"
    "\t\tloss.backward()\n"
    "\t\toptimizer.step()\n"
    "\t\tnoise = torch.randn(8, 4).to(device)\n"
)


def test_libcst_alone_refuses_the_mixed_file():
    compile(MIXED, "mixed.py", "exec")  # Python accepts it
    with pytest.raises(cst.ParserSyntaxError):
        cst.parse_module(MIXED)


def test_a_mixed_tab_file_is_analysed_with_columns_of_the_original():
    result = analyze_source(MIXED, "mixed.py")
    assert not result.errors
    found = {f.code: f for f in result.findings}
    assert {"GA101", "GA112"} <= set(found)
    lines = MIXED.splitlines()
    backward = found["GA101"]
    assert backward.line == 13
    # The column points into the original line (two tabs), not the expanded copy.
    assert lines[12][backward.column - 1 :].startswith("loss.backward()")
    moved = found["GA112"]
    assert lines[moved.line - 1][moved.column - 1 :].startswith("torch.randn(8, 4).to(device)")
    # Edits computed on the expanded copy would not fit the original text: none offered.
    assert moved.fix is not None and not moved.fix.edits
