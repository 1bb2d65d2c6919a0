"""Digit classifier trained from the command line (the pytorch/examples MNIST shape)."""

import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class ConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 16, 3)
        self.head = nn.Linear(16 * 26 * 26, 10)

    def forward(self, x):
        x = F.relu(self.conv(x))
        return F.log_softmax(self.head(torch.flatten(x, 1)), dim=1)


def fit_epoch(opts, net, device, loader, optimizer, epoch):
    net.train()
    for step, (images, labels) in enumerate(loader):
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = F.nll_loss(net(images), labels)
        loss.backward()  # expect: GA101
        optimizer.step()
        if step % opts.log_every == 0:
            print(f"epoch {epoch} step {step} loss {loss.item():.4f}")  # expect: GA108


def check(net, device, loader):
    net.eval()
    correct = 0
    with torch.no_grad():
        for images, labels in loader:
            out = net(images.to(device))
            correct += (out.argmax(1) == labels.to(device)).sum().item()
    return correct / len(loader.dataset)


def main():
    parser = argparse.ArgumentParser(description="digits")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--lr", type=float, default=1.0)
    parser.add_argument("--log-every", type=int, default=1, help="steps between log lines")
    parser.add_argument("--save-model", action="store_true", default=False)
    opts = parser.parse_args()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    tfm = transforms.Compose([transforms.ToTensor()])
    train_set = datasets.MNIST("data", train=True, download=True, transform=tfm)
    test_set = datasets.MNIST("data", train=False, transform=tfm)
    train_loader = DataLoader(train_set, batch_size=opts.batch_size, shuffle=True, num_workers=2, pin_memory=True)
    test_loader = DataLoader(test_set, batch_size=1000, num_workers=2, pin_memory=True)
    net = ConvNet().to(device)
    optimizer = torch.optim.Adadelta(net.parameters(), lr=opts.lr)
    for epoch in range(1, opts.epochs + 1):  # expect: GA115
        fit_epoch(opts, net, device, train_loader, optimizer, epoch)
        print(f"accuracy {check(net, device, test_loader):.3f}")
    if opts.save_model:
        torch.save(net.state_dict(), "digits.pt")


if __name__ == "__main__":
    main()
