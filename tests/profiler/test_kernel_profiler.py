"""``%%greenprofile`` and automatic mode in a real kernel: IPython semantics, one record per
cell, the live comm stream, the widget readout, and a log that survives a killed kernel."""

from __future__ import annotations

import json
import os
import signal
import time

import pytest

from green_assist.profiler.session_log import read_log

from .conftest import final_outputs, shown_text

pytestmark = pytest.mark.slow


def test_exception_is_raised_once_and_recorded_as_error(profiled):
    result = profiled.run("%%greenprofile --label boom\nx = 1\nraise ValueError('boom')")
    assert result.status == "error"
    assert result.reply["content"]["ename"] == "ValueError"
    errors = result.of_type("error")
    assert len(errors) == 1
    assert errors[0]["content"]["evalue"] == "boom"
    record = profiled.last_record()
    assert record.status == "error" and record.label == "boom"
    assert record.error == {"ename": "ValueError", "evalue": "boom"}
    assert "error (ValueError)" in shown_text(result)
    # The kernel carries on, and the next profiled cell is ok.
    profiled.run_ok("%%greenprofile\ny = x + 1")
    assert profiled.last_record().status == "ok"


def test_body_runs_like_a_cell_last_expression_and_await(profiled):
    result = profiled.run_ok(
        "%%greenprofile\nimport asyncio\nawait asyncio.sleep(0.01)\nvalue = 41\n"
        "!echo shell-works\nvalue + 1"
    )
    results = result.of_type("execute_result")
    assert [r["content"]["data"]["text/plain"] for r in results] == ["42"]
    assert "shell-works" in result.stdout
    count = results[0]["content"]["execution_count"]
    check = profiled.run_ok(f"print(Out[{count}], value)")
    assert check.stdout.strip() == "42 41"
    record = profiled.last_record()
    assert record.execution_count == count
    assert record.source.startswith("%%greenprofile\nimport asyncio")


def test_auto_mode_and_magic_record_each_cell_once(profiled):
    profiled.run_ok("%greenprofile on")
    profiled.run_ok("a = sum(range(1000))")
    profiled.run_ok("%%greenprofile --label both\nb = a * 2")
    profiled.run_ok("c = b + 1")
    profiled.run_ok("%greenprofile off")
    profiled.run_ok("d = 4")  # not measured
    records = profiled.records()
    counts = [r.execution_count for r in records]
    assert len(counts) == len(set(counts)), counts
    by_source = {r.source: r for r in records}
    assert by_source["a = sum(range(1000))"].mode == "auto"
    assert by_source["%%greenprofile --label both\nb = a * 2"].mode == "magic"
    assert by_source["%%greenprofile --label both\nb = a * 2"].label == "both"
    assert "c = b + 1" in by_source and "d = 4" not in by_source
    assert "%greenprofile off" in by_source  # the cell that turned it off was still measured


def test_auto_mode_records_errors_and_totals(profiled):
    profiled.run_ok("%greenprofile on")
    failed = profiled.run("1 / 0")
    assert failed.status == "error" and len(failed.of_type("error")) == 1
    status = profiled.run_ok("%greenprofile status")
    assert "1 with errors" in status.stdout and "automatic profiling on" in status.stdout
    record = next(r for r in profiled.records() if r.source == "1 / 0")
    assert record.status == "error" and record.error["ename"] == "ZeroDivisionError"


def test_cell_id_from_the_front_end_is_recorded(profiled, monkeypatch):
    session = profiled.session.kc.session
    original = session.msg

    def with_cell_id(msg_type, content=None, parent=None, header=None, metadata=None):
        if msg_type == "execute_request":
            metadata = {**(metadata or {}), "cellId": "cell-7f3a"}
        return original(msg_type, content, parent, header, metadata)

    monkeypatch.setattr(session, "msg", with_cell_id)
    profiled.run_ok("%%greenprofile\nz = 3")
    assert profiled.last_record().cell_id == "cell-7f3a"


