"""Train an MLP class with a hidden-width argument, printing the loss of every step."""

import torch
from torch import nn


class Net(nn.Module):
    def __init__(self, inputs, hidden=768, classes=3):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(inputs, hidden), nn.GELU(), nn.Linear(hidden, classes))

    def forward(self, x):
        return self.body(x)


torch.manual_seed(1)
data = torch.randn(1024, 16)
target = data[:, :3].argmax(1)
net = Net(16)
loss_fn = nn.CrossEntropyLoss()
opt = torch.optim.AdamW(net.parameters(), lr=3e-3)
for step in range(40):
    rows = torch.randint(0, 1024, (64,))
    loss = loss_fn(net(data[rows]), target[rows])
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"step {step} loss {loss.item():.5f}")
print("parameters", sum(p.numel() for p in net.parameters()))
