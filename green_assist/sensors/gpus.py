"""Which NVIDIA devices this process sees, as NVML handles, in CUDA's order.

``CUDA_VISIBLE_DEVICES`` decides: unset means every device (NVML's PCI order, which is
CUDA's order when ``CUDA_DEVICE_ORDER=PCI_BUS_ID``); empty means none; otherwise a comma
list of indices, ``GPU-<uuid>`` (a unique prefix is enough) or ``MIG-<uuid>`` entries.
As in CUDA, the list stops at the first entry that names no device. The component
label is ``gpu:<position in that list>``, the index torch uses.

For each device we also learn what NVML can tell about it (``probe``): energy counter,
instant power, per-process utilisation, MIG.

NVML is opened and closed in one way everywhere (``open_nvml``/``close_nvml``, or
``with nvml_session() as nvml``): a missing package or driver is
:class:`NvmlUnavailable` with a reason people can act on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any


class NvmlUnavailable(Exception):
    """NVML cannot be used here; the message says why (package or driver missing...)."""


def open_nvml() -> Any:
    """The ``pynvml`` module, initialised; pair with :func:`close_nvml`."""
    try:
        import pynvml
    except ImportError:
        raise NvmlUnavailable("nvidia-ml-py is not installed (pip install nvidia-ml-py)") from None
    try:
        pynvml.nvmlInit()
    except pynvml.NVMLError as err:
        hint = ""
        if isinstance(err, getattr(pynvml, "NVMLError_LibraryNotFound", ())):
            hint = ": the NVIDIA driver (libnvidia-ml) is not installed, so no GPU is usable here"
        raise NvmlUnavailable(f"NVML unavailable ({err}){hint}") from err
    return pynvml


def close_nvml(nvml: Any) -> None:
    """Shut NVML down (NVML counts inits: each open_nvml needs one close)."""
    with contextlib.suppress(nvml.NVMLError):
        nvml.nvmlShutdown()


@contextlib.contextmanager
def nvml_session() -> Iterator[Any]:
    """``pynvml``, initialised for the ``with`` block; raises :class:`NvmlUnavailable`."""
    nvml = open_nvml()
    try:
        yield nvml
    finally:
        close_nvml(nvml)


# Instant (not 1 s averaged) board power, in mW, through nvmlDeviceGetFieldValues.
FIELD_POWER_INSTANT = 186


@dataclass
class MigShare:
    """A MIG instance: its compute slices out of the parent GPU's."""

    uuid: str
    parent_name: str
    slices: int | None
    parent_slices: int | None

    @property
    def fraction(self) -> float | None:
        if self.slices and self.parent_slices:
            return self.slices / self.parent_slices
        return None


@dataclass
class GpuDevice:
    label: str
    name: str
    uuid: str
    handle: Any  # where energy and power are read (the parent GPU for a MIG instance)
    memory_handle: Any  # where used memory is read (the MIG instance itself)
    nvml_index: int | None = None
    mig: MigShare | None = None
    mig_mode_on: bool = False
    counter: bool = False
    power_source: str | None = None  # "instant" | "average" | None
    process_utilization: bool = False
    problem: str | None = None  # why neither energy nor power can be read

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "name": self.name,
            "uuid": self.uuid,
            "nvml_index": self.nvml_index,
            "energy_counter": self.counter,
            "power_source": self.power_source,
            "per_process_utilization": self.process_utilization,
            "mig_instance": None
            if self.mig is None
            else {
                "uuid": self.mig.uuid,
                "parent": self.mig.parent_name,
                "slices": self.mig.slices,
                "parent_slices": self.mig.parent_slices,
            },
            "mig_mode_on": self.mig_mode_on,
            "problem": self.problem,
        }


def text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def visible_devices(nvml: Any, env: Mapping[str, str]) -> tuple[list[GpuDevice], str | None]:
    """The devices CUDA would show this process, and a note when the list was cut short."""
    count = nvml.nvmlDeviceGetCount()
    handles = [nvml.nvmlDeviceGetHandleByIndex(i) for i in range(count)]
    uuids = [text(nvml.nvmlDeviceGetUUID(h)) for h in handles]
    raw = env.get("CUDA_VISIBLE_DEVICES")
    if raw is None:
        return [_device(nvml, f"gpu:{i}", h, i) for i, h in enumerate(handles)], None
    if raw.strip() == "":
        return [], "CUDA_VISIBLE_DEVICES is empty: no GPU is visible to this process"
    devices: list[GpuDevice] = []
    for entry in (e.strip() for e in raw.split(",")):
        label = f"gpu:{len(devices)}"
        if entry.lstrip("-").isdigit():
            index = int(entry)
            if not 0 <= index < count:
                return devices, _cut(raw, entry, f"there are {count} devices")
            devices.append(_device(nvml, label, handles[index], index))
        elif entry.startswith("GPU-"):
            hits = [i for i, u in enumerate(uuids) if u.startswith(entry)]
            if len(hits) != 1:
                return devices, _cut(raw, entry, f"it matches {len(hits)} device UUIDs")
            devices.append(_device(nvml, label, handles[hits[0]], hits[0]))
        elif entry.startswith("MIG-"):
            try:
                mig_handle = nvml.nvmlDeviceGetHandleByUUID(entry)
            except nvml.NVMLError as err:
                return devices, _cut(raw, entry, f"NVML does not know it ({err})")
            devices.append(_mig_device(nvml, label, mig_handle, entry, handles))
        else:
            return devices, _cut(raw, entry, "it is not an index, GPU-<uuid> or MIG-<uuid>")
    return devices, None


