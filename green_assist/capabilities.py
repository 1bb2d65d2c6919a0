"""Which optional parts of green_assist can work in this Python environment.

Used by the server's health endpoint and by ``green-assist doctor``. Importable
packages are looked up with ``find_spec`` (no import: importing torch costs
seconds); NVML is actually initialised, because a present module without a
driver is the common case on laptops and CPU servers.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Capability:
    name: str
    available: bool
    version: str | None
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


OPTIONAL_PACKAGES = {
    # import name -> distribution name
    "torch": "torch",
    "fvcore": "fvcore",
    "torchao": "torchao",
}


def package_capability(import_name: str) -> Capability:
    dist = OPTIONAL_PACKAGES.get(import_name, import_name)
    try:
        found = importlib.util.find_spec(import_name) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        return Capability(import_name, False, None, f"not installed (pip install {dist})")
    try:
        version: str | None = importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        version = None
    return Capability(import_name, True, version, "importable")


def nvml_capability() -> Capability:
    """NVML is usable when the library loads and initialises; says why not otherwise."""
    from .sensors.gpus import NvmlUnavailable, nvml_session

    try:
        with nvml_session() as nvml:
            try:
                count = nvml.nvmlDeviceGetCount()
                driver = nvml.nvmlSystemGetDriverVersion()
            except nvml.NVMLError as err:
                return Capability("nvml", False, None, f"NVML initialised but failed: {err}")
    except NvmlUnavailable as err:
        return Capability("nvml", False, None, str(err))
    if isinstance(driver, bytes):
        driver = driver.decode()
    return Capability("nvml", True, str(driver), f"{count} NVIDIA device(s) visible")


def optional_capabilities() -> dict[str, dict[str, Any]]:
    """Name -> capability dict, for every optional part the package can use."""
    caps = [package_capability(name) for name in OPTIONAL_PACKAGES]
    caps.append(nvml_capability())
    return {cap.name: cap.to_dict() for cap in caps}
