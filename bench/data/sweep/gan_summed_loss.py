"""A conditional GAN where the discriminator's two losses are summed before backward."""

import torch
from torch import nn

device = "cuda" if torch.cuda.is_available() else "cpu"


class Generator(nn.Module):
    def __init__(self, noise=16, labels=4):
        super().__init__()
        self.embed = nn.Embedding(labels, noise)
        self.net = nn.Sequential(nn.Linear(noise, 64), nn.ReLU(), nn.Linear(64, 12))

    def forward(self, z, y):
        return self.net(z * self.embed(y))


class Critic(nn.Module):
    def __init__(self, labels=4):
        super().__init__()
        self.embed = nn.Embedding(labels, 12)
        self.net = nn.Sequential(nn.Linear(12, 64), nn.LeakyReLU(0.1), nn.Linear(64, 1))

    def forward(self, x, y):
        return self.net(x * self.embed(y))


generator, critic = Generator().to(device), Critic().to(device)
g_optimizer = torch.optim.AdamW(generator.parameters(), lr=2e-4)
c_optimizer = torch.optim.AdamW(critic.parameters(), lr=2e-4)
bce = nn.BCEWithLogitsLoss()

for step in range(6):
    samples = torch.randn(16, 12, device=device)
    y = torch.randint(0, 4, (16,), device=device)
    ones, zeros = torch.ones(16, 1, device=device), torch.zeros(16, 1, device=device)

    generated = generator(torch.randn(16, 16, device=device), y)
    d_loss = bce(critic(samples, y), ones) + bce(critic(generated.detach(), y), zeros)
    c_optimizer.zero_grad()
    d_loss.backward()
    c_optimizer.step()

    g_loss = bce(critic(generated, y), ones)
    g_optimizer.zero_grad()
    g_loss.backward()
    g_optimizer.step()
    if step % 3 == 0:
        print(step, round(d_loss.item(), 3), round(g_loss.item(), 3))
