"""The hardware that advice is for, and which low precision pays off on it.

A :class:`Target` is a device kind (``any``, ``cpu``, ``cuda``, ``mps``, ``xpu``) and,
where they are known, the facts that decide whether a precision change pays off: the
CPU's bf16 matrix instructions and each GPU's compute capability. It comes from

* ``--target`` / ``target = "..."`` in ``[tool.green-assist]`` / the language server's
  ``initializationOptions`` (:func:`parse_target`; ``auto`` means this machine);
* the kernel's own description of its machine, which the sidebar sends with each
  analysis (:meth:`Target.from_hardware`).

:func:`fast_autocast_dtypes` is the one place that decides which autocast dtypes run
faster than float32 on which hardware. Rules (which advice to give), refactors (what
their generated code will do here), the profiler's runtime advice and the
expected-effect estimate all ask it; :data:`AUTOCAST_HELPER`, the function the
mixed-precision refactor writes into user code, makes the same decision at run time
(``tests/test_target.py`` checks that the two agree).

Sources for the policy: NVIDIA tensor cores run float16 from compute capability 7.0
(Volta) and bfloat16 from 8.0 (Ampere) (CUDA C++ Programming Guide, "Compute
Capabilities"); on CPUs, bfloat16 matrix instructions are AMX-BF16 (Intel Sapphire
Rapids and newer) and AVX-512 BF16 (Intel Cooper Lake, AMD Zen 4) (Intel 64 and IA-32
Architectures Optimization Reference Manual; AMD Zen 4 ISA); without them PyTorch's CPU
autocast converts to bf16 and back around every product, which was 2-2.5x *slower*
than FP32 on an AVX2-only EPYC (``bench/autocast_cpu.py``).
"""

from __future__ import annotations

import platform
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DEVICE_KINDS = ("any", "cpu", "cuda", "mps", "xpu")
TARGET_CHOICES = ("auto", *DEVICE_KINDS)
ACCELERATORS = ("cuda", "mps", "xpu")
# CPU flags (Linux /proc/cpuinfo names) that give bf16 matrix throughput.
CPU_BF16_FLAGS = ("amx_bf16", "avx512_bf16")
_FLAG_NAMES = {"amx_bf16": "AMX-BF16", "avx512_bf16": "AVX-512 BF16"}


# What the mixed-precision refactor writes into user code: the policy above, decided at
# run time on the device the code actually runs on (no green_assist import needed).
AUTOCAST_HELPER_NAME = "autocast_dtype"
AUTOCAST_HELPER = '''
def autocast_dtype(device_type, allowed=(torch.bfloat16, torch.float16)):
    """The first of `allowed` that runs faster than float32 on `device_type`, else None.

    Low precision pays off only with matrix units for it: NVIDIA tensor cores (float16
    from compute capability 7.0, bfloat16 from 8.0), CPUs with AMX or AVX-512 BF16
    (bfloat16), Apple GPUs (float16) and Intel GPUs. Elsewhere autocast is slower than
    float32, so the caller keeps float32 (None). Written by green-assist.
    """
    fast = ()
    if device_type == "cuda" and torch.cuda.is_available():
        capability = torch.cuda.get_device_capability()
        if capability >= (8, 0):
            fast = (torch.bfloat16, torch.float16)
        elif capability >= (7, 0):
            fast = (torch.float16,)
    elif device_type == "cpu":
        if torch.cpu._is_amx_tile_supported() or torch.cpu._is_avx512_bf16_supported():
            fast = (torch.bfloat16,)
    elif device_type == "mps":
        fast = (torch.float16,)
    elif device_type == "xpu":
        fast = (torch.bfloat16, torch.float16)
    return next((dtype for dtype in allowed if dtype in fast), None)
'''.lstrip("\n")


class TargetError(ValueError):
    """A target that cannot be used; the message says what is accepted."""


def fast_autocast_dtypes(
    device: str,
    *,
    compute_capability: tuple[int, int] | None = None,
    cpu_bf16: str | None = None,
) -> tuple[str, ...]:
    """Autocast dtypes that run faster than float32 on ``device``, best first.

    ``compute_capability`` is the CUDA device's (None: not known, assume Ampere or
    newer as any recent data-centre GPU is); ``cpu_bf16`` is the CPU's bf16 flag
    (``amx_bf16``, ``avx512_bf16``) or None when it has neither.
    """
    if device == "cuda":
        if compute_capability is None or compute_capability >= (8, 0):
            return ("bfloat16", "float16")
        return ("float16",) if compute_capability >= (7, 0) else ()
    if device == "cpu":
        return ("bfloat16",) if cpu_bf16 in CPU_BF16_FLAGS else ()
    if device == "mps":
        return ("float16",)
    if device == "xpu":
        return ("bfloat16", "float16")
    return ()


@dataclass(frozen=True)
class GpuTarget:
    name: str
    compute_capability: tuple[int, int] | None = None

    def fast_dtypes(self) -> tuple[str, ...]:
        return fast_autocast_dtypes("cuda", compute_capability=self.compute_capability)

    def describe(self) -> str:
        cc = self.compute_capability
        return f"{self.name} (compute {cc[0]}.{cc[1]})" if cc else self.name


