"""``POST /green-assist/analyze``: the sidebar's view of the analyzer."""

import json

import pytest
from tornado.httpclient import HTTPClientError

from green_assist.analysis import get_rule
from green_assist.catalog import rule_info
from green_assist.cli import main
from green_assist.server.base import MAX_BODY_BYTES


async def post(jp_fetch, payload, **kwargs):
    body = payload if isinstance(payload, bytes) else json.dumps(payload)
    response = await jp_fetch("green-assist", "analyze", method="POST", body=body, **kwargs)
    return json.loads(response.body)


async def test_notebook_cells_give_findings_per_cell(jp_fetch):
    cells = [
        {"cell_type": "code", "id": "c0", "source": "%matplotlib inline\nimport torch\n"},
        {"cell_type": "markdown", "id": "m1", "source": "# notes"},
        {"cell_type": "code", "id": "c2", "source": "!ls\ns = torch.cuda.amp.GradScaler()"},
    ]
    payload = await post(jp_fetch, {"path": "nb.ipynb", "cells": cells})
    (finding,) = payload["findings"]
    assert (finding["code"], finding["cell"], finding["cell_id"]) == ("GA103", 2, "c2")
    assert (finding["line"], finding["column"]) == (2, 5)
    assert payload["rules"]["GA103"]["name"] == "deprecated-amp-api"
    assert payload["errors"] == []


async def test_rules_carry_the_rationale_and_the_refactor_that_fixes_them(jp_fetch):
    # What the sidebar's "Why?" shows and which refactor its "Fix" previews.
    text = "import torch\ns = torch.cuda.amp.GradScaler()\n"
    payload = await post(jp_fetch, {"path": "train.py", "text": text})
    rule = payload["rules"]["GA103"]
    assert "torch.amp" in rule["doc"]["fix"]
    assert rule["doc"]["why"] and rule["doc"]["sources"]
    assert rule["refactor"] == "mixed-precision"
    assert "GradScaler" in rule["doc"]["example"]  # the "Why?" panel's example


def test_the_cli_and_the_server_describe_a_rule_alike(capsys):
    assert main(["rule", "GA103", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == rule_info(get_rule("GA103"))


async def test_file_text_and_select(jp_fetch):
    text = (
        "import torch\nfrom torch.utils.data import DataLoader\nDataLoader(ds)\n"
        "s = torch.cuda.amp.GradScaler()\n"
    )
    payload = await post(jp_fetch, {"path": "train.py", "text": text, "select": ["GA103"]})
    assert [f["code"] for f in payload["findings"]] == ["GA103"]


async def test_syntax_errors_come_back_as_errors(jp_fetch):
    payload = await post(jp_fetch, {"cells": ["import torch\n", "def f(:\n"]})
    (error,) = payload["errors"]
    assert (error["kind"], error["cell"]) == ("syntax", 1)


async def test_bad_requests_are_refused_with_a_reason(jp_fetch):
    with pytest.raises(HTTPClientError) as excinfo:
        await post(jp_fetch, {"path": "x.py"})
    assert excinfo.value.code == 400
    with pytest.raises(HTTPClientError) as excinfo:
        await post(jp_fetch, {"text": "x = 1", "select": ["GA999"]})
    assert excinfo.value.code == 400


async def test_oversized_body_gets_413(jp_fetch):
    text = "x = 1\n" * (MAX_BODY_BYTES // 6 + 10)
    with pytest.raises(HTTPClientError) as excinfo:
        await post(jp_fetch, {"text": text})
    assert excinfo.value.code == 413


async def test_requires_authentication(jp_fetch):
    with pytest.raises(HTTPClientError) as excinfo:
        await post(jp_fetch, {"text": "x = 1"}, headers={"Authorization": ""})
    assert excinfo.value.code == 403


QUICKSTART_CELLS = [
    {
        "cell_type": "code",
        "id": "setup",
        "source": "import torch\nfrom torch import nn\n"
        'device = "cuda" if torch.cuda.is_available() else "cpu"\n'
        "loader = torch.utils.data.DataLoader(dataset, batch_size=64, shuffle=True)\n"
        "model = nn.Linear(784, 10).to(device)\n"
        "optimizer = torch.optim.SGD(model.parameters(), lr=0.05)",
    },
    {
        "cell_type": "code",
        "id": "train",
        "source": "for x, y in loader:\n    x, y = x.to(device), y.to(device)\n"
        "    loss = loss_fn(model(x), y)\n    loss.backward()\n    optimizer.step()",
    },
]


@pytest.mark.parametrize(
    ("hardware", "codes"),
    [
        # The kernel's machine: an AVX2-only CPU. bf16 autocast and pinned memory would
        # not help there: no GA101, and GA107 only asks for loader workers.
        ({"cpu_model": "AMD EPYC 7B13", "cpu_fast_bf16": None, "gpus": []}, ["GA107"]),
        # A CPU with AMX: mixed precision can pay off, and the message says why.
        (
            {"cpu_model": "Xeon Platinum 8480+", "cpu_fast_bf16": "amx_bf16", "gpus": []},
            ["GA107", "GA101"],
        ),
        # A GPU kernel: all the accelerator advice.
        (
            {"gpus": [{"name": "NVIDIA A100", "compute_capability": "8.0"}]},
            ["GA107", "GA101"],
        ),
    ],
)
async def test_findings_fit_the_kernels_hardware(jp_fetch, hardware, codes):
    payload = await post(
        jp_fetch, {"path": "nb.ipynb", "cells": QUICKSTART_CELLS, "hardware": hardware}
    )
    assert [f["code"] for f in payload["findings"]] == codes
    assert payload["target"]["known"] is True
    messages = {f["code"]: f["message"] for f in payload["findings"]}
    if hardware.get("cpu_fast_bf16") == "amx_bf16":
        assert "AMX" in messages["GA101"]
    assert ("pin_memory" in messages["GA107"]) == bool(hardware.get("gpus"))
    without = await post(jp_fetch, {"path": "nb.ipynb", "cells": QUICKSTART_CELLS})
    assert [f["code"] for f in without["findings"]] == ["GA107", "GA101"]  # target any


async def test_bad_hardware_is_a_400(jp_fetch):
    with pytest.raises(HTTPClientError) as err:
        await post(jp_fetch, {"cells": QUICKSTART_CELLS, "hardware": {"gpus": [{"name": 3}]}})
    assert err.value.code == 400