def _cut(raw: str, entry: str, why: str) -> str:
    return (
        f"CUDA_VISIBLE_DEVICES={raw!r}: the list stops at {entry!r} ({why}); "
        f"as CUDA does, later entries are not visible"
    )


def _device(nvml: Any, label: str, handle: Any, index: int) -> GpuDevice:
    device = GpuDevice(
        label=label,
        name=text(nvml.nvmlDeviceGetName(handle)),
        uuid=text(nvml.nvmlDeviceGetUUID(handle)),
        handle=handle,
        memory_handle=handle,
        nvml_index=index,
    )
    try:
        current, _pending = nvml.nvmlDeviceGetMigMode(handle)
        device.mig_mode_on = current == getattr(nvml, "NVML_DEVICE_MIG_ENABLE", 1)
    except nvml.NVMLError:  # not a MIG-capable GPU
        pass
    return probe(nvml, device)


def _mig_device(nvml: Any, label: str, mig_handle: Any, uuid: str, handles: list[Any]) -> GpuDevice:
    parent = nvml.nvmlDeviceGetDeviceHandleFromMigDeviceHandle(mig_handle)
    parent_uuid = text(nvml.nvmlDeviceGetUUID(parent))
    parent_index = next(
        (i for i, h in enumerate(handles) if text(nvml.nvmlDeviceGetUUID(h)) == parent_uuid),
        None,
    )
    parent_name = text(nvml.nvmlDeviceGetName(parent))
    slices = parent_slices = None
    try:
        slices = int(nvml.nvmlDeviceGetAttributes(mig_handle).gpuInstanceSliceCount)
        parent_slices = int(nvml.nvmlDeviceGetMaxMigDeviceCount(parent))
    except nvml.NVMLError:
        pass
    device = GpuDevice(
        label=label,
        name=f"{parent_name} MIG instance",
        uuid=uuid,
        handle=parent,
        memory_handle=mig_handle,
        nvml_index=parent_index,
        mig=MigShare(uuid, parent_name, slices, parent_slices),
        mig_mode_on=True,
    )
    return probe(nvml, device)


def probe(nvml: Any, device: GpuDevice) -> GpuDevice:
    """Ask NVML once which readings this device supports."""
    handle = device.handle
    try:
        nvml.nvmlDeviceGetTotalEnergyConsumption(handle)
        device.counter = True
    except nvml.NVMLError:
        device.counter = False
    try:
        value = nvml.nvmlDeviceGetFieldValues(handle, [FIELD_POWER_INSTANT])[0]
        if value.nvmlReturn == 0:
            device.power_source = "instant"
    except nvml.NVMLError:
        pass
    if device.power_source is None:
        try:
            nvml.nvmlDeviceGetPowerUsage(handle)
            device.power_source = "average"
        except nvml.NVMLError:
            pass
    try:
        nvml.nvmlDeviceGetProcessUtilization(handle, 0)
        device.process_utilization = True
    except nvml.NVMLError as err:
        # NotFound means "no sample yet": the call itself is supported.
        device.process_utilization = isinstance(err, getattr(nvml, "NVMLError_NotFound", ()))
    if not device.counter and device.power_source is None:
        device.problem = (
            f"{device.name} supports neither the total-energy counter nor power readings "
            f"through NVML (older or virtualised GPU)"
        )
    return device


def read_power_mw(nvml: Any, device: GpuDevice) -> float:
    """Board power in milliwatts: instant where the driver offers it, else its average."""
    if device.power_source == "instant":
        value = nvml.nvmlDeviceGetFieldValues(device.handle, [FIELD_POWER_INSTANT])[0]
        if value.nvmlReturn != 0:
            raise nvml.NVMLError(value.nvmlReturn)
        return float(value.value.uiVal)
    return float(nvml.nvmlDeviceGetPowerUsage(device.handle))
