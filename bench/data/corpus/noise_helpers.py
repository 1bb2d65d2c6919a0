"""CPU tensors moved inside helpers, and data counted by materialising a loader in a helper."""

import torch
from torch import nn
from torch.utils.data import DataLoader

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
LATENT = 64


def make_noise(n):
    z = torch.randn(n, LATENT)  # expect: GA112
    return z.to(device)


def sample_codes(n):
    return torch.randint(0, 10, (n,))


def one_hot(labels, classes=10):
    out = torch.zeros(labels.size(0), classes, device=labels.device)
    return out.scatter_(1, labels.unsqueeze(1), 1.0)


def steps_in(dl):
    return len(list(dl))  # expect: GA111


decoder = nn.Sequential(nn.Linear(LATENT + 10, 256), nn.ReLU(), nn.Linear(256, 784)).to(device)
opt = torch.optim.Adam(decoder.parameters(), lr=1e-3)
images = DataLoader(torch.load("images.pt"), batch_size=128, shuffle=True, num_workers=4, pin_memory=True)
print("steps per epoch:", steps_in(images))
for epoch in range(50):  # expect: GA115
    for target in images:
        codes = sample_codes(target.size(0)).to(device)  # expect: GA112
        z = torch.cat([make_noise(target.size(0)), one_hot(codes)], dim=1)
        with torch.autocast("cuda", dtype=torch.bfloat16):
            loss = nn.functional.mse_loss(decoder(z), target.to(device).flatten(1))
        opt.zero_grad()
        loss.backward()
        opt.step()
