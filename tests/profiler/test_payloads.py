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