def connect(profiled) -> str:
    opened = profiled.run_ok("%green_assist_connect").of_type("comm_open")
    return opened[0]["content"]["comm_id"]


def test_comm_streams_live_energy_then_the_record(profiled):
    connect(profiled)
    result = profiled.run_ok("%%greenprofile\nimport time\ntime.sleep(2)")
    # The record follows its fsync on the profiler's background thread, which may come
    # after the cell's idle status.
    profiled.session.wait_for(
        result, lambda run: any(m["type"] == "profile_record" for m in run.comm_data())
    )
    messages = result.comm_data()
    live = [m for m in messages if m["type"] == "profile_live"]
    assert len(live) >= 4, [m["type"] for m in messages]
    assert [m["seq"] for m in live] == list(range(len(live)))
    elapsed = [m["elapsed_s"] for m in live]
    assert elapsed == sorted(elapsed) and elapsed[-1] >= 1.4
    energy = [m["energy_j"] for m in live]
    assert energy == sorted(energy)  # cumulative: a late message loses nothing
    assert all(fig["method"] for m in live for fig in m["energy"].values())
    assert live[-1]["execution_count"] == result.reply["content"]["execution_count"]
    assert messages[-1]["type"] == "profile_record"
    record = messages[-1]["record"]
    assert "source" not in record
    assert record["duration_s"] >= 2.0 and record["energy_j"] >= energy[-1]
    assert messages[-1]["totals"]["cells"] == 1
    # With the sidebar connected there is no widget readout: one static result.
    assert not any("application/vnd.jupyter.widget-view+json" in b for b in final_outputs(result))


def test_reconnecting_front_end_gets_the_session_back(profiled):
    profiled.run_ok("%greenprofile on --flops")
    profiled.run_ok("%%greenprofile --label first\nx = 1")
    opened = profiled.run_ok("%green_assist_connect").of_type("comm_open")
    hello = opened[0]["content"]["data"]
    state = hello["profiler"]
    assert state["auto"] == {"enabled": True, "flops": True}
    assert state["totals"]["cells"] == 1
    assert [r["label"] for r in state["recent"]] == ["first"]
    # The connecting cell itself is being measured (auto mode): the sidebar sees it running.
    assert state["running"]["mode"] == "auto" and state["running"]["flops_counting"] is True
    assert state["log_path"].endswith(".jsonl") and state["log_problem"] is None


def test_front_end_switches_automatic_mode(profiled):
    comm_id = connect(profiled)
    replies = profiled.session.comm_send(comm_id, {"type": "profile_set_auto", "enabled": True})
    assert replies[-1]["type"] == "profile_state" and replies[-1]["auto"]["enabled"] is True
    profiled.run_ok("w = 5")
    assert profiled.last_record().mode == "auto"
    state = profiled.session.comm_send(comm_id, {"type": "profile_request_state"})
    assert state[-1]["totals"]["cells"] == 1


def test_widget_readout_updates_then_becomes_the_result(profiled):
    result = profiled.run_ok("%%greenprofile\nimport time\ntime.sleep(1.2)")
    widget_views = [
        m for m in result.of_type("display_data")
        if "application/vnd.jupyter.widget-view+json" in m["content"]["data"]
    ]  # fmt: skip
    assert len(widget_views) == 1
    model_id = widget_views[0]["content"]["data"]["application/vnd.jupyter.widget-view+json"][
        "model_id"
    ]
    updates = [
        m for m in result.of_type("comm_msg")
        if m["content"]["comm_id"] == model_id and m["content"]["data"].get("method") == "update"
    ]  # fmt: skip
    values = [m["content"]["data"]["state"].get("value", "") for m in updates]
    assert sum("running" in v for v in values) >= 2
    assert all("so far [cpu " in v for v in values if "running" in v)  # energy known, per part
    final = final_outputs(result)
    assert len(final) == 1 and "text/html" in final[0]
    assert "green_assist: cell" in final[0]["text/plain"]


