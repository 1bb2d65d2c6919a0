"""A GAN on 2-D points: the discriminator steps on real and fake losses, then the generator."""

import torch
import torch.nn as nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
latent = 8
G = nn.Sequential(nn.Linear(latent, 32), nn.ReLU(), nn.Linear(32, 2)).to(device)
D = nn.Sequential(nn.Linear(2, 32), nn.LeakyReLU(0.2), nn.Linear(32, 1)).to(device)
opt_g = torch.optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.999))
criterion = nn.BCEWithLogitsLoss()
real_points = torch.randn(512, 2) * 0.5 + 2.0

for epoch in range(2):
    for start in range(0, 128, 32):
        real = real_points[start : start + 32].to(device)
        z = torch.randn(real.size(0), latent, device=device)
        fake = G(z)

        opt_d.zero_grad()
        loss_real = criterion(D(real), torch.ones(real.size(0), 1, device=device))
        loss_real.backward()
        loss_fake = criterion(D(fake.detach()), torch.zeros(real.size(0), 1, device=device))
        loss_fake.backward()
        opt_d.step()

        opt_g.zero_grad()
        loss_g = criterion(D(fake), torch.ones(real.size(0), 1, device=device))
        loss_g.backward()
        opt_g.step()
    print(epoch, round(loss_real.item() + loss_fake.item(), 3), round(loss_g.item(), 3))