@dataclass(frozen=True)
class Target:
    """What the code is expected to run on; see the module docstring."""

    device: str = "any"
    # Facts, known only for a real machine (``auto`` or the kernel's hardware).
    known: bool = False
    cpu_model: str | None = None
    cpu_bf16: str | None = None
    gpus: tuple[GpuTarget, ...] = field(default_factory=tuple)
    origin: str = "default"

    @property
    def accelerator(self) -> bool:
        """Whether accelerator-only advice applies (``any`` keeps every piece of advice)."""
        return self.device in ("any", *ACCELERATORS)

    def fast_dtypes(self) -> tuple[str, ...] | None:
        """Autocast dtypes faster than float32 here; None when the target does not say."""
        if self.device == "any":
            return None
        if self.device == "cuda" and self.gpus:
            found: list[str] = []
            for gpu in self.gpus:
                found.extend(d for d in gpu.fast_dtypes() if d not in found)
            return tuple(found)
        if self.device == "cpu" and not self.known:
            return ()  # a CPU in general: no bf16 units assumed
        return fast_autocast_dtypes(self.device, cpu_bf16=self.cpu_bf16)

    @property
    def low_precision_pays_off(self) -> bool:
        """Whether mixed-precision advice fits (``any``: yes, as it always did)."""
        fast = self.fast_dtypes()
        return fast is None or bool(fast)

    def describe(self) -> str:
        """For people: ``this machine: AMD EPYC (AVX-512 BF16), no GPU``."""
        if self.device == "any":
            return "any hardware"
        if not self.known:
            return {
                "cpu": "a CPU without bf16 matrix units (AMX or AVX-512 BF16 unknown)",
                "cuda": "an NVIDIA GPU",
                "mps": "an Apple GPU (mps)",
                "xpu": "an Intel GPU (xpu)",
            }[self.device]
        cpu = self.cpu_model or "CPU"
        units = _FLAG_NAMES.get(self.cpu_bf16 or "", "")
        cpu += f" ({units})" if units else " (no AMX or AVX-512 BF16)"
        if self.gpus:
            gpus = ", ".join(gpu.describe() for gpu in self.gpus)
            return f"{self.origin}: {gpus}; {cpu}"
        extra = ", Apple GPU (mps)" if self.device == "mps" else ", no GPU"
        return f"{self.origin}: {cpu}{extra}"

    def to_dict(self) -> dict[str, Any]:
        fast = self.fast_dtypes()
        return {
            "device": self.device,
            "known": self.known,
            "description": self.describe(),
            "fast_dtypes": list(fast) if fast is not None else None,
        }

    @classmethod
    def from_hardware(
        cls, hardware: Mapping[str, Any], origin: str = "the kernel's machine"
    ) -> Target:
        """From a profiler ``hardware`` description (the kernel's hello, or a record).

        Raises :class:`TargetError` when a field has the wrong type.
        """
        gpus: list[GpuTarget] = []
        raw_gpus = hardware.get("gpus") or []
        if not isinstance(raw_gpus, list) or len(raw_gpus) > 64:
            raise TargetError("hardware.gpus must be a list of at most 64 GPUs")
        for gpu in raw_gpus:
            if not isinstance(gpu, Mapping):
                raise TargetError("each of hardware.gpus must be an object")
            name = _text(gpu.get("name"), "hardware.gpus[].name") or "GPU"
            gpus.append(GpuTarget(name, _capability(gpu.get("compute_capability"))))
        bf16 = _text(hardware.get("cpu_fast_bf16"), "hardware.cpu_fast_bf16")
        device = "cuda" if gpus else _text(hardware.get("accelerator"), "hardware.accelerator")
        if device not in (None, *ACCELERATORS):
            raise TargetError(f"hardware.accelerator must be one of {', '.join(ACCELERATORS)}")
        return cls(
            device=device or "cpu",
            known=True,
            cpu_model=_text(hardware.get("cpu_model"), "hardware.cpu_model"),
            cpu_bf16=bf16 if bf16 in CPU_BF16_FLAGS else None,
            gpus=tuple(gpus),
            origin=origin,
        )


ANY = Target()


def _text(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 300:
        raise TargetError(f"{where} must be text of at most 300 characters")
    return value


def _capability(value: Any) -> tuple[int, int] | None:
    """``"8.0"`` or ``[8, 0]`` -> (8, 0); None when absent."""
    if value is None:
        return None
    parts = value.split(".") if isinstance(value, str) else value
    if (
        isinstance(parts, (list, tuple))
        and len(parts) == 2
        and all(str(p).isdigit() and len(str(p)) <= 3 for p in parts)
    ):
        return int(parts[0]), int(parts[1])
    raise TargetError(f"a compute capability looks like '8.0', got {value!r}")


def detect_target() -> Target:
    """This machine, as ``--target auto`` sees it (NVML for GPUs, cpuinfo for the CPU)."""
    from .profiler.hardware import GpuProbe, describe_hardware

    probe = GpuProbe()
    try:
        hardware = dict(describe_hardware(probe))
    finally:
        probe.close()
    if not hardware.get("gpus") and platform.system() == "Darwin" and platform.machine() == "arm64":
        hardware["accelerator"] = "mps"
    return Target.from_hardware(hardware, origin="this machine")


def parse_target(spec: str) -> Target:
    """``auto`` (this machine), ``any``, ``cpu``, ``cuda``, ``mps`` or ``xpu``."""
    value = spec.strip().lower()
    if value == "auto":
        return detect_target()
    if value not in DEVICE_KINDS:
        raise TargetError(f"target must be one of {', '.join(TARGET_CHOICES)}, got {spec!r}")
    return Target(device=value, origin=f"target {value}")
