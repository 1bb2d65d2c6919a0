"""An MLP classifier on synthetic blobs, with a validation pass after each epoch."""

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(1)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
points = torch.randn(256, 20)
classes = (points[:, :3].sum(1) > 0).long()
train = DataLoader(TensorDataset(points[:192], classes[:192]), batch_size=32, shuffle=True)
val = DataLoader(TensorDataset(points[192:], classes[192:]), batch_size=64)

net = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 2)).to(device)
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()

for epoch in range(2):
    net.train()
    for features, target in train:
        features, target = features.to(device), target.to(device)
        opt.zero_grad()
        loss = loss_fn(net(features), target)
        loss.backward()
        opt.step()
    net.eval()
    hits = 0
    with torch.no_grad():
        for features, target in val:
            hits += (net(features.to(device)).argmax(1) == target.to(device)).sum().item()
    print(epoch, round(loss.item(), 3), hits)
