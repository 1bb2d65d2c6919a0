"""``%load_ext green_assist``: what the IPython extension registers.

One ``KernelAgent`` per kernel holds the comm link (and, as they arrive, the
profiler's state). Loading twice is a no-op, as IPython users expect.
"""

from __future__ import annotations

from typing import Any

from .comm import FrontendLink


class KernelAgent:
    """Everything green_assist keeps inside one kernel."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell
        self.link = FrontendLink()
        self.link.on("request_hello", lambda _data: self.link.send(self.link.hello()))

    def connect_magic(self, line: str = "") -> None:
        """Open the comm to the JupyterLab extension (run silently by the extension)."""
        self.link.connect()

    def close(self) -> None:
        self.link.close()


_agent: KernelAgent | None = None


def current_agent() -> KernelAgent | None:
    """The agent of this kernel, or None when the extension is not loaded."""
    return _agent


def load(shell: Any) -> KernelAgent:
    global _agent
    if _agent is not None and _agent.shell is shell:
        return _agent
    _agent = KernelAgent(shell)
    shell.register_magic_function(_agent.connect_magic, "line", "green_assist_connect")
    return _agent


def unload(shell: Any) -> None:
    global _agent
    if _agent is None:
        return
    _agent.close()
    magics = shell.magics_manager.magics["line"]
    magics.pop("green_assist_connect", None)
    _agent = None
