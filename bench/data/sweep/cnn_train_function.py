"""A small CNN trained by a function called once per epoch; checkpoint at the end."""

import os
import tempfile

import torch
from torch import nn
from torch.nn import functional as F


class TinyCNN(nn.Module):
    def __init__(self, channels=8):
        super().__init__()
        self.conv1 = nn.Conv2d(1, channels, 3, padding=1)
        self.conv2 = nn.Conv2d(channels, channels * 2, 3, padding=1)
        self.fc = nn.Linear(channels * 2 * 7 * 7, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc(x.flatten(1))


def batches(count=4, size=16):
    for _ in range(count):
        yield torch.randn(size, 1, 28, 28), torch.randint(0, 10, (size,))


def train_one_epoch(model, optimizer, device):
    model.train()
    total = 0.0
    for images, labels in batches():
        images, labels = images.to(device), labels.to(device)
        logits = model(images)
        loss = F.cross_entropy(logits, labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total


def main():
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = TinyCNN().to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    for epoch in range(2):
        print(epoch, round(train_one_epoch(model, optimizer, device), 3))
    torch.save(model.state_dict(), os.path.join(tempfile.mkdtemp(), "cnn.pt"))


if __name__ == "__main__":
    main()
