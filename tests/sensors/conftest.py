"""Fixtures for the sensors tests: a fake clock, and meters built over fake hardware."""

from __future__ import annotations

import sys

import pytest

from green_assist.sensors import EnergyMeter

from .fake_nvml import FakeClock, fake_nvml


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def make_meter(monkeypatch, clock):
    """``make_meter(env, gpus=[...], migs=[...])``: discovery over a fake NVML module
    (in sys.modules, where the backend imports it) and a fake clock; no sampler thread,
    tests call ``meter.sample_now()`` where the thread would tick."""
    meters = []

    def make(env=None, gpus=None, migs=None, library_missing=False):
        if gpus is not None or library_missing:
            module = fake_nvml(clock, gpus or [], migs, library_missing=library_missing)
            monkeypatch.setitem(sys.modules, "pynvml", module)
        environment = {"GREEN_ASSIST_POWERCAP_ROOT": "/nonexistent-powercap"}
        environment.update(env or {})
        meter = EnergyMeter.from_environment(environment, clock=clock, start_sampler=False)
        meters.append(meter)
        return meter

    yield make
    for meter in meters:
        meter.close()
