"""GPU energy through NVML (``nvidia-ml-py``, module ``pynvml``), per visible device.

- Energy counter (``nvmlDeviceGetTotalEnergyConsumption``, mJ, Volta and newer): method
  ``counter``. It updates about every 100 ms, so a window shorter than that uses the
  instant power at its start and stop times its duration (method ``polled``).
- No counter: power (instant field where available, else ``nvmlDeviceGetPowerUsage``)
  is sampled by the meter's thread and integrated with the trapezoid rule (``polled``).
- Shared GPU: when other processes run on the device during a window, this process's
  share of the device energy follows its share of the SM utilisation samples
  (``nvmlDeviceGetProcessUtilization``): method ``attributed``, device figure in detail.
- MIG instance: NVML measures the whole GPU only, so the instance gets its share by
  compute slices: method ``estimated``, labelled as such (never an error).
- A device that stops answering (lost, reset) is ``None`` with the reason from then on;
  the other devices and components keep working.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ..methods import Method
from .backend import Backend, Reading, Readings, difference
from .gpus import GpuDevice, close_nvml, read_power_mw
from .peaks import PeakSource
from .types import ComponentEnergy

COUNTER_PERIOD_S = 0.1
COUNTER_UNCERTAINTY = (
    "hardware counter; it updates about every 100 ms, so a window carries up to about "
    "0.1 s x power of error (10% of a 1 s window)"
)
SHORT_WINDOW_NOTE = (
    "window shorter than the energy counter's ~100 ms update period: mean of the instant "
    "power at start and stop x duration; changes within the window are missed"
)
POLLED_UNCERTAINTY = (
    "power samples integrated with the trapezoid rule; changes between samples are missed"
)


@dataclass
class _DeviceState:
    baseline_mj: int | None = None
    counter_mj: int = 0
    polled_mj: float = 0.0
    last_t: float | None = None
    last_mw: float | None = None
    lost: str | None = None
    # Cumulative process bookkeeping for attribution (differences over a window).
    polls: int = 0
    shared_polls: int = 0
    own_seen_polls: int = 0
    processes_seen: int = 0
    own_sm_util: float = 0.0
    all_sm_util: float = 0.0
    util_timestamp: int = 0


class NvmlBackend(Backend):
    """Cumulative energy per visible NVIDIA device (components ``gpu:<i>``)."""

    name = "nvml"

    def __init__(
        self, nvml: Any, devices: list[GpuDevice], now: float, note: str | None = None
    ) -> None:
        super().__init__()
        self.nvml = nvml
        self.devices = devices
        self.note = note
        self._pid = os.getpid()
        self._states = {d.label: _DeviceState() for d in devices}
        self.peak_source = NvmlMemoryPeak(nvml, devices)
        self._shut = False
        for device in devices:
            self._update(device, now, exact=True)

    def components(self) -> list[str]:
        return [d.label for d in self.devices]

    # -- reading -------------------------------------------------------------------------
    def _read(self, now: float, exact: bool) -> Readings:
        readings: Readings = {}
        for device in self.devices:
            self._update(device, now, exact)
            readings[device.label] = self._reading(device)
        return readings

    def _update(self, device: GpuDevice, now: float, exact: bool) -> None:
        state = self._states[device.label]
        if device.problem or state.lost:
            return
        nvml = self.nvml
        try:
            mw = read_power_mw(nvml, device) if device.power_source else None
            if device.counter:
                total = int(nvml.nvmlDeviceGetTotalEnergyConsumption(device.handle))
                if state.baseline_mj is None:
                    state.baseline_mj = total
                state.counter_mj = total - state.baseline_mj
            elif mw is not None and state.last_t is not None and state.last_mw is not None:
                state.polled_mj += (state.last_mw + mw) / 2 * (now - state.last_t)
            state.last_t, state.last_mw = now, mw
        except nvml.NVMLError as err:
            when = datetime.now(timezone.utc).isoformat(timespec="seconds")
            state.lost = (
                f"{device.label} ({device.name}) stopped answering NVML at {when}: {err}; "
                f"its energy is unknown from then on (GPU lost, reset or driver unloaded)"
            )
            return
        if device.mig is None:
            self._update_processes(device, state)

    def _update_processes(self, device: GpuDevice, state: _DeviceState) -> None:
        nvml = self.nvml
        try:
            pids = {int(p.pid) for p in nvml.nvmlDeviceGetComputeRunningProcesses(device.handle)}
        except nvml.NVMLError:
            return  # no process list: nothing to attribute with
        state.polls += 1
        state.processes_seen += len(pids | {self._pid})
        if pids - {self._pid}:
            state.shared_polls += 1
        if self._pid in pids:
            state.own_seen_polls += 1
        if not device.process_utilization:
            return
        try:
            samples = nvml.nvmlDeviceGetProcessUtilization(device.handle, state.util_timestamp)
        except nvml.NVMLError:  # NotFound: no new sample since the last call
            return
        for sample in samples:
            if int(sample.timeStamp) <= state.util_timestamp:
                continue
            state.all_sm_util += sample.smUtil
            if int(sample.pid) == self._pid:
                state.own_sm_util += sample.smUtil
        state.util_timestamp = max([state.util_timestamp, *(int(s.timeStamp) for s in samples)])

    def _reading(self, device: GpuDevice) -> Reading:
        state = self._states[device.label]
        why = device.problem or state.lost
        if why:
            return Reading(None, None, why)
        energy_mj = float(state.counter_mj) if device.counter else state.polled_mj
        return Reading(
            joules=energy_mj / 1000,
            method=Method.COUNTER if device.counter else Method.POLLED,
            reason=_mig_mode_caveat(device),
            watts=None if state.last_mw is None else state.last_mw / 1000,
            aux={
                "energy_mj": energy_mj,
                "polls": state.polls,
                "shared_polls": state.shared_polls,
                "own_seen_polls": state.own_seen_polls,
                "processes_seen": state.processes_seen,
                "own_sm_util": state.own_sm_util,
                "all_sm_util": state.all_sm_util,
            },
            detail=_device_detail(device),
        )

    # -- windows -------------------------------------------------------------------------
    def window_energy(
        self, start: Readings, stop: Readings, duration_s: float
    ) -> dict[str, ComponentEnergy]:
        result = {}
        for device in self.devices:
            a, b = start.get(device.label), stop[device.label]
            energy = difference(device.label, a, b, duration_s)
            if energy.joules is not None and a is not None:
                energy = self._device_window(device, a, b, energy, duration_s)
            result[device.label] = energy
        return result

    def _device_window(
        self, device: GpuDevice, a: Reading, b: Reading, energy: ComponentEnergy, duration: float
    ) -> ComponentEnergy:
        counts = {key: energy.detail.pop(key, 0) for key in a.aux}
        joules = counts["energy_mj"] / 1000
        method, reason = energy.method, energy.reason
        detail = energy.detail
        if device.counter:
            detail["uncertainty"] = COUNTER_UNCERTAINTY
            if duration < COUNTER_PERIOD_S and a.watts is not None and b.watts is not None:
                joules = (a.watts + b.watts) / 2 * duration
                method = Method.POLLED
                detail["source"] = SHORT_WINDOW_NOTE
                detail["uncertainty"] = SHORT_WINDOW_NOTE
        else:
            detail["uncertainty"] = POLLED_UNCERTAINTY
        if device.mig is not None:
            return _mig_share(device, joules, method, detail)
        if counts["shared_polls"] > 0:
            return self._attribute(device, joules, method, detail, counts)
        if counts["polls"] > 0:
            detail["scope"] = "whole device; no other process was seen on it during the window"
        return ComponentEnergy(device.label, joules, method, reason, detail)

    def _attribute(
        self,
        device: GpuDevice,
        joules: float,
        method: Method | None,
        detail: dict[str, Any],
        counts: dict[str, float],
    ) -> ComponentEnergy:
        detail.update(device_joules=joules, device_method=method.value if method else None)
        if counts["own_seen_polls"] == 0:
            reason = (
                "whole device, not attributed: NVML's process list for this GPU does not show "
                "this process's PID (another process uses the GPU, or this runs in a "
                "container, where NVML shows host PIDs)"
            )
            return ComponentEnergy(device.label, joules, method, reason, detail)
        if counts["all_sm_util"] > 0:
            share = counts["own_sm_util"] / counts["all_sm_util"]
            basis = "this process's share of the SM utilisation samples (NVML per process)"
        else:
            share = counts["polls"] / counts["processes_seen"]
            basis = "equal split among the processes seen (no utilisation samples)"
        detail.update(share=share, share_basis=basis)
        reason = f"shared GPU: {share:.0%} of the device's energy attributed to this process"
        return ComponentEnergy(device.label, joules * share, Method.ATTRIBUTED, reason, detail)

    # -- the rest ------------------------------------------------------------------------
    def nominal(self) -> dict[str, tuple[Method | None, str | None]]:
        result: dict[str, tuple[Method | None, str | None]] = {}
        for device in self.devices:
            why = device.problem or self._states[device.label].lost
            if why:
                result[device.label] = (None, why)
            elif device.mig is not None:
                result[device.label] = (
                    Method.ESTIMATED,
                    "MIG instance: share of the whole GPU's energy by compute slices",
                )
            else:
                method = Method.COUNTER if device.counter else Method.POLLED
                caveat = _mig_mode_caveat(device) or (
                    "attributed by SM utilisation when other processes share the GPU"
                )
                result[device.label] = (method, caveat)
        return result

    def describe(self) -> dict[str, Any]:
        return {
            "backend": self.name,
            "components": self.components(),
            "devices": [{**d.to_dict(), "lost": self._states[d.label].lost} for d in self.devices],
            "note": self.note,
        }

    def close(self) -> None:
        if self._shut:
            return
        self._shut = True
        close_nvml(self.nvml)


def _device_detail(device: GpuDevice) -> dict[str, Any]:
    if device.counter:
        source = "total energy counter (nvmlDeviceGetTotalEnergyConsumption)"
    elif device.power_source == "instant":
        source = "instant power (NVML field POWER_INSTANT), trapezoid-integrated"
    else:
        source = "power usage (nvmlDeviceGetPowerUsage, averaged by the driver), integrated"
    return {"device": device.name, "uuid": device.uuid, "source": source}


def _mig_mode_caveat(device: GpuDevice) -> str | None:
    if device.mig_mode_on and device.mig is None:
        return "MIG mode is on: this is the whole GPU's energy, shared by all its MIG instances"
    return None


def _mig_share(
    device: GpuDevice, whole_gpu_joules: float, method: Method | None, detail: dict[str, Any]
) -> ComponentEnergy:
    mig = device.mig
    assert mig is not None
    detail.update(
        mig_instance=mig.uuid,
        parent=mig.parent_name,
        whole_gpu_joules=whole_gpu_joules,
        whole_gpu_method=method.value if method else None,
        slices=mig.slices,
        parent_slices=mig.parent_slices,
    )
    fraction = mig.fraction
    if fraction is None:
        reason = (
            "MIG instance: NVML measures only the whole GPU and the instance's slice count "
            "is unknown, so this is the whole GPU's energy (all instances)"
        )
        return ComponentEnergy(device.label, whole_gpu_joules, Method.ESTIMATED, reason, detail)
    reason = (
        f"MIG instance: NVML measures only the whole GPU; this is the instance's share by "
        f"compute slices ({mig.slices}/{mig.parent_slices}) of the whole GPU's energy, which "
        f"includes the other instances' work"
    )
    detail["share"] = fraction
    joules = whole_gpu_joules * mig.slices / mig.parent_slices  # type: ignore[operator]
    return ComponentEnergy(device.label, joules, Method.ESTIMATED, reason, detail)


class NvmlMemoryPeak(PeakSource):
    """Peak used memory per device from NVML (all processes on it), sampled."""

    key = "nvml_memory"
    note = "NVML used memory of the device (all processes), sampled"

    def __init__(self, nvml: Any, devices: list[GpuDevice]) -> None:
        self._nvml = nvml
        self._devices = devices
        self._lock = threading.Lock()
        self._max: dict[str, int] = {}

    def _current(self) -> dict[str, int]:
        values = {}
        for device in self._devices:
            try:
                values[device.label] = int(
                    self._nvml.nvmlDeviceGetMemoryInfo(device.memory_handle).used
                )
            except self._nvml.NVMLError:
                continue
        return values

    def poll(self) -> None:
        current = self._current()
        with self._lock:
            for label, used in current.items():
                self._max[label] = max(self._max.get(label, 0), used)

    def read(self) -> dict[str, int]:
        self.poll()
        with self._lock:
            return dict(self._max)

    def reset(self) -> None:
        current = self._current()
        with self._lock:
            self._max = current
