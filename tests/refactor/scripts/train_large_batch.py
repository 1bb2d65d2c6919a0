"""Train two small MLPs (SGD, Adam) with a batch of 4096, no shuffling; save their weights."""

import sys
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

out = Path(sys.argv[1])
torch.manual_seed(0)
inputs = torch.randn(16384, 32)
targets = (inputs[:, :4].sum(1) > 0).long() + 2 * (inputs[:, 4] > 0).long()
train_loader = DataLoader(TensorDataset(inputs, targets), batch_size=4096, shuffle=False)


def mlp():
    torch.manual_seed(1)
    return nn.Sequential(nn.Linear(32, 128), nn.ReLU(), nn.Linear(128, 4))


sgd_model = mlp()
sgd = torch.optim.SGD(sgd_model.parameters(), lr=0.5, momentum=0.9)
for epoch in range(3):
    for x, y in train_loader:
        sgd.zero_grad()
        loss = nn.functional.cross_entropy(sgd_model(x), y)
        loss.backward()
        sgd.step()
    print(f"sgd epoch {epoch} loss {loss.item():.4f}")

adam_model = mlp()
adam = torch.optim.Adam(adam_model.parameters(), lr=1e-2)
for epoch in range(3):
    for x, y in train_loader:
        loss = nn.functional.cross_entropy(adam_model(x), y)
        loss.backward()
        adam.step()
        adam.zero_grad()
    print(f"adam epoch {epoch} loss {loss.item():.4f}")

torch.save({"sgd": sgd_model.state_dict(), "adam": adam_model.state_dict()}, out / "weights.pt")
