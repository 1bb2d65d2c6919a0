"""A Jupyter server told to stop (SIGTERM) while a long refactor runs exits at once."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from green_assist.server import limits

from .test_request_limits import one_long_loop

TOKEN = "stop-test-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port: int, route: str, body: dict | None = None, timeout: float = 5.0):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/green-assist/{route}",
        data=data,
        headers={"Authorization": f"token {TOKEN}"},
        method="GET" if body is None else "POST",
    )
    with urllib.request.urlopen(req, timeout=timeout) as response:
        return json.loads(response.read())


def test_sigterm_during_a_refactor_stops_the_server_promptly(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_server",
            "--no-browser",
            "--allow-root",
            f"--port={port}",
            f"--IdentityProvider.token={TOKEN}",
            f"--ServerApp.root_dir={tmp_path}",
            "--ServerApp.jpserver_extensions=green_assist=True",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config")},
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                request(port, "health")
                break
            except (OSError, urllib.error.URLError):
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.5)
        # The largest refactor allowed, of the slowest shape: seconds of work, still
        # running when the signal comes a second after it was sent.
        text = one_long_loop(limits.REFACTOR_MAX_SOURCE_BYTES)
        body = {"refactor": "mixed-precision", "text": text}
        client = threading.Thread(
            target=lambda: _ignore_errors(request, port, "refactor", body, 600), daemon=True
        )
        client.start()
        time.sleep(1.5)
        assert server.poll() is None
        stopped_at = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        assert time.monotonic() - stopped_at < 30
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def _ignore_errors(function, *arguments):
    with contextlib.suppress(OSError, urllib.error.URLError):
        function(*arguments)
