"""Negatives: evaluation under no_grad at the call site, checkpoints in a helper, device tensors."""

import argparse

import torch
from torch import nn
from torch.utils.data import DataLoader


def compute_metrics(model, loader, device):
    model.eval()
    correct = torch.zeros((), device=device)
    for x, y in loader:
        correct += (model(x.to(device)).argmax(1) == y.to(device)).sum()
    model.train()
    return correct


@torch.no_grad()
def preview(model, batch):
    return model(batch).softmax(-1)


def save_checkpoint(model, optimizer, epoch, path):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch}, path)


def make_noise(n, dim, device):
    return torch.randn(n, dim, device=device)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--log-interval", type=int, default=100)
    args = parser.parse_args()
    device = torch.device("cuda")
    model = nn.Linear(64, 10).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    train_loader = DataLoader(torch.load("train.pt"), batch_size=256, num_workers=4, pin_memory=True)
    val_loader = DataLoader(torch.load("val.pt"), batch_size=1024, num_workers=4, pin_memory=True)
    scaler = torch.amp.GradScaler("cuda")
    for epoch in range(args.epochs):
        for step, (x, y) in enumerate(train_loader):
            x = x.to(device, non_blocking=True) + 0.01 * make_noise(x.size(0), 64, device)
            with torch.autocast("cuda", dtype=torch.float16):
                loss = nn.functional.cross_entropy(model(x), y.to(device, non_blocking=True))
            optimizer.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
            if step % args.log_interval == 0:
                print(epoch, step, loss.item(), preview(model, x[:4]).cpu())
        with torch.inference_mode():
            correct = compute_metrics(model, val_loader, device)
        print(f"epoch {epoch}: {correct.item()} correct")
        save_checkpoint(model, optimizer, epoch, f"ckpt_{epoch}.pt")


if __name__ == "__main__":
    main()
