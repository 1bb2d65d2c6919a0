"""Written against the old torch.cuda.amp API, guarded so it also runs on a CPU."""

import torch
from torch import nn

use_amp = torch.cuda.is_available()
model = nn.Sequential(nn.Linear(10, 20), nn.ReLU(), nn.Linear(20, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scaler = torch.cuda.amp.GradScaler(enabled=use_amp)
for step in range(4):
    x, y = torch.randn(8, 10), torch.randint(0, 2, (8,))
    with torch.cuda.amp.autocast(enabled=use_amp):
        loss = nn.functional.cross_entropy(model(x), y)
    optimizer.zero_grad()
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
print(round(loss.item(), 3))
