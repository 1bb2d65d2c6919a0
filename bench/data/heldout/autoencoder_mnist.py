"""Fully connected autoencoder shape: .cuda() everywhere, images saved every 10 epochs."""

import os

import torch
from torch import nn
from torch.autograd import Variable
from torch.utils.data import DataLoader
from torchvision import transforms
from torchvision.datasets import MNIST
from torchvision.utils import save_image

if not os.path.exists("./mlp_img"):
    os.mkdir("./mlp_img")


def to_img(x):
    x = 0.5 * (x + 1)
    x = x.clamp(0, 1)
    return x.view(x.size(0), 1, 28, 28)


num_epochs = 100
batch_size = 128
learning_rate = 1e-3
img_transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5], [0.5])])
dataset = MNIST("./data", transform=img_transform, download=True)
dataloader = DataLoader(dataset, batch_size=batch_size, shuffle=True)  # expect: GA107


class autoencoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(28 * 28, 128), nn.ReLU(True), nn.Linear(128, 12))
        self.decoder = nn.Sequential(nn.Linear(12, 128), nn.ReLU(True), nn.Linear(128, 28 * 28), nn.Tanh())

    def forward(self, x):
        return self.decoder(self.encoder(x))


model = autoencoder().cuda()
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate, weight_decay=1e-5)

for epoch in range(num_epochs):  # expect: GA115
    for data in dataloader:
        img, _ = data
        img = img.view(img.size(0), -1)
        img = Variable(img).cuda()
        output = model(img)
        loss = criterion(output, img)
        optimizer.zero_grad()
        loss.backward()  # expect: GA101
        optimizer.step()
    print(f"epoch [{epoch + 1}/{num_epochs}], loss:{loss.item():.4f}")
    if epoch % 10 == 0:
        pic = to_img(output.cpu().data)
        save_image(pic, f"./mlp_img/image_{epoch}.png")

torch.save(model.state_dict(), "./sim_autoencoder.pth")
