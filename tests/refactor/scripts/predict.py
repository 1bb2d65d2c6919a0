"""Train a small MLP briefly, then predict on a fixed batch and save the results."""

import sys
from pathlib import Path

import torch
from torch import nn

out = Path(sys.argv[1])
torch.manual_seed(0)
inputs = torch.randn(1024, 64)
targets = inputs[:, :10].argmax(1)

model = nn.Sequential(
    nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10)
)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for _ in range(20):
    loss = nn.functional.cross_entropy(model(inputs), targets)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

model.eval()
with torch.no_grad():
    scores = model(inputs[:256])
torch.save(scores, out / "scores.pt")
torch.save(model.state_dict(), out / "model.pt")
