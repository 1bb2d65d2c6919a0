"""``green-assist lsp`` options: --tcp answers LSP on a socket; bad options are usage errors."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time

import pytest

COMMAND = [sys.executable, "-m", "green_assist", "lsp"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _message(payload: dict[str, object]) -> bytes:
    body = json.dumps(payload).encode()
    return f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def _read_message(connection: socket.socket) -> dict[str, object]:
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(4096)
    header, _, body = data.partition(b"\r\n\r\n")
    length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
    while len(body) < length:
        body += connection.recv(4096)
    return json.loads(body[:length])


def test_tcp_mode_answers_initialize() -> None:
    port = _free_port()
    server = subprocess.Popen([*COMMAND, "--tcp", f"127.0.0.1:{port}"], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=30)
                break
            except ConnectionRefusedError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "the server never listened"
                time.sleep(0.1)
        with connection:
            notebooks = {"notebookDocument": {"synchronization": {}}}
            params = {"processId": None, "rootUri": None, "capabilities": notebooks}
            connection.sendall(
                _message({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params})
            )
            reply = _read_message(connection)
        result = reply["result"]
        assert isinstance(result, dict)
        assert result["serverInfo"]["name"] == "green-assist"
        capabilities = result["capabilities"]
        assert capabilities["hoverProvider"] and capabilities["codeActionProvider"]
        assert capabilities["notebookDocumentSync"]["notebookSelector"]
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--tcp", "localhost"], "HOST:PORT"),
        (["--tcp", "localhost:99999"], "HOST:PORT"),
        (["--debounce-ms", "-5"], "0 or more"),
    ],
)
def test_bad_options_are_usage_errors(arguments: list[str], message: str) -> None:
    done = subprocess.run([*COMMAND, *arguments], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert message in done.stderr
