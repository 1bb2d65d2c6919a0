"""A shared trunk with two heads; both losses added, one optimizer."""

import torch
import torch.nn as nn


class MultiTask(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(12, 40), nn.ReLU())
        self.classify = nn.Linear(40, 3)
        self.regress = nn.Linear(40, 1)

    def forward(self, x):
        shared = self.trunk(x)
        return self.classify(shared), self.regress(shared)


model = MultiTask()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for _ in range(4):
        x = torch.randn(16, 12)
        label, value = torch.randint(0, 3, (16,)), torch.randn(16, 1)
        logits, estimate = model(x)
        loss = nn.functional.cross_entropy(logits, label) + 0.5 * nn.functional.mse_loss(estimate, value)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, round(loss.item(), 3))
