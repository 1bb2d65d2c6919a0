"""Every malformed field of a request gets a 400 with a reason, never a 500 or a 200."""

from __future__ import annotations

import json

import pytest
from tornado.httpclient import HTTPClientError

NESTED = '{"text": "x = 1", "select": ' + "[" * 50_000 + "]" * 50_000 + "}"
LONG_PATH = "a/" * 3000 + "train.py"
LONG_NAME = "n" * 300 + ".py"


async def refused(jp_fetch, route, body):
    raw = body if isinstance(body, str) else json.dumps(body)
    with pytest.raises(HTTPClientError) as excinfo:
        await jp_fetch("green-assist", route, method="POST", body=raw)
    return excinfo.value.code, json.loads(excinfo.value.response.body)["message"]


@pytest.mark.parametrize(
    ("route", "body", "says"),
    [
        ("analyze", NESTED, "nested too deeply"),
        ("refactor", NESTED, "nested too deeply"),
        ("report", NESTED, "nested too deeply"),
        ("analyze", '{"text": "x = \\ud800"}', "lone surrogate"),
        ("analyze", '{"cells": ["x = \\udfff"]}', "lone surrogate"),
        ("analyze", '{"cells": [{"source": ["a", "\\ud801"]}]}', "lone surrogate"),
        ("refactor", '{"refactor": "quantize", "text": "\\ud800"}', "lone surrogate"),
        ("analyze", {"text": "x = 1", "path": "a\x00.py"}, "NUL"),
        ("analyze", {"text": "x = 1", "path": LONG_PATH}, "characters long"),
        ("analyze", {"text": "x = 1", "path": LONG_NAME}, "a name over 255 bytes"),
        ("analyze", {"text": "x = 1", "path": 5}, "`path`"),
        ("analyze", {"text": 5}, "`text` must be text"),
        ("analyze", {"cells": [{"source": 5}]}, "cell 0 has a `source` that is neither"),
        ("analyze", {"cells": [{}]}, "cell 0 has no `source`"),
        ("analyze", {"cells": ["x = 1", 7]}, "cell 1 is neither text nor a cell object"),
        ("analyze", {"cells": [{"source": "x", "id": 3}]}, "`id` that is not text"),
        ("analyze", {"cells": {"source": "x"}}, "`cells` must be a list"),
        ("analyze", {"text": "x", "select": "GA101"}, "`select` must be a list"),
        ("analyze", {"text": "x", "ignore": [["GA101"]]}, "`ignore` must be a list"),
        ("refactor", {"refactor": ["quantize"], "text": "x = 1"}, "`refactor` must be one of"),
        ("refactor", {"refactor": {"a": 1}, "text": "x = 1"}, "`refactor` must be one of"),
        ("refactor", {"refactor": "quantize", "cells": [{"source": 5}]}, "cell 0"),
        ("refactor", {"refactor": "quantize", "text": "x", "options": {"dtype": [1]}}, "`dtype`"),
        ("refactor", {"refactor": "quantize", "text": "x", "path": "\x00"}, "NUL"),
        ("refactor", {"refactor": "quantize", "cells": ["x"], "cell": -1}, "`cell`"),
        ("report", {"sessions": ["a\x00.jsonl"], "output": "r.html"}, "NUL"),
        ("report", {"sessions": [LONG_NAME + "l"], "output": "r.html"}, "over 255 bytes"),
        ("report", {"sessions": ["s.jsonl"], "output": LONG_PATH + ".html"}, "characters long"),
        ("report", {"sessions": ["s.jsonl"], "output": "r.html", "format": ["md"]}, "`format`"),
        ("report", {"sessions": [5], "output": "r.html"}, "`sessions`"),
    ],
)
async def test_malformed_fields_are_400_with_a_reason(jp_fetch, route, body, says):
    code, message = await refused(jp_fetch, route, body)
    assert code == 400, message
    assert says in message


async def test_a_notebook_cell_may_carry_outputs_and_metadata(jp_fetch):
    cells = [
        {
            "cell_type": "code",
            "id": "c1",
            "source": ["import torch\n", "s = torch.cuda.amp.GradScaler()\n"],
            "metadata": {"tags": [[["deep"]]]},
            "outputs": [{"output_type": "stream", "text": ["x"]}],
        }
    ]
    response = await jp_fetch(
        "green-assist", "analyze", method="POST", body=json.dumps({"cells": cells})
    )
    (finding,) = json.loads(response.body)["findings"]
    assert (finding["code"], finding["cell_id"]) == ("GA103", "c1")
