"""``POST /green-assist/refactor``: new source, diff and notes; never writes files."""

import json

import pytest
from tornado.httpclient import HTTPClientError

from green_assist.server.base import MAX_BODY_BYTES

TRAINING = """\
import torch

model = Net().cuda()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for x, y in loader:
    loss = criterion(model(x.cuda()), y.cuda())
    loss.backward()
    optimizer.step()
"""


async def post(jp_fetch, payload):
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    response = await jp_fetch("green-assist", "refactor", method="POST", body=body)
    return json.loads(response.body)


async def test_text_comes_back_refactored_with_a_diff_and_notes(jp_fetch, jp_root_dir):
    payload = await post(
        jp_fetch,
        {"refactor": "mixed-precision", "text": TRAINING, "path": "train.py", "options": {}},
    )
    assert payload["status"] == "changed"
    assert 'amp_dtype = autocast_dtype("cuda")' in payload["text"]
    assert 'with torch.autocast("cuda", dtype=amp_dtype, enabled=amp_dtype' in payload["text"]
    assert payload["diff"].startswith("--- train.py\n+++ train.py\n")
    assert any("autocast" in note for note in payload["notes"])
    assert list(jp_root_dir.iterdir()) == []  # nothing written in the server root


async def test_notebook_cells_return_only_changed_cells(jp_fetch):
    cells = [
        {"cell_type": "code", "id": "a", "source": "import torch\nmodel = Net().cuda()"},
        {"cell_type": "markdown", "id": "m", "source": "## train"},
        {
            "cell_type": "code",
            "id": "b",
            "source": "opt = torch.optim.Adam(model.parameters())\n"
            "for x, y in data:\n    loss = crit(model(x), y)\n    loss.backward()\n    opt.step()",
        },
    ]
    payload = await post(
        jp_fetch,
        {"refactor": "mixed-precision", "cells": cells, "options": {"dtype": "fp16"}, "cell": 2},
    )
    assert payload["status"] == "changed"
    (cell,) = payload["cells"]
    assert (cell["index"], cell["id"]) == (2, "b")
    assert (
        'scaler = torch.amp.GradScaler("cuda", enabled=amp_dtype == torch.float16)'
        in (cell["source"])
    )
    assert payload["diff"].startswith("--- <notebook>:cell 3\n")


async def test_refusals_and_syntax_errors_are_answers_not_failures(jp_fetch):
    refused = await post(jp_fetch, {"refactor": "distill", "text": "x = 1\n"})
    assert refused["status"] == "refused"
    assert "found no training step to distil" in refused["reason"]
    broken = await post(jp_fetch, {"refactor": "quantize", "cells": ["model.eval(", "x = 1"]})
    assert broken["status"] == "error"
    assert broken["errors"][0]["kind"] == "syntax"
    assert "cell 1" in broken["reason"]


async def test_listing_refactors_and_their_options(jp_fetch):
    response = await jp_fetch("green-assist", "refactor", method="GET")
    listing = json.loads(response.body)
    assert set(listing) == {
        "mixed-precision",
        "quantize",
        "distill",
        "pretrained",
        "efficient-attention",
        "grad-accumulation",
        "prune",
    }
    assert listing["efficient-attention"]["answers"] == ["GA116"]
    assert listing["grad-accumulation"]["options"]["steps"]["default"] == 4
    # The sidebar registers one command per refactor, titled as the language server titles it.
    assert listing["mixed-precision"]["title"] == "Convert to mixed precision"
    assert list(listing) == [info["name"] for info in listing.values()]
    assert listing["prune"]["options"]["amount"]["default"] == 0.3
    assert listing["mixed-precision"]["options"]["dtype"]["default"] == "auto"
    assert "GA105" in listing["pretrained"]["answers"]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"refactor": "faster", "text": "x"}, "`refactor` must be one of"),
        ({"refactor": "quantize", "text": "x", "options": {"bits": 4}}, "no option 'bits'"),
        ({"refactor": "quantize", "text": "x", "options": ["backend"]}, "`options` must be"),
        ({"refactor": "quantize"}, "Send `cells`"),
        ({"refactor": "quantize", "text": "x", "cell": 1}, "`cell` applies to `cells`"),
    ],
)
async def test_bad_requests_get_400_with_a_reason(jp_fetch, payload, message):
    with pytest.raises(HTTPClientError) as excinfo:
        await post(jp_fetch, payload)
    assert excinfo.value.code == 400
    assert message in excinfo.value.response.body.decode()


async def test_oversized_requests_get_413(jp_fetch):
    with pytest.raises(HTTPClientError) as excinfo:
        await post(jp_fetch, {"refactor": "quantize", "text": "x = 1\n" * (MAX_BODY_BYTES // 6)})
    assert excinfo.value.code == 413
    # Under the body limit but over the source limit of the analyzer (2 MB).
    with pytest.raises(HTTPClientError) as excinfo:
        await post(jp_fetch, {"refactor": "quantize", "text": "x = 1\n" * 400_000})
    assert excinfo.value.code == 413


async def test_notes_say_what_the_change_does_on_the_kernels_hardware(jp_fetch):
    """The sidebar sends the kernel's hardware; the preview's notes speak of it."""
    request = {"refactor": "mixed-precision", "text": TRAINING, "path": "train.py"}
    avx2 = {"cpu_model": "AMD EPYC 7B13", "cpu_fast_bf16": None, "gpus": []}
    payload = await post(jp_fetch, {**request, "hardware": avx2})
    note = payload["notes"][-1]
    assert "AMD EPYC 7B13" in note and "autocast stays off" in note
    assert "no saving expected here, and no slowdown" in note
    a100 = {"gpus": [{"name": "NVIDIA A100-SXM4-40GB", "compute_capability": "8.0"}]}
    payload = await post(jp_fetch, {**request, "hardware": a100})
    assert "picks bfloat16" in payload["notes"][-1]
    with pytest.raises(HTTPClientError) as err:
        await post(jp_fetch, {**request, "hardware": {"gpus": "A100"}})
    assert err.value.code == 400


async def test_preview_says_what_saving_to_expect_on_this_hardware(jp_fetch):
    request = {"refactor": "mixed-precision", "text": TRAINING, "path": "train.py"}
    avx2 = {"cpu_model": "AMD EPYC 7B13", "cpu_fast_bf16": None, "gpus": []}
    expected = (await post(jp_fetch, {**request, "hardware": avx2}))["expected"]
    assert expected["kind"] == "estimate" and expected["saving_pct"] == [0.0, 0.0]
    assert expected["summary"].startswith("No saving expected on the kernel's machine")
    a100 = {"gpus": [{"name": "NVIDIA A100-SXM4-40GB", "compute_capability": "8.0"}]}
    # 1.95e12 FLOPs in 1 s: 10% of the time at A100's 19.5 TFLOP/s FP32 peak (20% at half
    # of peak); bf16's 312 TFLOP/s is 16x: 10% x (1 - 1/16) = 9.4% .. 18.8% saved.
    profile = {"duration_s": 1.0, "flops": 1.95e12, "energy_j": 250.0}
    expected = (await post(jp_fetch, {**request, "hardware": a100, "profile": profile}))["expected"]
    assert expected["saving_pct"] == [9.4, 18.8]
    assert "A100" in expected["basis"][0] and "16x" in expected["basis"][0]
    with pytest.raises(HTTPClientError) as err:
        await post(jp_fetch, {**request, "profile": {"flops": "many"}})
    assert err.value.code == 400
