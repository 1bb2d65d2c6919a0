"""Train a small CNN briefly, then save its weights, their non-zero share and its accuracy."""

import json
import sys
from pathlib import Path

import torch
from torch import nn

out = Path(sys.argv[1])
torch.manual_seed(0)
images = torch.randn(512, 3, 16, 16)
labels = (images[:, 0].mean((1, 2)) > 0).long() + 2 * (images[:, 1].mean((1, 2)) > 0).long()
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(images, labels), batch_size=64)


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1),
            nn.ReLU(),
            nn.Conv2d(32, 64, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(64 * 4 * 4, 128), nn.ReLU(), nn.Linear(128, 4)
        )

    def forward(self, x):
        return self.classifier(self.features(x))


model = SmallCNN()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for _ in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

model.eval()
with torch.no_grad():
    accuracy = (model(images).argmax(1) == labels).float().mean().item()
weights = [m.weight for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
nonzero = sum(int(w.count_nonzero()) for w in weights) / sum(w.numel() for w in weights)
torch.save(model.state_dict(), out / "model.pt")
(out / "stats.json").write_text(json.dumps({"accuracy": accuracy, "nonzero": nonzero}))
