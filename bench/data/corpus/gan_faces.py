"""DCGAN-style training script: samples every N steps with the generator."""

import argparse
import os

import torch
import torch.nn as nn
import torchvision.utils as vutils
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

parser = argparse.ArgumentParser()
parser.add_argument("--dataroot", required=True)
parser.add_argument("--workers", type=int, default=2)
parser.add_argument("--batch-size", type=int, default=128)
parser.add_argument("--nz", type=int, default=100)
parser.add_argument("--niter", type=int, default=25)
parser.add_argument("--outf", default="out")
opt = parser.parse_args()
os.makedirs(opt.outf, exist_ok=True)
device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")

dataset = datasets.ImageFolder(opt.dataroot, transform=transforms.ToTensor())
loader = DataLoader(dataset, batch_size=opt.batch_size, shuffle=True, num_workers=opt.workers)  # expect: GA107


class Generator(nn.Module):
    def __init__(self, nz):
        super().__init__()
        self.main = nn.Sequential(nn.ConvTranspose2d(nz, 64, 4, 1, 0, bias=False), nn.Tanh())

    def forward(self, z):
        return self.main(z)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(nn.Conv2d(3, 1, 4, 1, 0, bias=False), nn.Sigmoid())

    def forward(self, x):
        return self.main(x).view(-1)


netG = Generator(opt.nz).to(device)
netD = Discriminator().to(device)
criterion = nn.BCELoss()
fixed_noise = torch.randn(64, opt.nz, 1, 1, device=device)
optD = torch.optim.Adam(netD.parameters(), lr=2e-4, betas=(0.5, 0.999))
optG = torch.optim.Adam(netG.parameters(), lr=2e-4, betas=(0.5, 0.999))

for epoch in range(opt.niter):
    for i, (real, _) in enumerate(loader):
        real = real.to(device)
        b = real.size(0)
        netD.zero_grad()
        label = torch.full((b,), 1.0, device=device)
        errD_real = criterion(netD(real), label)
        errD_real.backward()  # expect: GA101
        noise = torch.randn(b, opt.nz, 1, 1).to(device)  # expect: GA112
        fake = netG(noise)
        label.fill_(0.0)
        errD_fake = criterion(netD(fake.detach()), label)
        errD_fake.backward()
        optD.step()
        netG.zero_grad()
        label.fill_(1.0)
        errG = criterion(netD(fake), label)
        errG.backward()
        optG.step()
        if i % 100 == 0:
            print(f"[{epoch}/{opt.niter}][{i}] D {errD_real.item() + errD_fake.item():.3f} G {errG.item():.3f}")
            fake = netG(fixed_noise)  # expect: GA106
            vutils.save_image(fake.detach(), f"{opt.outf}/fake_{epoch:03d}.png", normalize=True)
    torch.save(netG.state_dict(), f"{opt.outf}/netG_{epoch}.pth")
    torch.save(netD.state_dict(), f"{opt.outf}/netD_{epoch}.pth")
