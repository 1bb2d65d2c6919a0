"""What one request may cost: body size (refused before reading), time and memory per job,
and a job whose client went away is stopped."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from tornado.httpclient import HTTPClientError

from green_assist.server import limits
from green_assist.server.base import WORKERS_SETTING
from green_assist.worker import WorkerPool

TRAINING = """\
model = Net().cuda()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for x, y in loader:
    loss = criterion(model(x.cuda()), y.cuda())
    loss.backward()
    optimizer.step()
"""


def big_script(copies: int) -> str:
    """A long training script: the same loop over many models (names kept distinct)."""
    body = "".join(TRAINING.replace("model", f"model{i}") for i in range(copies))
    return "import torch\n" + body


def one_long_loop(size: int) -> str:
    """One loop of training steps, as many as fit in ``size`` bytes: the slowest code per
    byte for both analyses and refactors (``bench/request_size.py``)."""
    head = "import torch\nloader = torch.utils.data.DataLoader(data, batch_size=64)\n"
    head += "for x in loader:\n"
    step = "    out = model(x)\n    loss = out.sum()\n    loss.backward()\n    opt.step()\n"
    return head + step * ((size - len(head)) // len(step))


async def raw_request(port, base_url, token, route, headers, body=b"", read_timeout=30.0):
    """Send a request by hand (headers as given) and return the status line and the body."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    lines = [
        f"POST {base_url}green-assist/{route} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        f"Authorization: token {token}",
        *headers,
    ]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    await writer.drain()
    try:
        response = await asyncio.wait_for(reader.read(65536), read_timeout)
    finally:
        writer.close()
    head, _, payload = response.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(), payload


@pytest.fixture
def server(jp_serverapp, jp_http_port, jp_base_url):
    return jp_http_port, jp_base_url, jp_serverapp.identity_provider.token


@pytest.mark.parametrize("route", ["analyze", "refactor", "report"])
async def test_a_huge_body_is_refused_from_its_content_length_unread(server, jp_fetch, route):
    port, base_url, token = server
    started = time.monotonic()
    # 200 MB announced, none sent: a server that buffers first would wait for it forever.
    status, payload = await raw_request(
        port, base_url, token, route, ["Content-Length: 200000000"], read_timeout=20
    )
    assert status.startswith("HTTP/1.1 413"), status
    assert b"the limit is 5,242,880" in payload
    assert time.monotonic() - started < 20
    health = await jp_fetch("green-assist", "health", method="GET")
    assert health.code == 200


async def test_a_chunked_body_past_the_limit_is_not_buffered(server, jp_fetch):
    port, base_url, token = server
    chunk = b"a" * 1_000_000
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(8)) + b"0\r\n\r\n"
    try:
        status, _ = await raw_request(
            port, base_url, token, "analyze", ["Transfer-Encoding: chunked"], body, read_timeout=20
        )
    except ConnectionResetError:
        status = "reset"  # Tornado stopped reading at the limit and closed the connection
    assert status == "reset" or status.startswith(("HTTP/1.1 400", "HTTP/1.1 413")), status
    health = await jp_fetch("green-assist", "health", method="GET")
    assert health.code == 200


async def test_a_refactor_over_its_time_budget_is_413_and_the_server_goes_on(jp_fetch, monkeypatch):
    monkeypatch.setattr(limits, "JOB_TIMEOUT_S", 0.5)
    body = {"refactor": "mixed-precision", "text": big_script(150)}
    with pytest.raises(HTTPClientError) as excinfo:
        await jp_fetch("green-assist", "refactor", method="POST", body=json.dumps(body))
    assert excinfo.value.code == 413
    assert "needs more than the 0 s" in json.loads(excinfo.value.response.body)["message"]
    monkeypatch.setattr(limits, "JOB_TIMEOUT_S", 60.0)
    small = {"refactor": "mixed-precision", "text": "import torch\n" + TRAINING}
    response = await jp_fetch("green-assist", "refactor", method="POST", body=json.dumps(small))
    assert json.loads(response.body)["status"] == "changed"


