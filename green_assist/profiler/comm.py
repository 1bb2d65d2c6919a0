"""The kernel's end of the comm to the JupyterLab extension (target ``green_assist``).

The front end registers the target, then silently runs ``%load_ext green_assist``
and ``%green_assist_connect``; the latter opens a comm from the kernel and sends a
``hello``. Every message is a dict with a ``type``; see labextension/src/protocol.ts.
Several front ends (two browser tabs) may be connected at once: messages go to all.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import threading
from collections.abc import Callable
from typing import Any

from .. import __version__
from ..hostinfo import describe_host

log = logging.getLogger(__name__)

TARGET_NAME = "green_assist"
PROTOCOL_VERSION = 1

MessageHandler = Callable[[dict[str, Any]], None]


class FrontendLink:
    """Open comms to front ends, a broadcast ``send`` and per-type message handlers."""

    def __init__(self) -> None:
        self._comms: list[Any] = []
        self._lock = threading.Lock()
        self._handlers: dict[str, MessageHandler] = {}
        # Other parts add what a reconnecting front end must learn (e.g. session totals).
        self.hello_extras: dict[str, Callable[[], Any]] = {}
        self._host: dict[str, Any] | None = None

    @property
    def connected(self) -> bool:
        with self._lock:
            return bool(self._comms)

    def on(self, msg_type: str, handler: MessageHandler) -> None:
        """Call ``handler(data)`` when a front end sends a message of ``msg_type``."""
        self._handlers[msg_type] = handler

    def hello(self) -> dict[str, Any]:
        if self._host is None:  # NVML init and /proc reads: once per kernel
            self._host = describe_host()
        msg: dict[str, Any] = {
            "type": "hello",
            "protocol": PROTOCOL_VERSION,
            "version": __version__,
            "pid": os.getpid(),
            "host": self._host,
        }
        for key, provider in self.hello_extras.items():
            try:
                msg[key] = provider()
            except Exception as err:  # a broken extra must not break the link
                log.warning("green_assist: hello extra %r failed: %s", key, err)
        return msg

    def connect(self) -> None:
        """Open a new comm to the front ends and greet them."""
        from comm import create_comm

        comm = create_comm(target_name=TARGET_NAME, data=self.hello())
        comm.on_msg(self._receive)
        comm.on_close(functools.partial(self._on_close, comm))
        with self._lock:
            self._comms.append(comm)

    def send(self, data: dict[str, Any]) -> None:
        """Send ``data`` to every connected front end; a failing comm is dropped."""
        with self._lock:
            comms = list(self._comms)
        for comm in comms:
            try:
                comm.send(data)
            except Exception as err:
                log.warning("green_assist: dropping a comm that failed to send: %s", err)
                self._forget(comm)

    def close(self) -> None:
        with self._lock:
            comms, self._comms = self._comms, []
        for comm in comms:
            with contextlib.suppress(Exception):
                comm.close()

    def _on_close(self, comm: Any, _msg: dict[str, Any]) -> None:
        self._forget(comm)

    def _forget(self, comm: Any) -> None:
        with self._lock:
            if comm in self._comms:
                self._comms.remove(comm)

    def _receive(self, msg: dict[str, Any]) -> None:
        data = msg.get("content", {}).get("data", {}) or {}
        handler = self._handlers.get(str(data.get("type")))
        if handler is None:
            log.debug("green_assist: ignoring front-end message %r", data.get("type"))
            return
        handler(data)
