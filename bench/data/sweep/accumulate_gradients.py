"""Gradient accumulation over four micro-batches, with a learning-rate schedule."""

import torch
from torch import nn

accumulation = 4
model = nn.Sequential(nn.Linear(10, 32), nn.GELU(), nn.Linear(32, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
inputs, outputs = torch.randn(64, 10), torch.randn(64, 1)

for epoch in range(2):
    optimizer.zero_grad()
    for index in range(8):
        x = inputs[index * 8 : (index + 1) * 8]
        y = outputs[index * 8 : (index + 1) * 8]
        loss = nn.functional.mse_loss(model(x), y) / accumulation
        loss.backward()
        if (index + 1) % accumulation == 0:
            optimizer.step()
            optimizer.zero_grad()
    scheduler.step()
    print(epoch, round(loss.item() * accumulation, 4))
