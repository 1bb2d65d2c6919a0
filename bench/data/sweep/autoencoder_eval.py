"""A denoising autoencoder; reconstruction error measured without gradients."""

import torch
import torch.nn as nn

torch.manual_seed(3)
encoder = nn.Sequential(nn.Linear(30, 12), nn.ReLU())
decoder = nn.Sequential(nn.Linear(12, 30))
autoencoder = nn.Sequential(encoder, decoder)
optimizer = torch.optim.Adam(autoencoder.parameters(), lr=5e-3)
data = torch.randn(128, 30)

for epoch in range(3):
    for start in range(0, 128, 32):
        clean = data[start : start + 32]
        noisy = clean + 0.1 * torch.randn_like(clean)
        reconstruction = autoencoder(noisy)
        loss = ((reconstruction - clean) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

autoencoder.eval()
with torch.no_grad():
    error = ((autoencoder(data) - data) ** 2).mean()
print(round(error.item(), 4))
