"""Negative twin of digits_cli.py: logs every 50 steps, checkpoints every epoch, bf16 autocast."""

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
    running = torch.zeros((), device=device)
    for step, (images, labels) in enumerate(loader):
        images, labels = images.to(device, non_blocking=True), labels.to(device, non_blocking=True)
        optimizer.zero_grad()
        with torch.autocast(device.type, dtype=torch.bfloat16):
            loss = F.nll_loss(net(images), labels)
        loss.backward()
        optimizer.step()
        running += loss.detach()
        if step % opts.log_every == 0:
            print(f"epoch {epoch} step {step} loss {running.item() / (step + 1):.4f}")


@torch.inference_mode()
def check(net, device, loader):
    net.eval()
    correct = 0
    for images, labels in loader:
        out = net(images.to(device))
        correct += (out.argmax(1) == labels.to(device)).sum()
    return correct.item() / len(loader.dataset)


def main():
    parser = argparse.ArgumentParser(description="digits")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--log-every", type=int, default=50)
    opts = parser.parse_args()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    tfm = transforms.Compose([transforms.ToTensor()])
    train_set = datasets.MNIST("data", train=True, download=True, transform=tfm)
    train_loader = DataLoader(train_set, batch_size=opts.batch_size, shuffle=True, num_workers=4, pin_memory=True)
    test_loader = DataLoader(datasets.MNIST("data", train=False, transform=tfm), batch_size=1000, num_workers=4, pin_memory=True)
    net = ConvNet().to(device)
    optimizer = torch.optim.Adadelta(net.parameters())
    for epoch in range(1, opts.epochs + 1):
        fit_epoch(opts, net, device, train_loader, optimizer, epoch)
        print(f"accuracy {check(net, device, test_loader):.3f}")
        torch.save({"model": net.state_dict(), "epoch": epoch}, "digits.ckpt")


if __name__ == "__main__":
    main()
