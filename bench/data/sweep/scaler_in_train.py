"""A training function that builds its own GradScaler on every call (once per epoch)."""

import os
import tempfile

import torch
from torch import nn

device = "cuda" if torch.cuda.is_available() else "cpu"


def train(model, optimizer, batches):
    scaler = torch.amp.GradScaler(device, enabled=device == "cuda")
    model.train()
    for x, y in batches:
        with torch.autocast(device_type=device, enabled=device == "cuda"):
            loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
    return loss.item()


model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 3)).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
data = [(torch.randn(8, 16, device=device), torch.randint(0, 3, (8,), device=device))] * 3
folder = tempfile.mkdtemp()
for epoch in range(2):
    print(epoch, round(train(model, optimizer, data), 3))
    torch.save(
        {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch},
        os.path.join(folder, "checkpoint.pt"),
    )
