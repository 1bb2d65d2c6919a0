"""A small GAN on 2-D points: the discriminator learns from a real and a fake loss
(two backward passes), then the generator takes its own step; three backward passes
and two optimizer steps per iteration."""

import torch
import torch.nn as nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
generator = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 2)).to(device)
discriminator = nn.Sequential(nn.Linear(2, 32), nn.LeakyReLU(0.2), nn.Linear(32, 1)).to(device)
g_opt = torch.optim.Adam(generator.parameters(), lr=1e-3, betas=(0.5, 0.999))
d_opt = torch.optim.Adam(discriminator.parameters(), lr=1e-3, betas=(0.5, 0.999))
bce = nn.BCEWithLogitsLoss()
points = torch.randn(256, 2) * 0.3 + 1.5

for epoch in range(2):
    for start in range(0, 128, 32):
        real = points[start : start + 32].to(device)
        noise = torch.randn(real.size(0), 8, device=device)
        fake = generator(noise)
        d_opt.zero_grad()
        real_loss = bce(discriminator(real), torch.ones(real.size(0), 1, device=device))
        real_loss.backward()
        fake_loss = bce(discriminator(fake.detach()), torch.zeros(real.size(0), 1, device=device))
        fake_loss.backward()
        d_opt.step()
        g_opt.zero_grad()
        g_loss = bce(discriminator(fake), torch.ones(real.size(0), 1, device=device))
        g_loss.backward()
        g_opt.step()
    print(f"epoch {epoch}: d {real_loss.item() + fake_loss.item():.3f} g {g_loss.item():.3f}")
