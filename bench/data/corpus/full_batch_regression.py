"""Full-batch regression on a synthetic tensor: no DataLoader, the whole set every step."""

import torch
from torch import nn

N_SAMPLES = 20000
FEATURES = 32
STEPS = 3000
device = "cuda" if torch.cuda.is_available() else "cpu"

X = torch.randn(N_SAMPLES, FEATURES).to(device)  # expect: GA112
true_w = torch.randn(FEATURES, 1, device=device)
y = X @ true_w + 0.1 * torch.randn(N_SAMPLES, 1, device=device)

model = nn.Sequential(nn.Linear(FEATURES, 64), nn.ReLU(), nn.Linear(64, 1)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
history = []
for step in range(STEPS):  # expect: GA115
    optimizer.zero_grad()
    pred = model(X)  # expect: GA113
    loss = nn.functional.mse_loss(pred, y)
    loss.backward()  # expect: GA101
    optimizer.step()
    history.append(loss.detach())
    if step % 500 == 0:
        print(step, loss.item())

model.eval()
with torch.no_grad():
    final = nn.functional.mse_loss(model(X), y)
print("final", final.item())