def test_quiet_shows_nothing_but_records(profiled):
    result = profiled.run_ok("%%greenprofile --quiet\nq = 1")
    assert final_outputs(result) == []
    assert profiled.last_record().source == "%%greenprofile --quiet\nq = 1"


def test_bad_arguments_explain_the_usage(profiled):
    result = profiled.run("%%greenprofile --flop\nx = 1")
    assert result.status == "error"
    assert "usage: %%greenprofile [--flops]" in result.reply["content"]["evalue"]
    assert profiled.records() == []


def test_report_writes_json(profiled, tmp_path):
    profiled.run_ok("%%greenprofile --label r\nx = 1")
    out = tmp_path / "report.json"
    shown = profiled.run_ok(f"%greenprofile report {out}")
    assert str(out) in shown.stdout
    report = json.loads(out.read_text())["session"]
    assert report["totals"]["cells"] == 1
    assert report["cells"][0]["label"] == "r"
    assert report["methods"]["flops"]["convention"] == "2 FLOPs per multiply-add"
    bad = profiled.run(f"%greenprofile report {tmp_path / 'report.docx'}")
    assert bad.status == "error" and "json" in bad.reply["content"]["evalue"]


def test_log_survives_a_killed_kernel(profiled):
    for i in range(3):
        profiled.run_ok(f"%%greenprofile --label done-{i}\nx = {i}")
    pid = int(profiled.run_ok("import os; print(os.getpid())").stdout)
    profiled.session.kc.execute("%%greenprofile --label unfinished\nimport time\ntime.sleep(30)")
    time.sleep(1.0)
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while profiled.session.km.is_alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    logs = list(profiled.log_dir.glob("*.jsonl"))
    assert len(logs) == 1
    log = read_log(logs[0])
    assert log.problems == []
    assert [r.label for r in log.records] == ["done-0", "done-1", "done-2"]
    assert all(r.status == "ok" and r.energy for r in log.records)


def test_automatic_record_survives_a_kill_right_after_the_reply(profiled):
    """The fsync runs on a background thread, but the line is written before the reply."""
    pid = int(profiled.run_ok("import os; print(os.getpid())").stdout)
    connect(profiled)
    profiled.run_ok("%greenprofile on")
    for i in range(5):
        profiled.run_ok(f"x = {i}")
    os.kill(pid, signal.SIGKILL)  # no further cell: nothing waited for the last fsync
    log = read_log(next(profiled.log_dir.glob("*.jsonl")))
    assert log.problems == []
    assert [r.source for r in log.records] == [f"x = {i}" for i in range(5)]


def test_front_end_settings_apply_to_the_next_records(profiled):
    comm_id = connect(profiled)
    settings = {"type": "profile_configure", "region": "DE", "carbon_intensity": None}
    state = profiled.session.comm_send(comm_id, {**settings, "pue": 1.2, "sample_interval_s": 0.05})
    assert state[-1]["type"] == "profile_state"
    carbon = state[-1]["carbon"]
    assert carbon["region"] == "DE" and carbon["pue"] == 1.2 and not carbon["is_default"]
    assert state[-1]["settings_problems"] == []
    profiled.run_ok("%%greenprofile\nx = sum(range(100000))")
    record = profiled.last_record()
    assert record.region == "DE" and record.pue == 1.2
    expected = record.energy_j / 3.6e6 * 1.2 * carbon["intensity_g_per_kwh"]
    assert record.co2e_g == pytest.approx(expected)
    bad = {"type": "profile_configure", "region": "Atlantis", "sample_interval_s": 0.001}
    problems = profiled.session.comm_send(comm_id, bad)[-1]["settings_problems"]
    assert any("'Atlantis'" in p for p in problems)
    assert any("sample interval not changed" in p for p in problems)
