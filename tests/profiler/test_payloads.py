"""The comm messages a real kernel sends match the payload schema the front end is
generated from (green_assist/protocol/payloads.schema.json)."""

from __future__ import annotations

import pytest

from ..payload_schema import assert_matches

pytestmark = pytest.mark.slow


def test_hello_live_record_and_state_messages_match(profiled):
    opened = profiled.run_ok("%green_assist_connect").of_type("comm_open")
    hello = opened[0]["content"]["data"]
    assert_matches("HelloMessage", hello)
    assert_matches("SessionState", hello["profiler"])
    result = profiled.run("%%greenprofile --label slow\nimport time\ntime.sleep(1.2)\n1 / 0")
    # The record is delivered from the background thread after its fsync: it may follow
    # the idle status.
    profiled.session.wait_for(
        result, lambda run: any(m["type"] == "profile_record" for m in run.comm_data())
    )
    messages = result.comm_data()
    live = [m for m in messages if m["type"] == "profile_live"]
    assert live and messages[-1]["type"] == "profile_record"
    for message in live:
        assert_matches("LiveMessage", message)
    assert messages[-1]["record"]["status"] == "error"
    assert_matches("RecordMessage", messages[-1])
    comm_id = opened[0]["content"]["comm_id"]
    replies = profiled.session.comm_send(comm_id, {"type": "profile_request_state"})
    assert_matches("StateMessage", replies[-1])
    assert replies[-1]["totals"]["cells"] == 1


def test_hardware_fix_messages_and_the_linked_record_match(profiled, monkeypatch):
    """The sidebar's side of the verdict loop: hello.hardware (sent back with analyses),
    the cell positions and fix messages it sends, and the linked record it shows."""
    from .test_verdict import BURN, run_as_cell

    opened = profiled.run_ok("%green_assist_connect").of_type("comm_open")
    hello = opened[0]["content"]["data"]
    assert_matches("Hardware", hello["hardware"])
    comm_id = opened[0]["content"]["comm_id"]
    positions = {"type": "profile_cell_positions", "positions": {"intro": 0, "train": 5}}
    assert_matches("CellPositionsMessage", positions)
    profiled.session.comm_send(comm_id, positions, timeout=5)
    profiled.run_ok("%greenprofile on")
    run_as_cell(profiled, monkeypatch, "train", BURN.format(seconds=0.3))
    for message in (
        {"type": "profile_fix_applied", "cell_id": "train", "refactor": "prune", "title": "Prune"},
        {"type": "profile_fix_undone", "cell_id": "train"},
        {"type": "profile_fix_applied", "cell_id": "train", "refactor": "mixed-precision",
         "title": "Convert to mixed precision"},
    ):  # fmt: skip
        assert_matches(
            "FixAppliedMessage" if message["type"].endswith("applied") else "FixUndoneMessage",
            message,
        )
        profiled.session.comm_send(comm_id, message, timeout=5)
    result = run_as_cell(profiled, monkeypatch, "train", BURN.format(seconds=0.3) + "\n1")
    profiled.session.wait_for(
        result, lambda run: any(m["type"] == "profile_record" for m in run.comm_data())
    )
    message = [m for m in result.comm_data() if m["type"] == "profile_record"][-1]
    assert_matches("RecordMessage", message)
    previous = message["record"]["previous_run"]
    title = "Convert to mixed precision"
    assert previous["refactor"] == {"name": "mixed-precision", "title": title}
    assert previous["source_changed"] is True
    assert message["record"]["change"]["basis"] == "energy"
    assert message["record"]["cell_index"] == 5
