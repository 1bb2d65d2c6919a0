"""Train a wide MLP on a synthetic classification task, printing the loss of every step."""

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
x_train = torch.randn(2048, 20)
y_train = (x_train[:, :5].sum(1) > 0).long()

model = nn.Sequential(
    nn.Linear(20, 512),
    nn.ReLU(),
    nn.Linear(512, 512),
    nn.ReLU(),
    nn.Linear(512, 2),
)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for step in range(40):
    batch = torch.randint(0, len(x_train), (128,))
    x, y = x_train[batch], y_train[batch]
    logits = model(x)
    loss = F.cross_entropy(logits, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(f"step {step} loss {loss.item():.5f}")
print("parameters", sum(p.numel() for p in model.parameters()))
