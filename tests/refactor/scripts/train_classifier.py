"""A small classifier trained on synthetic data, written the way a user would."""

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

features = torch.randn(512, 32)
labels = (features[:, 0] + features[:, 1] > 0).long()
train_loader = DataLoader(TensorDataset(features, labels), batch_size=64, shuffle=True)

model = nn.Sequential(nn.Linear(32, 128), nn.ReLU(), nn.Linear(128, 2)).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()

for epoch in range(2):
    model.train()
    for x, y in train_loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        logits = model(x)
        loss = criterion(logits, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimizer.step()

    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in train_loader:
            predictions = model(x.to(device))
            correct += (predictions.argmax(1) == y.to(device)).sum().item()
    print(f"epoch {epoch}: loss {loss.item():.4f} accuracy {correct / len(labels):.3f}")
