"""A short description of the machine a kernel runs on, for the front end's hello.

The facts come from the sensors layer (``green_assist.sensors.cpu`` and ``.gpus``), so
the hello, ``green-assist doctor`` and the measurements agree on CPUs and GPUs.
"""

from __future__ import annotations

import contextlib
import functools
import os
import platform
import socket
from importlib import metadata
from typing import Any

from .sensors import cpu as _cpu


def cpu_model() -> str:
    """The CPU's marketing name where the OS tells it (Linux /proc/cpuinfo), else platform's."""
    return _cpu.cpu_model()


def usable_cpu_count() -> int:
    """CPUs this process may run on (affinity), not the host's total."""
    return _cpu.affinity_cpus()


def gpu_names() -> tuple[list[str], str | None]:
    """Names of the NVIDIA GPUs this process sees (``CUDA_VISIBLE_DEVICES`` respected),
    and the reason when none can be listed."""
    from .sensors.gpus import NvmlUnavailable, nvml_session, visible_devices

    try:
        with nvml_session() as nvml:
            try:
                devices, note = visible_devices(nvml, os.environ)
            except nvml.NVMLError as err:
                return [], f"NVML failed: {err}"
            return [d.name for d in devices], note
    except NvmlUnavailable as err:
        return [], str(err)


def describe_host() -> dict[str, Any]:
    names, gpu_reason = gpu_names()
    limit = _cpu.cpu_limit()
    return {
        "hostname": socket.gethostname(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_model": cpu_model(),
        "cpu_count": limit.affinity,
        "cores_available": limit.cores,
        "cores_available_source": limit.source,
        "gpu_count": len(names),
        "gpu_names": names,
        "gpu_reason": gpu_reason,
    }


# Installed distributions a report names, so that a reader can reproduce a session.
SOFTWARE = ("torch", "jupyterlab", "ipykernel")


@functools.lru_cache(maxsize=1)
def software_versions() -> dict[str, str]:
    """Python, green_assist and, where installed here, torch, JupyterLab and ipykernel
    (read from package metadata: nothing is imported)."""
    from . import __version__

    versions = {"python": platform.python_version(), "green_assist": __version__}
    for name in SOFTWARE:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[name] = metadata.version(name)
    return versions
