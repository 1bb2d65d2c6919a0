"""Full-batch regression with a very large batch size in the loader."""

import torch
from torch.utils.data import DataLoader, TensorDataset

dataset = TensorDataset(torch.randn(512, 3), torch.randn(512, 1))
loader = DataLoader(dataset, batch_size=4096)
linear = torch.nn.Linear(3, 1)
sgd = torch.optim.SGD(linear.parameters(), lr=0.1)
for epoch in range(3):
    for inputs, targets in loader:
        loss = torch.nn.functional.mse_loss(linear(inputs), targets)
        sgd.zero_grad()
        loss.backward()
        sgd.step()
print(round(loss.item(), 4))
