"""Training configured by a dataclass and a dict: batch size and logging on the default path."""

from dataclasses import dataclass, field

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


@dataclass
class TrainConfig:
    epochs: int = 20
    batch_size: int = 4096  # expect: GA113
    log_every: int = 1
    lr: float = field(default=3e-4)
    device: str = "cuda"


LOGGING = {"print_every": 1, "save_dir": "ckpt"}


def build_model(cfg):
    return nn.Sequential(nn.Linear(128, 256), nn.GELU(), nn.Linear(256, 10)).to(cfg.device)


def run(cfg):
    data = TensorDataset(torch.randn(100000, 128), torch.randint(0, 10, (100000,)))
    loader = DataLoader(data, batch_size=cfg.batch_size, shuffle=True, pin_memory=True)
    model = build_model(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr)
    step = 0
    for epoch in range(cfg.epochs):  # expect: GA115
        for xb, yb in loader:
            xb, yb = xb.to(cfg.device), yb.to(cfg.device)
            loss = nn.functional.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()  # expect: GA101
            opt.step()
            if step % cfg.log_every == 0:
                print(f"step {step}: {loss.item():.4f}")  # expect: GA108
            if step % LOGGING["print_every"] == 0:
                norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0).item()  # expect: GA108
            step += 1


if __name__ == "__main__":
    run(TrainConfig())
