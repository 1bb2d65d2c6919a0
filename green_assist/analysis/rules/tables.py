"""Data the rules match against: qualified names and keyword names, kept as data."""

from __future__ import annotations

# GA103: deprecated AMP entry points -> (replacement, device argument).
DEPRECATED_AMP: dict[str, tuple[str, str]] = {
    "torch.cuda.amp.autocast": ("torch.amp.autocast", "cuda"),
    "torch.cuda.amp.autocast_mode.autocast": ("torch.amp.autocast", "cuda"),
    "torch.cuda.amp.GradScaler": ("torch.amp.GradScaler", "cuda"),
    "torch.cuda.amp.grad_scaler.GradScaler": ("torch.amp.GradScaler", "cuda"),
    "torch.cuda.amp.custom_fwd": ("torch.amp.custom_fwd", "cuda"),
    "torch.cuda.amp.custom_bwd": ("torch.amp.custom_bwd", "cuda"),
    "torch.cpu.amp.autocast": ("torch.amp.autocast", "cpu"),
    "torch.cpu.amp.autocast_mode.autocast": ("torch.amp.autocast", "cpu"),
    "torch.cpu.amp.GradScaler": ("torch.amp.GradScaler", "cpu"),
    "torch.cpu.amp.grad_scaler.GradScaler": ("torch.amp.GradScaler", "cpu"),
}
# Positional parameters of the deprecated constructors (the new ones take the device first).
DEPRECATED_AMP_POSITIONAL: dict[str, tuple[str, ...]] = {
    "torch.amp.autocast": ("enabled", "dtype", "cache_enabled"),
    "torch.amp.GradScaler": (
        "init_scale",
        "growth_factor",
        "backoff_factor",
        "growth_interval",
        "enabled",
    ),
}

DATALOADERS = frozenset({"torch.utils.data.DataLoader", "torch.utils.data.dataloader.DataLoader"})
TENSOR_DATASETS = frozenset(
    {"torch.utils.data.TensorDataset", "torch.utils.data.dataset.TensorDataset"}
)
# Text that says the code runs on an accelerator where pinned host memory speeds up copies.
ACCELERATOR_MARKERS = ("cuda", "xpu")
