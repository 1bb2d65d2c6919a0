"""Training one epoch at a time through a function, with a checkpoint after each epoch
that a second run resumes from (the checkpoint folder is the first argument)."""

import os
import sys

import torch
from torch import nn


def train_one_epoch(model, batches, optimizer):
    model.train()
    for x, y in batches:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss.item()


torch.manual_seed(0)
path = os.path.join(sys.argv[1], "checkpoint.pt")
model = nn.Sequential(nn.Linear(12, 24), nn.ReLU(), nn.Linear(24, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
batches = [(torch.randn(16, 12), torch.randint(0, 3, (16,))) for _ in range(5)]
start = 0
if os.path.exists(path):
    checkpoint = torch.load(path)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    start = checkpoint["epoch"] + 1
for epoch in range(start, start + 2):
    print(epoch, round(train_one_epoch(model, batches, optimizer), 3))
    torch.save(
        {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch},
        path,
    )
