"""An evaluation every epoch whose result is only printed every few epochs."""

import torch
from torch import nn
from torch.utils.data import DataLoader

device = "cuda"
model = nn.Linear(20, 2).to(device)
optimizer = torch.optim.Adam(model.parameters())
train_loader = DataLoader(torch.load("train.pt"), batch_size=128, num_workers=2, pin_memory=True)
val_loader = DataLoader(torch.load("val.pt"), batch_size=512, num_workers=2, pin_memory=True)


def train_one_epoch():
    model.train()
    for x, y in train_loader:
        with torch.autocast("cuda", dtype=torch.bfloat16):
            loss = nn.functional.cross_entropy(model(x.to(device)), y.to(device))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


@torch.no_grad()
def score(loader):
    model.eval()
    hits = torch.zeros((), device=device)
    for x, y in loader:
        hits += (model(x.to(device)).argmax(1) == y.to(device)).sum()
    model.train()
    return hits / len(loader.dataset)


best = 0.0
for epoch in range(100):
    train_one_epoch()
    val_acc = score(val_loader)  # expect: GA111
    if epoch % 10 == 0:
        print(f"epoch {epoch}: val acc {val_acc.item():.3f}")
    torch.save(model.state_dict(), "last.pt")

for epoch in range(100):
    train_one_epoch()
    val_acc = score(val_loader)
    if val_acc > best:
        best = val_acc
        torch.save(model.state_dict(), "best.pt")
