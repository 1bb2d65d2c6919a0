"""Conditional GAN (the PyTorch-GAN implementations shape): a sampling helper uses globals."""

import argparse

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.utils import save_image

parser = argparse.ArgumentParser()
parser.add_argument("--n_epochs", type=int, default=200)
parser.add_argument("--batch_size", type=int, default=64)
parser.add_argument("--latent_dim", type=int, default=100)
parser.add_argument("--n_classes", type=int, default=10)
parser.add_argument("--sample_interval", type=int, default=400)
opt = parser.parse_args()
cuda = torch.cuda.is_available()


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(opt.n_classes, opt.n_classes)
        self.model = nn.Sequential(nn.Linear(opt.latent_dim + opt.n_classes, 784), nn.Tanh())

    def forward(self, noise, labels):
        return self.model(torch.cat((self.embed(labels), noise), -1)).view(-1, 1, 28, 28)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(opt.n_classes, opt.n_classes)
        self.model = nn.Sequential(nn.Linear(784 + opt.n_classes, 1))

    def forward(self, img, labels):
        return self.model(torch.cat((img.view(img.size(0), -1), self.embed(labels)), -1))


adversarial_loss = nn.MSELoss()
generator = Generator()
discriminator = Discriminator()
if cuda:
    generator.cuda()
    discriminator.cuda()

dataloader = DataLoader(  # expect: GA107
    datasets.MNIST("data", train=True, download=True, transform=transforms.ToTensor()),
    batch_size=opt.batch_size,
    shuffle=True,
)
optimizer_G = torch.optim.Adam(generator.parameters(), lr=2e-4)
optimizer_D = torch.optim.Adam(discriminator.parameters(), lr=2e-4)
device = "cuda" if cuda else "cpu"


def sample_image(n_row, batches_done):
    z = torch.from_numpy(np.random.normal(0, 1, (n_row**2, opt.latent_dim))).float().to(device)
    labels = torch.tensor([num for _ in range(n_row) for num in range(n_row)], device=device)
    gen_imgs = generator(z, labels)  # expect: GA106
    save_image(gen_imgs.data, "images/%d.png" % batches_done, nrow=n_row, normalize=True)


for epoch in range(opt.n_epochs):  # expect: GA115
    for i, (imgs, labels) in enumerate(dataloader):
        real_imgs, labels = imgs.to(device), labels.to(device)
        valid = torch.ones(imgs.size(0), 1, device=device)
        fake = torch.zeros(imgs.size(0), 1, device=device)
        optimizer_G.zero_grad()
        z = torch.randn(imgs.size(0), opt.latent_dim, device=device)
        gen_labels = torch.randint(0, opt.n_classes, (imgs.size(0),), device=device)
        gen_imgs = generator(z, gen_labels)
        g_loss = adversarial_loss(discriminator(gen_imgs, gen_labels), valid)
        g_loss.backward()  # expect: GA101
        optimizer_G.step()
        optimizer_D.zero_grad()
        d_real = adversarial_loss(discriminator(real_imgs, labels), valid)
        d_fake = adversarial_loss(discriminator(gen_imgs.detach(), gen_labels), fake)
        d_loss = (d_real + d_fake) / 2
        d_loss.backward()
        optimizer_D.step()
        print(f"[{epoch}] [{i}/{len(dataloader)}] D {d_loss.item():.3f} G {g_loss.item():.3f}")  # expect: GA108
        batches_done = epoch * len(dataloader) + i
        if batches_done % opt.sample_interval == 0:
            sample_image(n_row=10, batches_done=batches_done)
