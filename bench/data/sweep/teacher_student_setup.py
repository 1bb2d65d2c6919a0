"""A wide classifier trained briefly: the kind of model distillation starts from."""

import torch
from torch import nn


class Wide(nn.Module):
    def __init__(self, hidden=128):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(24, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 4))

    def forward(self, x):
        return self.layers(x)


model = Wide()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_function = nn.CrossEntropyLoss()
for epoch in range(2):
    for _ in range(3):
        inputs = torch.randn(32, 24)
        targets = torch.randint(0, 4, (32,))
        loss = loss_function(model(inputs), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, round(loss.item(), 3))
