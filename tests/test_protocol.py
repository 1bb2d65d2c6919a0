"""The payload schema: the TypeScript side is generated from it, and Python's REST payloads
match it (the comm messages are checked in a real kernel, tests/profiler/test_payloads.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from green_assist.analysis import Config, get_rule
from green_assist.catalog import all_refactor_info, rule_info
from green_assist.methods import ORDER
from green_assist.protocol import payload_schema
from green_assist.protocol.typescript import render, render_settings
from green_assist.refactor import refactor_text
from green_assist.server import jobs

from .payload_schema import assert_matches

ROOT = Path(__file__).parent.parent
PAYLOADS_TS = ROOT / "labextension" / "src" / "generated" / "payloads.ts"
SETTINGS_TS = ROOT / "labextension" / "src" / "generated" / "settings.ts"
TRAIN = """\
import torch
from torch import nn

model = nn.Linear(8, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
scaler = torch.cuda.amp.GradScaler()
for x, y in [(torch.randn(4, 8), torch.randint(0, 2, (4,)))] * 3:
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
"""


def test_the_typescript_declarations_are_generated_from_the_schemas():
    settings_schema = json.loads((ROOT / "schema" / "plugin.json").read_text(encoding="utf-8"))
    for generated, text in (
        (PAYLOADS_TS, render()),
        (SETTINGS_TS, render_settings(settings_schema)),
    ):
        assert generated.read_text(encoding="utf-8") == text, (
            f"{generated.relative_to(ROOT)} is stale: run "
            "`python -m green_assist.protocol --write` from the repository root"
        )


def test_the_schema_is_valid_and_speaks_the_one_method_vocabulary():
    schema = payload_schema()
    Draft202012Validator.check_schema(schema)
    assert tuple(schema["$defs"]["Method"]["enum"]) == ORDER


def test_analysis_payloads_match():
    payload = {**jobs.analysis(None, TRAIN, "train.py", Config()), "excluded": False}
    assert payload["findings"] and payload["rules"]
    assert_matches("Analysis", payload)
    cells = [{"cell_type": "code", "source": "%time x = 1\n" + TRAIN, "id": "a"}, "broken("]
    notebook = {**jobs.analysis(cells, None, "nb.ipynb", Config()), "excluded": False}
    assert notebook["errors"]
    assert_matches("Analysis", notebook)


@pytest.mark.parametrize("code", ["GA101", "GA103", "GA113"])
def test_rule_descriptions_match(code):
    assert_matches("RuleInfo", rule_info(get_rule(code)))


def test_refactor_payloads_match():
    assert_matches("RefactorList", {info["name"]: info for info in all_refactor_info()})
    changed = refactor_text("mixed-precision", TRAIN, "train.py").to_dict()
    assert changed["status"] == "changed"
    assert_matches("RefactorResponse", changed)
    refused = refactor_text("distill", "x = 1\n", "x.py").to_dict()
    assert refused["status"] == "refused"
    assert_matches("RefactorResponse", refused)


def test_a_payload_that_drifted_is_caught():
    payload = rule_info(get_rule("GA101"))
    del payload["doc"]["example"]
    payload["extra"] = 1
    with pytest.raises(AssertionError, match="example.*required|required.*example"):
        assert_matches("RuleInfo", payload)


def test_report_response_matches(tmp_path):
    log = tmp_path / "session.jsonl"
    log.write_bytes((Path(__file__).parent / "report" / "data" / "before.jsonl").read_bytes())
    payload = jobs.report([log], tmp_path / "report.html", "html", None, tmp_path)
    assert payload["path"] == "report.html"
    assert_matches("ReportResponse", payload)


async def test_requests_as_the_sidebar_sends_them_are_accepted(jp_fetch):
    """Analyze and refactor requests shaped by the schema (the kernel's own hardware
    description, a profile with unknown parts) are accepted; the answers match too."""
    import json

    from green_assist.profiler.hardware import describe_hardware

    hardware = describe_hardware()
    assert_matches("Hardware", hardware)
    cells = [{"cell_type": "code", "source": TRAIN, "id": "train"}]
    analyze = {"path": "nb.ipynb", "cells": cells, "select": [], "ignore": [], "hardware": hardware}
    assert_matches("AnalyzeRequest", analyze)
    response = await jp_fetch("green-assist", "analyze", method="POST", body=json.dumps(analyze))
    analysis = json.loads(response.body)
    assert_matches("Analysis", analysis)
    assert analysis["target"]["known"] is True
    assert hardware["cpu_model"] in analysis["target"]["description"]
    refactor = {
        "refactor": "mixed-precision",
        "path": "nb.ipynb",
        "cells": cells,
        "cell": 0,
        "options": {},
        "hardware": hardware,
        "profile": {"duration_s": 10.6, "energy_j": None, "flops": None},
    }
    assert_matches("RefactorRequest", refactor)
    response = await jp_fetch("green-assist", "refactor", method="POST", body=json.dumps(refactor))
    changed = json.loads(response.body)
    assert changed["status"] == "changed" and changed["expected"]["kind"] == "estimate"
    assert_matches("RefactorResponse", changed)
