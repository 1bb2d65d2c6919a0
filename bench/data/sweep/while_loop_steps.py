"""Training counted in steps with a while loop, and a closure-free optimizer."""

import torch

weights = torch.nn.Linear(4, 4)
head = torch.nn.Linear(4, 2)
model = torch.nn.Sequential(weights, torch.nn.Tanh(), head)
optim = torch.optim.RMSprop(model.parameters(), lr=1e-3)
step, max_steps = 0, 6
while step < max_steps:
    x = torch.randn(16, 4)
    target = torch.randint(0, 2, (16,))
    out = model(x)
    err = torch.nn.functional.cross_entropy(out, target)
    optim.zero_grad()
    err.backward()
    optim.step()
    step += 1
print(step, round(err.item(), 3))