async def test_more_code_than_a_refactor_takes_is_413(jp_fetch):
    text = big_script(limits.REFACTOR_MAX_SOURCE_BYTES // len(TRAINING) + 10)
    with pytest.raises(HTTPClientError) as excinfo:
        body = json.dumps({"refactor": "quantize", "text": text})
        await jp_fetch("green-assist", "refactor", method="POST", body=body)
    assert excinfo.value.code == 413
    assert "per refactor" in json.loads(excinfo.value.response.body)["message"]


@pytest.mark.parametrize("refactor", ["mixed-precision", "grad-accumulation"])
async def test_the_largest_refactor_allowed_is_answered_within_its_budget(jp_fetch, refactor):
    # A step per few lines used to cost a walk of the whole loop per step (minutes, 413).
    text = one_long_loop(limits.REFACTOR_MAX_SOURCE_BYTES)
    body = json.dumps({"refactor": refactor, "text": text})
    wait = limits.JOB_TIMEOUT_S + 10  # the budget decides, not the test client
    response = await jp_fetch(
        "green-assist", "refactor", method="POST", body=body, request_timeout=wait
    )
    assert json.loads(response.body)["status"] == "changed"


async def test_the_largest_analysis_allowed_is_answered_and_more_is_413(jp_fetch):
    text = one_long_loop(limits.ANALYSIS_MAX_SOURCE_BYTES)
    body = json.dumps({"text": text})
    wait = limits.JOB_TIMEOUT_S + 10
    response = await jp_fetch(
        "green-assist", "analyze", method="POST", body=body, request_timeout=wait
    )
    assert json.loads(response.body)["errors"] == []
    more = json.dumps({"text": text + "x = 1\n" * 100})  # the project's 2 MB would allow it
    with pytest.raises(HTTPClientError) as excinfo:
        await jp_fetch("green-assist", "analyze", method="POST", body=more)
    assert excinfo.value.code == 413
    message = json.loads(excinfo.value.response.body)["message"]
    assert f"{limits.ANALYSIS_MAX_SOURCE_BYTES:,} bytes of code" in message


async def test_an_analysis_over_its_memory_budget_is_413(jp_serverapp, jp_fetch):
    small_pool = WorkerPool("memory test", 1, memory_limit=100 * 1024 * 1024)
    roomy = jp_serverapp.web_app.settings[WORKERS_SETTING]
    jp_serverapp.web_app.settings[WORKERS_SETTING] = small_pool
    try:
        fits = json.dumps({"text": big_script(2)})
        response = await jp_fetch("green-assist", "analyze", method="POST", body=fits)
        assert json.loads(response.body)["findings"]  # a small file fits the budget
        # The largest analysis allowed, of its most memory-hungry shape (~300 MB).
        too_much = json.dumps({"text": one_long_loop(limits.ANALYSIS_MAX_SOURCE_BYTES)})
        with pytest.raises(HTTPClientError) as excinfo:
            await jp_fetch("green-assist", "analyze", method="POST", body=too_much)
        assert excinfo.value.code == 413
        assert "MiB of memory" in json.loads(excinfo.value.response.body)["message"]
        response = await jp_fetch("green-assist", "analyze", method="POST", body=fits)
        assert json.loads(response.body)["findings"]  # a fresh worker took over
    finally:
        jp_serverapp.web_app.settings[WORKERS_SETTING] = roomy
        small_pool.stop()


async def test_a_job_whose_client_went_away_is_stopped(server, jp_serverapp, jp_fetch):
    port, base_url, token = server
    pool = jp_serverapp.web_app.settings[WORKERS_SETTING]
    warm = json.dumps({"refactor": "quantize", "text": "x = 1\n"})
    for _ in range(pool.size):  # every worker started
        await jp_fetch("green-assist", "refactor", method="POST", body=warm)
    before = {worker._process.pid for worker in pool._workers}
    text = one_long_loop(limits.REFACTOR_MAX_SOURCE_BYTES)  # seconds of work
    body = json.dumps({"refactor": "mixed-precision", "text": text}).encode()
    with pytest.raises(asyncio.TimeoutError):  # the client gives up after 1 s
        await raw_request(
            port,
            base_url,
            token,
            "refactor",
            [f"Content-Length: {len(body)}", "Content-Type: application/json"],
            body,
            read_timeout=1,
        )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        alive = {w._process.pid for w in pool._workers if w._process and w._process.is_alive()}
        if before - alive:
            break
        await asyncio.sleep(0.1)
    assert before - alive, "the abandoned refactor kept its worker busy"
    response = await jp_fetch("green-assist", "refactor", method="POST", body=warm)
    assert json.loads(response.body)["status"] == "refused"
